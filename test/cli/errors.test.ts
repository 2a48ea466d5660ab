import { describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/cli/args';
import { reportError } from '../../lib/cli/errors';
import { ConfigError } from '../../lib/config/errors';
import { UserError } from '../../lib/errors';

function report(error: unknown, verbose = false) {
  const lines: string[] = [];
  const code = reportError({ stderr: { write: (text: string) => lines.push(text) }, cwd: '/work/project' }, 'synth', error, verbose);
  return { code, stderr: lines.join('') };
}

/** A filesystem error as Node.js builds it. */
function systemError(code: string, syscall: string, path: string, reason: string) {
  return Object.assign(new Error(`${code}: ${reason}, ${syscall} '${path}'`), { code, syscall, path, errno: -1 });
}

describe('reportError', () => {
  it('prints a UserError as it is, exit 1', () => {
    expect(report(new UserError('unknown environment; expected one of home; given "lab"'))).toEqual({
      code: 1,
      stderr: 'twinops synth: unknown environment; expected one of home; given "lab"\n',
    });
  });

  it('prints a UsageError in one line pointing at --help, exit 2', () => {
    expect(report(new UsageError('synth', 'unknown option "--bogus"'))).toEqual({
      code: 2,
      stderr: 'twinops synth: unknown option "--bogus" (see twinops synth --help)\n',
    });
  });

  it('shows the files of config problems relative to the working directory', () => {
    const problem = { file: '/work/project/environments/home.yaml', line: 3, column: 5, path: 'dr', expected: 'a mapping', given: '3', message: 'expected a mapping; given 3' };
    expect(report(new ConfigError([problem])).stderr).toBe(
      'environments/home.yaml:3:5 dr: expected a mapping; given 3\ntwinops synth: 1 problem(s) in the environment; nothing was written\n',
    );
  });

  it('prints an unexpected error as its first line and a hint, without a stack trace', () => {
    expect(report(new Error('two objects Service/a\nmore detail'))).toEqual({
      code: 1,
      stderr: 'twinops synth: two objects Service/a (run with --verbose for details)\n',
    });
    expect(report('a thrown string').stderr).toBe('twinops synth: a thrown string (run with --verbose for details)\n');
  });

  it('names the path of an unexpected filesystem error relative to the working directory', () => {
    const error = systemError('EACCES', 'open', '/work/project/environments/home.yaml', 'permission denied');
    expect(report(error).stderr).toBe('twinops synth: cannot open environments/home.yaml: permission denied (EACCES) (run with --verbose for details)\n');
  });

  it('adds the stack trace with --verbose', () => {
    const { stderr } = report(new Error('boom'), true);
    expect(stderr).toMatch(/^twinops synth: boom \(run with --verbose for details\)\nError: boom\n {4}at /);
  });
});
