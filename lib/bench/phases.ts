/**
 * Phase timing for `twinops bench`: the render pipeline wraps each phase in `timePhase`, which
 * runs the work untimed unless a bench installed a clock with `withPhaseClock`. The clock is
 * ambient rather than a parameter because the twin phase runs deep inside the charts'
 * composition root, which the pipeline only knows as a `compose` function.
 */

/**
 * The phases of a render, in pipeline order (DESIGN.md "Flow"). `charts` runs inside `compose`:
 * each chart's constructs built and synthesized by cdk8s (`toJson()`), so that `compose` keeps
 * twinops' own part of composing (planning, stamping, read tracking, sharing equal parts).
 */
export const PHASES = ['load', 'compose', 'charts', 'twin', 'runbook', 'layout', 'validate', 'policies', 'write'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Accumulates milliseconds per phase, each phase's own time: a phase that runs inside another
 * (the twin inside compose) is taken out of the outer one, so the phases add up to the whole.
 */
export class PhaseClock {
  private readonly totals = new Map<Phase, number>();
  /** Milliseconds spent in nested phases, per level of the phases now running. */
  private readonly nested: number[] = [];
  /** The largest `heapUsed` seen at the end of a phase, in bytes. */
  private heapPeak = 0;

  public constructor(private readonly now: () => number = () => performance.now()) {}

  public time<T>(phase: Phase, work: () => T): T {
    const start = this.now();
    this.nested.push(0);
    try {
      return work();
    } finally {
      const elapsed = this.now() - start;
      const inner = this.nested.pop() ?? 0;
      this.totals.set(phase, (this.totals.get(phase) ?? 0) + elapsed - inner);
      if (this.nested.length > 0) this.nested[this.nested.length - 1] = (this.nested[this.nested.length - 1] ?? 0) + elapsed;
      // Sampled at the end of outer phases only: cheap enough not to distort the twin's time.
      if (this.nested.length === 0) this.heapPeak = Math.max(this.heapPeak, process.memoryUsage().heapUsed);
    }
  }

  /** Own milliseconds of `phase`; 0 when it never ran. */
  public ms(phase: Phase): number {
    return this.totals.get(phase) ?? 0;
  }

  /** The sum of every phase's own time. */
  public totalMs(): number {
    return PHASES.reduce((sum, phase) => sum + this.ms(phase), 0);
  }

  /** The largest heapUsed sampled at an outer phase's end, in bytes (the heap peaks inside phases, so this is a lower bound). */
  public peakHeapUsed(): number {
    return this.heapPeak;
  }
}

let active: PhaseClock | undefined;

/** Runs `work` as `phase` of the installed clock, or simply runs it when none is installed. */
export function timePhase<T>(phase: Phase, work: () => T): T {
  return active === undefined ? work() : active.time(phase, work);
}

/** Runs `work` with `clock` installed, and restores the previous one afterwards. */
export function withPhaseClock<T>(clock: PhaseClock, work: () => T): T {
  const previous = active;
  active = clock;
  try {
    return work();
  } finally {
    active = previous;
  }
}
