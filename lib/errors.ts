/**
 * The one error class the library throws for a mistake the user can fix (an unknown environment,
 * an unusable folder): its message is complete as it stands, so the CLI prints it without the
 * "(run with --verbose for details)" hint it adds to errors nobody anticipated.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

/** The parts of a Node.js filesystem error worth showing. */
interface SystemError extends Error {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
}

export function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as Partial<SystemError>).code === 'string' && /^E[A-Z]+$/.test((error as SystemError).code);
}

/**
 * `ENOENT: no such file or directory, mkdtemp '/x/twinops-bench-XXXXXX'` → `no such file or
 * directory (ENOENT)`: the reason alone, so that a message can name the path the user gave
 * rather than a temporary one.
 */
export function systemReason(error: unknown): string {
  if (!isSystemError(error)) return error instanceof Error ? error.message : String(error);
  const match = /^[A-Z]+: ([^,]+)/.exec(error.message);
  return `${match?.[1] ?? error.message} (${error.code})`;
}
