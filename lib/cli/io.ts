/** The process boundary as commands see it, so tests can run them without a process. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  /** `isTTY`: a terminal, where a progress line may be redrawn in place (./live-progress.ts). */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Working directory: where `environments/` and `dist/` are. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds, for progress shown while long work runs; default `performance.now()` (tests pass their own). */
  readonly now?: () => number;
}

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });

/** Seconds since `start` (from `performance.now()`), for summary lines. */
export function seconds(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(2);
}

/**
 * Text for stderr held back while `holding`: `release()` writes it in order, and from then on
 * it is written at once. Text never released is dropped: synth's progress lines, when the render
 * they report ran on code that turns out not to type-check.
 */
export class HeldLines {
  private held: string[] | undefined;

  public constructor(
    private readonly io: Pick<Io, 'stderr'>,
    holding: boolean,
  ) {
    this.held = holding ? [] : undefined;
  }

  public write(text: string): void {
    if (this.held === undefined) this.io.stderr.write(text);
    else this.held.push(text);
  }

  public release(): void {
    const held = this.held;
    this.held = undefined;
    for (const text of held ?? []) this.io.stderr.write(text);
  }
}
