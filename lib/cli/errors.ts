/**
 * How every command reports a failure, in one voice: the problems in full, one per line, then a
 * one-line summary. Errors twinops anticipates print their message; anything else prints one
 * line and a hint to rerun with `--verbose`, the only way to get a stack trace.
 */
import { isAbsolute, relative } from 'node:path';
import { ConfigError, formatConfigError } from '../config/errors';
import { StateEditError } from '../dr/edit';
import { isSystemError, systemReason, UserError } from '../errors';
import { UnresolvedSourcesError } from '../imports/locate';
import { LayoutError } from '../render/layout';
import { formatProblem } from '../render/validate';
import { WriteError } from '../render/write-error';
import { RenderError } from '../synth';
import { UsageError } from './args';
import type { Io } from './io';

/** What reporting needs of the process boundary; `cwd` makes paths relative, as the user typed them. */
export type ErrorIo = Pick<Io, 'stderr'> & { readonly cwd?: string };

/** Errors whose message is written for the user: printed as they are. */
const KNOWN: readonly (abstract new (...args: never[]) => Error)[] = [UserError, StateEditError, WriteError, LayoutError, UnresolvedSourcesError];

/** Exit codes: 1 for a failure, 2 for a command line that means nothing. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A path as the user reads it: relative to the working directory when it lies inside it. */
export function shownPath(cwd: string | undefined, path: string): string {
  if (cwd === undefined || !isAbsolute(path)) return path;
  const shown = relative(cwd, path);
  return shown === '' ? '.' : shown.startsWith('..') ? path : shown;
}

export function reportError(io: ErrorIo, command: string, error: unknown, verbose: boolean): number {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  let code = EXIT_FAILURE;
  if (error instanceof UsageError) {
    say(`twinops ${command}: ${error.message} (see twinops ${error.command} --help)`);
    code = EXIT_USAGE;
  } else if (error instanceof ConfigError) {
    const problems = error.problems.map((p) => ({ ...p, file: shownPath(io.cwd, p.file) }));
    say(formatConfigError(new ConfigError(problems)));
    say(`twinops ${command}: ${error.problems.length} problem(s) in the environment; nothing was written`);
  } else if (error instanceof RenderError) {
    say(error.problems.map(formatProblem).join('\n'));
    say(`twinops ${command}: ${error.problems.length} invalid rendered object(s); nothing was written`);
  } else if (KNOWN.some((known) => error instanceof known)) {
    say(`twinops ${command}: ${(error as Error).message}`);
  } else if (isSystemError(error)) {
    // A filesystem error nobody anticipated: the operation and the path, relative where possible.
    const where = error.path === undefined ? '' : ` ${shownPath(io.cwd, error.path)}`;
    say(`twinops ${command}: cannot ${error.syscall ?? 'access'}${where}: ${systemReason(error)} (run with --verbose for details)`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    say(`twinops ${command}: ${message.split('\n')[0]} (run with --verbose for details)`);
  }
  if (verbose && error instanceof Error && error.stack) say(error.stack);
  return code;
}
