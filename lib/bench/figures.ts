/**
 * What one bench run measured, as data: `twinops bench --json` prints it, and the goals' run at
 * twice the fleet (a process of its own, so that its memory is its own) hands it back this way.
 * The schema checks what comes back before any goal is judged on it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { PHASES, type PhaseClock } from './phases';
import type { Floor } from './floors';

const Ms = Type.Number({ minimum: 0 });
const Count = Type.Integer({ minimum: 0 });

const RenderFiguresSchema = Type.Object({
  /** The render's whole time: the sum of its phases. */
  ms: Ms,
  /** Each phase's own time, in pipeline order. */
  phases: Type.Object(Object.fromEntries(PHASES.map((phase) => [phase, Ms]))),
  /** Files written (new or with other bytes, the marker included) and removed. */
  written: Count,
  removed: Count,
});

export const BenchFiguresSchema = Type.Object({
  /** `machine: ...` of the report, without its title. */
  machine: Type.String(),
  objects: Count,
  units: Count,
  files: Count,
  /** The file system of `--dir`, as the machine line names it (`tmpfs (tmpfs on /dev/shm)`). */
  filesystem: Type.String(),
  fresh: RenderFiguresSchema,
  firstChange: RenderFiguresSchema,
  /** The changes after the first, in the order they ran (the next change first). */
  steadyMs: Type.Array(Ms, { minItems: 1 }),
  /** User and system time of the whole process over the fresh render, every thread. */
  cpuMs: Ms,
  cores: Type.Integer({ minimum: 1 }),
  memory: Type.Object({ peakRss: Count, rssBefore: Count, peakHeapUsed: Count, heapUsedBefore: Count }),
  floors: Type.Array(Type.Object({ name: Type.String(), ms: Ms, detail: Type.String() })),
});

export type RenderFigures = Static<typeof RenderFiguresSchema>;
export type BenchFigures = Static<typeof BenchFiguresSchema>;

/** Milliseconds to the microsecond: what the clock can tell, without the float's noise in the JSON. */
export const microseconds = (ms: number): number => Math.round(ms * 1000) / 1000;

/** A render's figures from its clock and what its write did. */
export function renderFigures(clock: PhaseClock, written: { readonly written: number; readonly removed: readonly string[] }): RenderFigures {
  return {
    ms: microseconds(clock.totalMs()),
    phases: Object.fromEntries(PHASES.map((phase) => [phase, microseconds(clock.ms(phase))])),
    written: written.written,
    removed: written.removed.length,
  };
}

/** The floors as figures: the same three fields. */
export const floorFigures = (floors: readonly Floor[]): BenchFigures['floors'] => floors.map(({ name, ms, detail }) => ({ name, ms: microseconds(ms), detail }));

/** Bytes of resident memory the fresh render added, per object: the memory goal's measure. */
export function rssBytesPerObject(figures: BenchFigures): number {
  return figures.objects > 0 ? (figures.memory.peakRss - figures.memory.rssBefore) / figures.objects : 0;
}

/**
 * `text` (what `--json` printed) as figures, or an error naming every field that is missing or
 * of the wrong kind.
 */
export function parseFigures(text: string, source: string): BenchFigures {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${source} printed no JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (Value.Check(BenchFiguresSchema, value)) return value;
  const problems = [...Value.Errors(BenchFiguresSchema, value)].map((error) => `${error.path || '/'}: ${error.message}`);
  throw new Error(`${source} printed figures that are not the bench's:\n  ${problems.join('\n  ')}`);
}
