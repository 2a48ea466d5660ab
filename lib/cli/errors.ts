/**
 * How every command reports a failure: the problems in full, one per line, then a one-line
 * summary; a stack trace only with `--verbose`.
 */
import { isAbsolute, relative } from 'node:path';
import { ConfigError, formatConfigError } from '../config/errors';
import { formatProblem } from '../render/validate';
import { RenderError } from '../synth';
import type { Io } from './io';

export function reportError(io: Io, command: string, error: unknown, verbose: boolean): number {
  if (error instanceof ConfigError) {
    // Files as the user would type them: relative to where the command runs.
    const shown = (file: string) => (isAbsolute(file) && !relative(io.cwd, file).startsWith('..') ? relative(io.cwd, file) : file);
    io.stderr.write(`${formatConfigError(new ConfigError(error.problems.map((p) => ({ ...p, file: shown(p.file) }))))}\n`);
    io.stderr.write(`twinops ${command}: ${error.problems.length} problem(s) in the environment; nothing was written\n`);
  } else if (error instanceof RenderError) {
    io.stderr.write(`${error.problems.map(formatProblem).join('\n')}\n`);
    io.stderr.write(`twinops ${command}: ${error.problems.length} invalid rendered object(s); nothing was written\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`twinops ${command}: ${message}\n`);
  }
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return 1;
}
