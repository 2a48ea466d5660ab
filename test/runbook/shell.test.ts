import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expansion, remoteArg, shellArg, shellComment, shellWord, UnquotableValueError } from '../../lib/runbook/shell';

/** A scratch folder the shells run in, so a value that ran would leave its `pwned` file there. */
const cwd = mkdtempSync(join(tmpdir(), 'twinops-shell-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** The arguments `sh` reads from a command line, one per line. */
function parsed(words: string): string {
  return execFileSync('sh', ['-c', `printf '%s\\n' ${words}`], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
}

/** What ssh hands the node's shell: the local shell's arguments joined by spaces. */
function sentOverSsh(words: string): string {
  return execFileSync('sh', ['-c', `set -- ${words}; printf '%s' "$*"`], { cwd, encoding: 'utf8' });
}

const HOSTILE = ['x$(touch pwned)', "it's", 'two words', '-rf', '$HOME', '`touch pwned`', '!1', '"q"', 'back\\slash', '*', ';touch pwned', 'пул/k8s', 'a&b|c>d', ''];

describe('shellArg', () => {
  it('writes values of safe characters as they are', () => {
    for (const value of ['tank/k8s', 'wordpress-db', '192.0.2.10', '2001:db8::1', 'twinops.dev/app=wordpress,twinops.dev/variant=dr', 'a@b%c+d']) {
      expect(shellArg(value)).toBe(value);
    }
  });

  it('single-quotes anything else, a quote written as \'\\\'\'', () => {
    expect(shellArg('x$(touch pwned)')).toBe("'x$(touch pwned)'");
    expect(shellArg("it's")).toBe("'it'\\''s'");
    expect(shellArg('-rf')).toBe("'-rf'");
    expect(shellArg('')).toBe("''");
    expect(shellArg('dr: activate wordpress')).toBe("'dr: activate wordpress'");
  });

  it('gives the shell every value back as one argument, running nothing', () => {
    for (const value of HOSTILE) expect(parsed(shellArg(value)), value).toBe(`${value}\n`);
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
  });

  it('refuses line breaks and control characters, naming the value', () => {
    for (const value of ['a\nb', 'a\rb', 'bell\u0007', 'del\u007f', 'csi\u009b', 'ls\u2028']) {
      expect(() => shellArg(value), JSON.stringify(value)).toThrow(UnquotableValueError);
    }
    expect(() => shellArg('pool\n/bin/sh')).toThrow(
      '"pool\\n/bin/sh" holds a line break or a control character, which no quoting makes safe to paste into a shell',
    );
  });
});

describe('remoteArg', () => {
  it('is the value itself when it is safe', () => {
    expect(remoteArg('tank/k8s')).toBe('tank/k8s');
  });

  it('survives the local shell and the node\'s shell', () => {
    expect(remoteArg('x$(touch pwned)')).toBe("''\\''x$(touch pwned)'\\'''");
    for (const value of HOSTILE) expect(parsed(sentOverSsh(remoteArg(value))), value).toBe(`${value}\n`);
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
  });
});

describe('shellWord', () => {
  const pv = expansion('${PROD_PV:?}');

  it('double-quotes a word with an expansion, as the runbook always did', () => {
    expect(shellWord(['tank/k8s', '/', pv, '@twinops-resync'], { remote: true })).toBe('"tank/k8s/${PROD_PV:?}@twinops-resync"');
    expect(shellWord(['blog.example.org:443:[', '2001:db8::1', ']'], { quoted: true })).toBe('"blog.example.org:443:[2001:db8::1]"');
  });

  it('single-quotes a literal that cannot sit in the double quotes, beside them', () => {
    expect(shellWord(['x$(touch pwned)', '/', pv], {})).toBe(`'x$(touch pwned)'/"\${PROD_PV:?}"`);
    expect(shellWord(['x$(touch pwned)', '/', pv], { remote: true })).toBe(`''\\''x$(touch pwned)'\\'''/"\${PROD_PV:?}"`);
    expect(shellWord(['a b', '/', pv], { remote: true })).toBe(`''\\''a b'\\'''/"\${PROD_PV:?}"`);
    expect(shellWord(['a b', '/', pv], {})).toBe(`"a b/\${PROD_PV:?}"`);
  });

  it('keeps expansions working and literals inert, locally and over ssh', () => {
    const word = ['x$(touch pwned)', '/', expansion('${PV:?}'), '@snap'];
    const local = execFileSync('sh', ['-c', `PV=pvc-1; printf '%s\\n' ${shellWord(word)}`], { cwd, encoding: 'utf8' });
    expect(local).toBe('x$(touch pwned)/pvc-1@snap\n');
    const remote = execFileSync('sh', ['-c', `PV=pvc-1; set -- ${shellWord(word, { remote: true })}; printf '%s' "$*"`], { cwd, encoding: 'utf8' });
    expect(parsed(remote)).toBe('x$(touch pwned)/pvc-1@snap\n');
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
  });

  it('refuses a literal with a line break', () => {
    expect(() => shellWord(['tank\n', pv])).toThrow(UnquotableValueError);
  });
});

describe('shellComment', () => {
  it('passes text through and refuses a line break, which would end the comment', () => {
    expect(shellComment('in 2001:db8::/112 $(x)')).toBe('in 2001:db8::/112 $(x)');
    expect(() => shellComment('x\nrm -rf ~')).toThrow(UnquotableValueError);
  });
});
