import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine, usageOf, UsageError, type CommandSpec, type OptionSpecs } from '../../lib/cli/args';
import { twinops } from '../support/cli';

const SPEC = {
  name: 'demo',
  synopsis: '[options] <thing>',
  description: 'Does a demo.',
  options: {
    out: { type: 'string', placeholder: 'DIR', default: 'dist', description: 'where' },
    app: { type: 'string', description: 'which app' },
    dry: { type: 'boolean', description: 'write nothing' },
  },
  maxPositionals: 1,
} as const satisfies CommandSpec<OptionSpecs>;

const usageError = (argv: string[]) => {
  try {
    parseCommandLine(SPEC, argv);
  } catch (error) {
    if (error instanceof UsageError) return `${error.command}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a UsageError');
};

describe('parseCommandLine', () => {
  it('gives each option its value or default, and the positionals', () => {
    expect(parseCommandLine(SPEC, ['x', '--app=redis', '--dry'])).toEqual({
      values: { out: 'dist', app: 'redis', dry: true, verbose: false, help: false },
      positionals: ['x'],
      help: false,
      verbose: false,
    });
    expect(parseCommandLine(SPEC, ['--out', 'elsewhere', '--verbose']).values.out).toBe('elsewhere');
    // After --, an argument that looks like an option is a positional.
    expect(parseCommandLine(SPEC, ['--', '--weird']).positionals).toEqual(['--weird']);
  });

  it('says what is wrong in one sentence', () => {
    expect(usageError(['--bogus'])).toBe('demo: unknown option "--bogus"');
    expect(usageError(['-x'])).toBe('demo: unknown option "-x"');
    expect(usageError(['--out'])).toBe('demo: option "--out" needs a value');
    expect(usageError(['--out', '--dry'])).toBe('demo: option "--out" needs a value');
    expect(usageError(['--dry=yes'])).toBe('demo: option "--dry" takes no value; given "yes"');
    expect(usageError(['a', 'b'])).toBe('demo: unexpected argument "b"');
  });

  it('lets --help (or -h) win over mistakes', () => {
    expect(parseCommandLine(SPEC, ['--bogus', '-h']).help).toBe(true);
  });
});

describe('usageOf', () => {
  it('lists the options with their placeholders and defaults, then --verbose and --help', () => {
    expect(usageOf(SPEC)).toBe(
      [
        'usage: twinops demo [options] <thing>',
        '',
        'Does a demo.',
        '',
        'options:',
        '  --out DIR    where (default: dist)',
        '  --app VALUE  which app',
        '  --dry        write nothing',
        '  --verbose    stack traces on errors',
        '  --help       this help',
        '',
      ].join('\n'),
    );
  });
});

describe('every command', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'twinops-args-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const COMMANDS = ['synth', 'dr', 'import', 'schema', 'bench'];

  it.each(COMMANDS)('%s: an unknown option is one line, exit 2, no stack trace', async (command) => {
    expect(await twinops(scratch, [command, '--bogus'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `twinops ${command}: unknown option "--bogus" (see twinops ${command} --help)\n`,
    });
  });

  it.each(COMMANDS)('%s: --help prints its usage and exits 0', async (command) => {
    const { code, stdout, stderr } = await twinops(scratch, [command, '--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(new RegExp(`^usage: twinops ${command} .*\\n[^]*\\n {2}--verbose +stack traces on errors\\n {2}--help +this help\\n$`));
  });

  it('synth: a missing value and an unexpected argument are one line too', async () => {
    expect((await twinops(scratch, ['synth', '--out'])).stderr).toBe('twinops synth: option "--out" needs a value (see twinops synth --help)\n');
    expect((await twinops(scratch, ['synth', 'home'])).stderr).toBe('twinops synth: unexpected argument "home" (see twinops synth --help)\n');
  });

  it('bench: a folder that does not exist is named as given, exit 1, no stack trace', async () => {
    expect(await twinops(scratch, ['bench', '--dir', '/nonexistent/x'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'twinops bench: cannot make a scratch folder in --dir /nonexistent/x: no such file or directory (ENOENT)\n',
    });
  });

  it('bench: --objects must be a positive whole number', async () => {
    for (const objects of ['0', '-3', '1e3', 'many']) {
      expect((await twinops(scratch, ['bench', `--objects=${objects}`])).stderr).toBe(
        `twinops bench: option "--objects" expects a positive whole number; given "${objects}" (see twinops bench --help)\n`,
      );
    }
  });

  it('bench: --changes must be a whole number of at least 2', async () => {
    for (const changes of ['1', '0', 'all']) {
      expect((await twinops(scratch, ['bench', `--changes=${changes}`])).stderr).toBe(
        `twinops bench: option "--changes" expects a whole number of at least 2; given "${changes}" (see twinops bench --help)\n`,
      );
    }
  });

  it('schema: writes the file atomically and ends with one line', async () => {
    const { code, stdout } = await twinops(scratch, ['schema', '--out', 'schema.json']);
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'schema: wrote schema.json\n' });
    expect((await twinops(scratch, ['schema', '--out', 'absent/schema.json'])).stderr).toBe(
      'twinops schema: cannot write absent/schema.json: no such file or directory (ENOENT); nothing was written\n',
    );
  });
});
