/**
 * `twinops bench`: render a synthetic fleet the way synth does, fresh and after a one-app
 * change, phase by phase, beside the floors (each primitive alone on the same objects), the
 * speed goals (issue 11) judged on this run (with the same bench at twice the fleet and `npm run
 * synth` of the project's environments, each in processes of their own) and the same estate
 * through stock cdk8s and kustomize. Timing lives here, never in tests.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { floorFigures, microseconds, renderFigures, type BenchFigures } from '../bench/figures';
import { fleetSpec, withOneHostChanged, type HostChange } from '../bench/fleet';
import { jsonFloor, validationFloor, writeFloor, yamlFloor, type Floor } from '../bench/floors';
import { count, cpuLine, duration, kilobytesPerObject, megabytes, perSecond, ratio, share, steadyLine, table } from '../bench/format';
import { goalLines, judgeGoals, type NotMeasured, type SynthTiming } from '../bench/goals';
import { hasKubectl, kustomizeEstate } from '../bench/kustomize';
import { filesystemOf, machineLine } from '../bench/machine';
import { PHASES } from '../bench/phases';
import { timedRender, type TimedRender } from '../bench/run';
import { stockCdk8s } from '../bench/stock-cdk8s';
import { timeSynth } from '../bench/synth-timing';
import { benchTwice } from '../bench/twice';
import type { EnvironmentSpec } from '../config/schema';
import { KUSTOMIZATION_FILE, unitFileName } from '../render/layout';
import { UnitCache } from '../render/unit-cache';
import { environmentFiles, loadEnvironments, renderFiles } from '../synth';
import { UserError, systemReason } from '../errors';
import { parseCommandLine, usageOf, UsageError, type CommandSpec, type OptionSpec } from './args';
import { reportError } from './errors';
import type { Io } from './io';
import type { RenderDeps } from './synth';

type WithDefault = OptionSpec & { readonly default: string };

const BENCH: CommandSpec<{
  readonly objects: WithDefault;
  readonly dir: WithDefault;
  readonly 'kustomize-sample': WithDefault;
  readonly 'kustomize-timeout': WithDefault;
  readonly 'no-baselines': { readonly type: 'boolean'; readonly description: string };
  readonly 'no-goals': { readonly type: 'boolean'; readonly description: string };
  readonly examples: WithDefault;
  readonly json: { readonly type: 'boolean'; readonly description: string };
  readonly changes: { readonly type: 'string'; readonly placeholder: string; readonly default: string; readonly description: string };
}> = {
  name: 'bench',
  synopsis: '[options]',
  description: `Renders a synthetic fleet the way synth does in a scratch folder, fresh and after a one-app change,
phase by phase, beside the floors (JSON.stringify, the YAML emitter, compiled validation, plain
file writes), then judges the speed goals (README, "Performance") on this run, timing \`npm run
synth\` of the project's environments and the same bench at twice the fleet in a process of its
own, and renders the same estate through stock cdk8s and, when kubectl is on PATH, kustomize.`,
  options: {
    objects: { type: 'string', placeholder: 'N', default: '20000', description: 'how many objects the fleet has, about' },
    // Where the fleet is rendered: the disk dominates the write phase, so it is a choice.
    dir: { type: 'string', placeholder: 'DIR', default: tmpdir(), description: 'where the scratch folder is made' },
    // One kubectl process per unit folder costs ~0.1 s each: thousands of them would dwarf the rest.
    'kustomize-sample': { type: 'string', placeholder: 'N', default: '100', description: 'unit folders built one process each, scaled to all (0: every one)' },
    // kustomize's one-process build of 2,775 units ran for more than 12 minutes on the 2-core machine.
    'kustomize-timeout': { type: 'string', placeholder: 'S', default: '120', description: 'seconds after which the one-process kustomize build is stopped (0: never)' },
    // Stock cdk8s takes minutes on a large fleet: runs that measure memory or linearity skip it.
    'no-baselines': { type: 'boolean', description: 'skip stock cdk8s and kustomize (twinops, its phases and the floors only)' },
    // The goals take a minute more: npm run synth seven times, and the bench again at twice the fleet.
    'no-goals': { type: 'boolean', description: 'skip judging the goals (no npm run synth, no run at twice the fleet)' },
    examples: { type: 'string', placeholder: 'DIR', default: 'environments', description: 'the environments npm run synth is timed on for goal 1 (a copy, into a scratch folder)' },
    json: { type: 'boolean', description: "print twinops' figures (phases, cpu, memory, floors) as one JSON object instead of the report; no goals, no baselines" },
    // Two runs differ by a quarter on a busy machine: more changes give a median.
    changes: { type: 'string', placeholder: 'N', default: '2', description: 'one-app changes after the fresh render, each on another cluster (2 or more; beyond 2, their median is reported)' },
  },
};

/** A scratch folder in `dir`, named in errors by the folder the user gave. */
function scratchFolder(cwd: string, dir: string): string {
  try {
    return mkdtempSync(join(resolve(cwd, dir), 'twinops-bench-'));
  } catch (cause) {
    throw new UserError(`cannot make a scratch folder in --dir ${dir}: ${systemReason(cause)}`, { cause });
  }
}

function wholeNumber(option: string, given: string, least: number): number {
  const value = Number(given);
  if (!/^\d+$/.test(given) || !Number.isSafeInteger(value) || value < least) {
    const expected = least > 1 ? `a whole number of at least ${least}` : `a ${least > 0 ? 'positive' : 'non-negative'} whole number`;
    throw new UsageError('bench', `option "--${option}" expects ${expected}; given "${given}"`);
  }
  return value;
}

function writeFleet(dir: string, spec: EnvironmentSpec): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fleet.yaml'), stringify(spec));
  return dir;
}

/** Where the tmpfs write floor writes: /dev/shm when the machine has it. */
function tmpfsDir(): { dir: string; label: string } {
  return existsSync('/dev/shm') && statSync('/dev/shm').isDirectory() ? { dir: '/dev/shm', label: 'tmpfs /dev/shm' } : { dir: tmpdir(), label: `${tmpdir()}, no /dev/shm` };
}

/** Phases of each render side by side: the fresh one, then each one-app change. */
function phaseTable(renders: readonly (readonly [string, TimedRender])[], notes: readonly string[]): string {
  const column = (render: TimedRender, value: (render: TimedRender) => string, shareOf?: number) => [value(render), shareOf === undefined ? '' : share(shareOf, render.clock.totalMs())];
  return (
    table([
      ['phase', ...renders.flatMap(([title]) => [title, ''])],
      ...PHASES.map((phase) => [phase, ...renders.flatMap(([, render]) => column(render, (r) => duration(r.clock.ms(phase)), render.clock.ms(phase)))]),
      ['total', ...renders.flatMap(([, render]) => column(render, (r) => duration(r.clock.totalMs())))],
      ['objects/s', ...renders.flatMap(([, render]) => column(render, (r) => perSecond(r.objects, r.clock.totalMs())))],
      ['files written', ...renders.flatMap(([, render]) => column(render, (r) => count(r.written.written)))],
    ]) + notes.join('')
  );
}

/** What a one-app change changed and rendered, from the cache's record of the last render. */
function changeNote(title: string, change: HostChange, cache: UnitCache, render: TimedRender): string {
  return (
    `${title}: ${change.app} on ${change.cluster}: host ${change.from} → ${change.to}; ${count(cache.lastRendered.length)} unit(s) rendered ` +
    `(${cache.lastRendered.join(', ')}), ${count(cache.lastReused)} from the render cache; ` +
    `runbook: ${count(cache.lastBlocksWritten.length)} of ${count(cache.lastBlocksWritten.length + cache.lastBlocksReused)} cluster blocks written (${cache.lastBlocksWritten.join(', ')}); ` +
    `${count(render.written.written)} file(s) written, ${render.written.removed.length} removed\n`
  );
}

/** The checkout the bench runs from: where `npm run synth` and the launcher of the run at twice the fleet run. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Timed runs of `npm run synth` for goal 1, after its warm-ups: a median of five. */
const SYNTH_RUNS = 5;

/** A measurement the goals go without, with why: the first line of what failed (the rest is on stderr). */
function notMeasured(io: Io, goal: string, error: unknown): NotMeasured {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`bench: ${goal} not measured: ${message}\n`);
  // The first line alone, without the colon that introduced the rest.
  return { notMeasured: (message.split('\n')[0] ?? message).replace(/:$/, '') };
}

/** Goal 1's timing of `npm run synth` of `examples` (relative to `cwd`), or why there is none. */
function synthTiming(io: Io, examples: string, scratch: string): SynthTiming | NotMeasured {
  io.stderr.write(`bench: goal 1: ${SYNTH_RUNS} runs of npm run synth of ${examples} (a copy), after 2 to warm up…\n`);
  const folder = resolve(io.cwd, examples);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return notMeasured(io, 'goal 1', `no environments folder ${examples} (--examples DIR)`);
  try {
    mkdirSync(scratch, { recursive: true });
    return timeSynth(PROJECT_ROOT, folder, examples, scratch, SYNTH_RUNS);
  } catch (error) {
    return notMeasured(io, 'goal 1', error);
  }
}

/**
 * Goals 4 and 5: the same bench at twice this fleet's objects (twice its clusters: `--objects`
 * is rounded to whole clusters), in `dir`, or why there is none.
 */
function twiceTheFleet(io: Io, here: BenchFigures, dir: string, changes: number): BenchFigures | NotMeasured {
  io.stderr.write(`bench: goals 4 and 5: the same bench at twice the fleet, ${count(2 * here.objects)} objects, in a process of its own…\n`);
  try {
    return benchTwice(PROJECT_ROOT, { objects: 2 * here.objects, dir, changes });
  } catch (error) {
    return notMeasured(io, 'goals 4 and 5', error);
  }
}

function floorTable(floors: readonly Floor[], objects: number): string {
  return table([['floor (same objects, same process)', 'time', 'objects/s', 'what'], ...floors.map((floor) => [floor.name, duration(floor.ms), perSecond(objects, floor.ms), floor.detail])]);
}

export function runBench(argv: readonly string[], io: Io, deps: RenderDeps): number {
  let verbose = argv.includes('--verbose');
  let root: string | undefined;
  try {
    const { values, help, ...line } = parseCommandLine(BENCH, argv);
    verbose = line.verbose;
    if (help) {
      io.stdout.write(usageOf(BENCH));
      return 0;
    }
    const target = wholeNumber('objects', values.objects, 1);
    const sample = wholeNumber('kustomize-sample', values['kustomize-sample'], 0);
    const kustomizeTimeoutMs = wholeNumber('kustomize-timeout', values['kustomize-timeout'], 0) * 1000;
    const changes = wholeNumber('changes', values.changes, 2);
    root = scratchFolder(io.cwd, values.dir);
    const apps = [...deps.catalog.keys()].sort();
    // Render one cluster first to size the fleet to the requested number of objects.
    const probe = loadEnvironments(environmentFiles(writeFleet(join(root, 'probe'), fleetSpec(1, apps))), deps.catalog);
    const perCluster = renderFiles(probe, deps.compose, join(root, 'none')).objects;
    const clusters = Math.max(1, Math.round(target / perCluster));
    const spec = fleetSpec(clusters, apps);
    const envDir = writeFleet(join(root, 'environments'), spec);
    const distDir = join(root, 'dist');
    io.stderr.write(`bench: ${count(clusters)} clusters × ${apps.length} apps with twins, ${perCluster} objects per cluster, in ${root}\n`);
    const machine = machineLine(values.dir);
    if (!values.json) io.stdout.write(machine);

    // What runs now, on stderr: a full run takes minutes, most of them in the baselines.
    const step = (what: string) => io.stderr.write(`bench: ${what}…\n`);
    step('the fresh render');
    const before = process.memoryUsage();
    // The fresh render fills the render cache the one-app change then uses, as synth's runs do.
    const cache = new UnitCache('bench');
    const cpuBefore = process.cpuUsage();
    const fresh = timedRender(envDir, distDir, deps, true, cache);
    const cpu = process.cpuUsage(cpuBefore);
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const peakHeap = fresh.clock.peakHeapUsed();

    // The first change follows the fresh render, as the first edit after a clone does; the next
    // one (another cluster's app) is the steady state of editing, with every stamp settled.
    step(`${changes} one-app changes, each on another cluster`);
    const first = withOneHostChanged(spec);
    writeFleet(envDir, first.spec);
    const incremental = timedRender(envDir, distDir, deps, false, cache);
    const firstNote = changeNote('incremental', first.change, cache, incremental);
    const next = withOneHostChanged(first.spec, clusters - 1);
    writeFleet(envDir, next.spec);
    const again = timedRender(envDir, distDir, deps, false, cache);
    const nextNote = changeNote('next change', next.change, cache, again);
    // Further changes, each on another cluster (spread over the fleet), for a median of steady editing.
    const steady = [again.clock.totalMs()];
    let edited = next.spec;
    for (let change = 3; change <= changes; change += 1) {
      edited = withOneHostChanged(edited, ((change - 2) * 37) % clusters).spec;
      writeFleet(envDir, edited);
      steady.push(timedRender(envDir, distDir, deps, false, cache).clock.totalMs());
    }

    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (!values.json) {
      io.stdout.write(`fleet: ${count(fresh.objects)} objects in ${count(fresh.units)} units, ${count(fresh.files.size)} files\n\n`);
      io.stdout.write(
        phaseTable(
          [
            ['fresh', fresh],
            ['incremental', incremental],
            ['next change', again],
          ],
          [firstNote, nextNote],
        ),
      );
      if (changes > 2) io.stdout.write(steadyLine(steady));
      io.stdout.write(cpuLine('fresh', cpuMs, fresh.clock.totalMs(), availableParallelism()));
      io.stdout.write(
        `memory (fresh): peak RSS ${megabytes(peakRss)}, ${megabytes(before.rss)} before the render: ${kilobytesPerObject(peakRss - before.rss, fresh.objects)} per object; ` +
          `heapUsed peak ${megabytes(peakHeap)} (at phase ends), ${megabytes(before.heapUsed)} before: ${kilobytesPerObject(peakHeap - before.heapUsed, fresh.objects)} per object\n\n`,
      );
    }

    const units = fresh.renderedUnits;
    const objects = units.flatMap((unit) => unit.objects);
    const items = units.flatMap((unit) => unit.objects.map((object) => ({ file: `${unit.path}/${unitFileName(object)}`, object })));
    const shm = tmpfsDir();
    step('the floors (JSON.stringify, the YAML emitter, compiled validation, writing the files)');
    const floors = [jsonFloor(objects), yamlFloor(objects), validationFloor(items), writeFloor(fresh.files, shm.dir, shm.label), writeFloor(fresh.files, resolve(io.cwd, values.dir), `--dir ${values.dir}`)];
    const figures: BenchFigures = {
      machine: machine.replace(/^machine: /, '').trimEnd(),
      objects: fresh.objects,
      units: fresh.units,
      files: fresh.files.size,
      filesystem: filesystemOf(values.dir),
      fresh: renderFigures(fresh.clock, fresh.written),
      firstChange: renderFigures(incremental.clock, incremental.written),
      steadyMs: steady.map(microseconds),
      cpuMs: microseconds(cpuMs),
      cores: availableParallelism(),
      memory: { peakRss, rssBefore: before.rss, peakHeapUsed: peakHeap, heapUsedBefore: before.heapUsed },
      floors: floorFigures(floors),
    };
    if (values.json) {
      io.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(floorTable(floors, objects.length) + '\n');

    if (!values['no-goals']) {
      const synth = synthTiming(io, values.examples, join(root, 'synth'));
      const twice = twiceTheFleet(io, figures, resolve(io.cwd, values.dir), changes);
      io.stdout.write(goalLines(judgeGoals(figures, twice, synth)) + '\n');
    }

    if (values['no-baselines']) return 0;
    const twinopsMs = fresh.clock.totalMs();
    const rows: string[][] = [['same estate', 'time', 'objects/s', 'twinops / it'], ['twinops fresh (all phases)', duration(twinopsMs), perSecond(fresh.objects, twinopsMs), '1.00×']];
    step(`stock cdk8s, ${count(units.length)} charts`);
    const stock = stockCdk8s(units, resolve(io.cwd, values.dir));
    rows.push([`stock cdk8s App.synth(), ${count(stock.charts)} charts → ${count(stock.files)} files`, duration(stock.ms), perSecond(objects.length, stock.ms), ratio(twinopsMs, stock.ms)]);
    let kustomizeNote = 'kustomize: skipped, kubectl is not on PATH\n';
    if (hasKubectl()) {
      const built = units.filter((unit) => fresh.files.has(`${unit.path}/${KUSTOMIZATION_FILE}`));
      step(`kubectl kustomize, one process for ${count(built.length)} units${kustomizeTimeoutMs > 0 ? ` (stopped after ${values['kustomize-timeout']} s)` : ''}, then one process per unit`);
      const kustomize = kustomizeEstate(distDir, built, sample, kustomizeTimeoutMs);
      const over = kustomize.estateTimedOut ? '> ' : '';
      rows.push([
        `kubectl kustomize, one process, ${count(kustomize.units)} units`,
        `${over}${duration(kustomize.estateMs)}`,
        kustomize.estateTimedOut ? '-' : perSecond(kustomize.estateObjects, kustomize.estateMs),
        `${kustomize.estateTimedOut ? '< ' : ''}${ratio(twinopsMs, kustomize.estateMs)}`,
      ]);
      rows.push([
        `kubectl kustomize, one process per unit (${count(kustomize.sampled)} timed, scaled)`,
        duration(kustomize.perUnitMs),
        perSecond(fresh.objects, kustomize.perUnitMs),
        ratio(twinopsMs, kustomize.perUnitMs),
      ]);
      kustomizeNote = kustomize.estateTimedOut
        ? `kustomize: the one-process build was stopped after --kustomize-timeout ${values['kustomize-timeout']} s; kustomize writes no files (stdout only)\n`
        : `kustomize: built ${count(kustomize.estateObjects)} objects in the one-process build; kustomize writes no files (stdout only)\n`;
    }
    io.stdout.write(table(rows) + kustomizeNote);
    return 0;
  } catch (error) {
    return reportError(io, 'bench', error, verbose);
  } finally {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  }
}
