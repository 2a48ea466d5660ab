/**
 * The goals of issue 11 as `twinops bench` judges them, each on figures of the same run: the
 * fleet it rendered, the same bench at twice the fleet (memory, linearity), and `npm run synth`
 * of the project's environments timed as a user runs it. Pure: figures in, lines out.
 */
import { rssBytesPerObject, type BenchFigures } from './figures';
import { count, duration, lowerMedian, perSecond } from './format';

/** The fleet the goals are set on: "the 20k bench fleet" (goals 2 and 3); goal 4 is at twice it. */
export const GOAL_FLEET = 20_000;
/** How far a fleet may be from the goal's size and still be judged on it (the default run has 19,980 objects). */
const SIZE_TOLERANCE = 0.05;

export const TARGETS = {
  /** Goal 1: `npm run synth` with nothing to change, wall time. */
  synthMs: 1_000,
  /** Goal 2: a one-app change, in-process. */
  changeMs: 500,
  /** Goal 3: a fresh render on tmpfs. */
  objectsPerSecond: 10_000,
  /** Goal 4: resident memory per object at twice the goal fleet, in kilobytes (10^3 bytes). */
  kilobytesPerObject: 5,
  /** Goal 5: twice the fleet costs at most this many times the time. */
  ratio: 2,
} as const;

/** `npm run synth` of the project's environments, timed (./synth-timing.ts). */
export interface SynthTiming {
  /** The command as run, for the reader: `npm run synth`. */
  readonly command: string;
  /** The environments folder, as the user named it. */
  readonly environments: string;
  /** What the last run's summary line said it rendered: `3 environment(s), 290 object(s)`. */
  readonly rendered: string;
  /** Wall time of each timed run. */
  readonly runsMs: readonly number[];
  /** Files the timed runs wrote in all: 0 when there was nothing to change, as the goal has it. */
  readonly written: number;
}

/** Why a measurement is missing (it failed, or cannot run here). */
export interface NotMeasured {
  readonly notMeasured: string;
}

export type Verdict = 'met' | 'not met' | 'not judged';

export interface Goal {
  readonly number: number;
  readonly title: string;
  readonly target: string;
  readonly measured: string;
  readonly verdict: Verdict;
}

/** A target in seconds as the issue writes it: `1.0 s`, `0.5 s`. */
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const isMissing = (value: object): value is NotMeasured => 'notMeasured' in value;

/** `a / b`, two decimals, as the report shows it and as the goal is judged (the shown value decides). */
function shownRatio(a: number, b: number): number {
  return b > 0 ? Number((a / b).toFixed(2)) : Number.POSITIVE_INFINITY;
}

/** Whether a fleet of `objects` is the size a goal is set on (within 5%). */
export function isGoalSize(objects: number, size: number): boolean {
  return Math.abs(objects - size) <= size * SIZE_TOLERANCE;
}

/** The verdict of `holds`, unless the fleet is not the goal's size: then a note says so and nothing is judged. */
function judged(holds: boolean, objects: number, size: number): { readonly verdict: Verdict; readonly note: string } {
  if (isGoalSize(objects, size)) return { verdict: holds ? 'met' : 'not met', note: '' };
  return { verdict: 'not judged', note: `; a fleet of ${count(objects)} objects, the goal's has ${count(size)} (--objects ${size})` };
}

function synthGoal(synth: SynthTiming | NotMeasured): Goal {
  const goal = { number: 1, title: '`npm run synth` with nothing to change', target: `≤ ${seconds(TARGETS.synthMs)}` };
  if (isMissing(synth)) return { ...goal, measured: `not measured: ${synth.notMeasured}`, verdict: 'not judged' };
  const median = lowerMedian(synth.runsMs);
  const spread = `${duration(Math.min(...synth.runsMs))}–${duration(Math.max(...synth.runsMs))}`;
  const measured = `${duration(median)}, the median of ${synth.runsMs.length} runs (${spread}) of \`${synth.command}\` of ${synth.environments} (${synth.rendered})`;
  if (synth.written > 0) return { ...goal, measured: `${measured}; but the timed runs wrote ${count(synth.written)} file(s): there was something to change`, verdict: 'not met' };
  return { ...goal, measured, verdict: median <= TARGETS.synthMs ? 'met' : 'not met' };
}

function changeGoal(here: BenchFigures): Goal {
  const { verdict, note } = judged(here.firstChange.ms <= TARGETS.changeMs, here.objects, GOAL_FLEET);
  return {
    number: 2,
    title: 'a one-app change, in-process',
    target: `≤ ${seconds(TARGETS.changeMs)}`,
    measured: `${duration(here.firstChange.ms)} the first change (${count(here.firstChange.written)} file(s) written), ${duration(here.steadyMs[0] ?? 0)} the next${note}`,
    verdict,
  };
}

function freshGoal(here: BenchFigures): Goal {
  const rate = here.fresh.ms > 0 ? (here.objects / here.fresh.ms) * 1000 : Number.POSITIVE_INFINITY;
  const onTmpfs = here.filesystem.startsWith('tmpfs');
  const size = judged(rate >= TARGETS.objectsPerSecond, here.objects, GOAL_FLEET);
  const verdict = onTmpfs ? size.verdict : 'not judged';
  const where = onTmpfs ? '' : `; --dir is on ${here.filesystem}, the goal is on tmpfs (--dir /dev/shm)`;
  return {
    number: 3,
    title: 'a fresh render of the fleet',
    target: `≥ ${count(TARGETS.objectsPerSecond)} objects/s on tmpfs`,
    measured: `${perSecond(here.objects, here.fresh.ms)} objects/s (${count(here.objects)} objects in ${duration(here.fresh.ms)})${size.note}${where}`,
    verdict,
  };
}

function memoryGoal(twice: BenchFigures | NotMeasured): Goal {
  const goal = { number: 4, title: 'memory at twice the fleet', target: `≤ ${TARGETS.kilobytesPerObject} KB per object` };
  if (isMissing(twice)) return { ...goal, measured: `not measured: ${twice.notMeasured}`, verdict: 'not judged' };
  const perObject = rssBytesPerObject(twice);
  // Judged as shown, one decimal of a kilobyte.
  const shown = Number((perObject / 1000).toFixed(1));
  const { verdict, note } = judged(shown <= TARGETS.kilobytesPerObject, twice.objects, 2 * GOAL_FLEET);
  return { ...goal, measured: `${shown.toFixed(1)} KB per object of peak RSS over the fresh render of ${count(twice.objects)} objects${note}`, verdict };
}

function linearGoal(here: BenchFigures, twice: BenchFigures | NotMeasured): Goal {
  const goal = { number: 5, title: 'twice the fleet', target: `≤ ${TARGETS.ratio.toFixed(1)}× the time` };
  if (isMissing(twice)) return { ...goal, measured: `not measured: ${twice.notMeasured}`, verdict: 'not judged' };
  const pairs: [string, number, number][] = [
    ['fresh', here.fresh.ms, twice.fresh.ms],
    ['first change', here.firstChange.ms, twice.firstChange.ms],
    [`steady editing (median of ${here.steadyMs.length} / ${twice.steadyMs.length})`, lowerMedian(here.steadyMs), lowerMedian(twice.steadyMs)],
  ];
  const over = pairs.filter(([, one, two]) => shownRatio(two, one) > TARGETS.ratio).map(([what]) => what.replace(/ \(.*$/, ''));
  const measured = pairs.map(([what, one, two]) => `${what} ${duration(one)} / ${duration(two)} (${shownRatio(two, one).toFixed(2)}×)`).join(', ');
  const sized = judged(over.length === 0, here.objects, GOAL_FLEET);
  const overNote = over.length > 0 ? `; over: ${over.join(', ')}` : '';
  // The ratios say what twice the fleet costs only if the other run had twice the objects.
  if (twice.objects !== 2 * here.objects) {
    return { ...goal, measured: `${measured}${overNote}; but the other run had ${count(twice.objects)} objects, not ${count(2 * here.objects)}`, verdict: 'not judged' };
  }
  return { ...goal, measured: `${measured}${overNote}${sized.note}`, verdict: sized.verdict };
}

/** Every goal, judged on this run's figures, its run at twice the fleet, and its synth timing. */
export function judgeGoals(here: BenchFigures, twice: BenchFigures | NotMeasured, synth: SynthTiming | NotMeasured): Goal[] {
  return [synthGoal(synth), changeGoal(here), freshGoal(here), memoryGoal(twice), linearGoal(here, twice)];
}

/** The goals as the report prints them: a line each, then how many are met. */
export function goalLines(goals: readonly Goal[]): string {
  const lines = goals.map((goal) => `goal ${goal.number}, ${goal.title} (${goal.target}): ${goal.measured}: ${goal.verdict}\n`);
  const met = goals.filter((goal) => goal.verdict === 'met').length;
  return `speed goals (README, "Performance"), each measured in this run:\n${lines.join('')}${met} of ${goals.length} goals met\n`;
}
