/**
 * A progress line for long renders, redrawn in place on a terminal: `  fleet: 1,200 of 2,775
 * units…`. A fresh render of a large fleet runs for seconds with nothing else to say until each
 * environment is done; a short render shows nothing. Never written anywhere but a terminal (a
 * CI log or a pipe gets only the lines it always got), and erased before any other line.
 */
import type { Io } from './io';

/** A render shorter than this shows no progress line. */
export const SHOW_AFTER_MS = 1000;

/** The line is redrawn at most this often. */
export const REDRAW_MS = 100;

/** Back to the start of the line, and the line erased. */
const ERASE = '\r\x1b[K';

const count = (n: number) => n.toLocaleString('en-US');

export class LiveProgress {
  private drawn = false;
  private drawnAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly start: number;

  /** Made as the work starts: the delay before a line is shown counts from here. */
  public constructor(private readonly io: Pick<Io, 'stderr' | 'now'>) {
    this.now = io.now ?? (() => performance.now());
    this.start = this.now();
  }

  /** `done` of `total` units of `environment`; the last call of an environment (done = total) is always drawn. */
  public units(environment: string, done: number, total: number): void {
    // Called for every unit: the text is made only when it is drawn.
    if (!this.due(done >= total)) return;
    this.draw(done < total ? `${environment}: ${count(done)} of ${count(total)} units…` : `${environment}: ${count(total)} units; policies, runbook and layout…`);
  }

  /** A step with no count, such as the write. */
  public step(text: string): void {
    if (this.due(true)) this.draw(text);
  }

  /** Erases the line, if one is drawn: before any other output, and when the work is over. */
  public clear(): void {
    if (!this.drawn) return;
    this.io.stderr.write(ERASE);
    this.drawn = false;
  }

  /** Whether a line is to be drawn now: on a terminal, once the work has run SHOW_AFTER_MS, and REDRAW_MS after the last unless `always`. */
  private due(always: boolean): boolean {
    if (this.io.stderr.isTTY !== true) return false;
    const now = this.now();
    if (now - this.start < SHOW_AFTER_MS || (!always && now - this.drawnAt < REDRAW_MS)) return false;
    this.drawnAt = now;
    return true;
  }

  private draw(text: string): void {
    this.io.stderr.write(`${ERASE}  ${text}`);
    this.drawn = true;
  }
}
