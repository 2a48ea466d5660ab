/** The one error type of the writer, in its own module so every part of the writer can throw it. */

/** The output folder could not be written; the message says what state it is in, `cause` says why. */
export class WriteError extends Error {
  override readonly name: string = 'WriteError';
}

export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** The errno code of a filesystem error, if it is one. */
export function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
