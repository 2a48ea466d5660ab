/** The process boundary as commands see it, so tests can run them without a process. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Working directory: where `environments/` and `dist/` are. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });

/** Seconds since `start` (from `performance.now()`), for summary lines. */
export function seconds(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(2);
}
