/** `twinops bench` judges the goals of issue 11 on figures of one run: the rules, then the run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { parseFigures, type BenchFigures, type RenderFigures } from '../../lib/bench/figures';
import { goalLines, isGoalSize, judgeGoals, type SynthTiming } from '../../lib/bench/goals';
import { PHASES } from '../../lib/bench/phases';
import { twiceArguments } from '../../lib/bench/twice';
import { main } from '../../lib/cli/main';

/** A render of `ms` milliseconds, all of it in the load phase. */
function render(ms: number, written = 9): RenderFigures {
  return { ms, phases: { ...Object.fromEntries(PHASES.map((phase) => [phase, 0])), load: ms }, written, removed: 0 };
}

/** A run of `objects` objects whose resident memory grew by `bytesPerObject` each. */
function figures(objects: number, bytesPerObject: number, over: Partial<BenchFigures> = {}): BenchFigures {
  return {
    machine: 'a test machine',
    objects,
    units: 1,
    files: 1,
    filesystem: 'tmpfs (tmpfs on /dev/shm)',
    fresh: render(1_900, objects),
    firstChange: render(480),
    steadyMs: [300, 200, 250],
    cpuMs: 0,
    cores: 2,
    memory: { peakRss: 127_000_000 + objects * bytesPerObject, rssBefore: 127_000_000, peakHeapUsed: 0, heapUsedBefore: 0 },
    floors: [],
    ...over,
  };
}

const SYNTH: SynthTiming = { command: 'npm run synth', environments: 'environments', rendered: '3 environment(s), 290 object(s)', runsMs: [350, 340, 360, 330, 900], written: 0 };

describe('the goals, judged', () => {
  it('meets each goal at its bound: 10,000 objects/s, 0.5 s, 5.0 KB per object shown, 2.00× shown, the median synth run', () => {
    const here = figures(19_980, 4_000);
    const twice = figures(39_960, 4_960, { fresh: render(3_800), firstChange: render(960), steadyMs: [620, 500, 480] });
    expect(goalLines(judgeGoals(here, twice, SYNTH))).toBe(
      [
        'speed goals (README, "Performance"), each measured in this run:',
        'goal 1, `npm run synth` with nothing to change (≤ 1.0 s): 350 ms, the median of 5 runs (330 ms–900 ms) of `npm run synth` of environments (3 environment(s), 290 object(s)): met',
        'goal 2, a one-app change, in-process (≤ 0.5 s): 480 ms the first change (9 file(s) written), 300 ms the next: met',
        'goal 3, a fresh render of the fleet (≥ 10,000 objects/s on tmpfs): 10,516 objects/s (19,980 objects in 1.90 s): met',
        'goal 4, memory at twice the fleet (≤ 5 KB per object): 5.0 KB per object of peak RSS over the fresh render of 39,960 objects: met',
        'goal 5, twice the fleet (≤ 2.0× the time): fresh 1.90 s / 3.80 s (2.00×), first change 480 ms / 960 ms (2.00×), steady editing (median of 3 / 3) 250 ms / 500 ms (2.00×): met',
        '5 of 5 goals met',
        '',
      ].join('\n'),
    );
  });

  it('misses each goal just past its bound, and does not judge a fresh render off tmpfs', () => {
    const here = figures(19_980, 4_000, { filesystem: 'ext4 (/dev/sda1 on /)', firstChange: render(501) });
    const twice = figures(39_960, 5_060, { fresh: render(3_811), firstChange: render(960), steadyMs: [620, 500, 480] });
    expect(judgeGoals(here, twice, { ...SYNTH, written: 3 }).map((goal) => `${goal.number}: ${goal.measured}: ${goal.verdict}`)).toEqual([
      '1: 350 ms, the median of 5 runs (330 ms–900 ms) of `npm run synth` of environments (3 environment(s), 290 object(s)); but the timed runs wrote 3 file(s): there was something to change: not met',
      '2: 501 ms the first change (9 file(s) written), 300 ms the next: not met',
      '3: 10,516 objects/s (19,980 objects in 1.90 s); --dir is on ext4 (/dev/sda1 on /), the goal is on tmpfs (--dir /dev/shm): not judged',
      '4: 5.1 KB per object of peak RSS over the fresh render of 39,960 objects: not met',
      '5: fresh 1.90 s / 3.81 s (2.01×), first change 501 ms / 960 ms (1.92×), steady editing (median of 3 / 3) 250 ms / 500 ms (2.00×); over: fresh: not met',
    ]);
    expect(judgeGoals(figures(19_980, 4_000, { fresh: render(1_999) }), twice, SYNTH)[2]?.verdict).toBe('not met');
    // Twice the fleet means twice its objects: another count judges nothing.
    expect(judgeGoals(here, { ...twice, objects: 39_961 }, SYNTH)[4]).toMatchObject({
      measured: expect.stringMatching(/; over: fresh; but the other run had 39,961 objects, not 39,960$/),
      verdict: 'not judged',
    });
    expect(judgeGoals(here, twice, { ...SYNTH, runsMs: [1_001] })[0]?.verdict).toBe('not met');
  });

  it('judges nothing on a fleet of another size, and says what was not measured and why', () => {
    const lines = goalLines(judgeGoals(figures(540, 30_000), { notMeasured: 'twinops bench --objects 1080 failed (exit 1)' }, { notMeasured: 'no environments folder envs (--examples DIR)' }));
    expect(lines.split('\n').slice(1)).toEqual([
      'goal 1, `npm run synth` with nothing to change (≤ 1.0 s): not measured: no environments folder envs (--examples DIR): not judged',
      "goal 2, a one-app change, in-process (≤ 0.5 s): 480 ms the first change (9 file(s) written), 300 ms the next; a fleet of 540 objects, the goal's has 20,000 (--objects 20000): not judged",
      "goal 3, a fresh render of the fleet (≥ 10,000 objects/s on tmpfs): 284 objects/s (540 objects in 1.90 s); a fleet of 540 objects, the goal's has 20,000 (--objects 20000): not judged",
      'goal 4, memory at twice the fleet (≤ 5 KB per object): not measured: twinops bench --objects 1080 failed (exit 1): not judged',
      'goal 5, twice the fleet (≤ 2.0× the time): not measured: twinops bench --objects 1080 failed (exit 1): not judged',
      '0 of 5 goals met',
      '',
    ]);
    expect([isGoalSize(19_000, 20_000), isGoalSize(21_000, 20_000), isGoalSize(18_999, 20_000), isGoalSize(21_001, 20_000)]).toEqual([true, true, false, false]);
  });
});

describe('the figures a run hands back', () => {
  it('refuses output that is not JSON, or not the figures, naming each field', () => {
    expect(() => parseFigures('bench: the fresh render…', 'the child')).toThrow(/^the child printed no JSON: /);
    const { fresh: _fresh, ...withoutFresh } = figures(100, 1_000);
    const error = (() => {
      try {
        parseFigures(JSON.stringify({ ...withoutFresh, steadyMs: [] }), 'the child');
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message.split('\n')[0]).toBe("the child printed figures that are not the bench's:");
    expect(error?.message).toMatch(/^ {2}\/fresh: /m);
    expect(error?.message).toMatch(/^ {2}\/steadyMs: /m);
    expect(parseFigures(JSON.stringify(figures(100, 1_000)), 'the child')).toEqual(figures(100, 1_000));
  });

  it('asks the run at twice the fleet for its figures only: no baselines, no goals of its own', () => {
    expect(twiceArguments({ objects: 39_960, dir: '/dev/shm', changes: 3 })).toEqual(['bench', '--objects', '39960', '--dir', '/dev/shm', '--changes', '3', '--no-baselines', '--no-goals', '--json']);
  });
});

describe('twinops bench, end to end', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const deps = { compose: composeUnits, catalog: APP_CATALOG };
  const run = async (args: readonly string[], objects = '100') => {
    dir = mkdtempSync(join(tmpdir(), 'twinops-bench-goals-'));
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) }, cwd: process.cwd(), env: process.env };
    const code = await main(['bench', '--objects', objects, '--no-baselines', '--changes', '3', '--dir', dir, ...args], io, deps);
    return { code, out: out.join(''), err: err.join('') };
  };

  it('prints the figures as JSON with --json: every phase, the changes after the first, the floors', async () => {
    const { code, out, err } = await run(['--json']);
    expect(code).toBe(0);
    const figures = parseFigures(out, 'bench --json');
    expect(figures.objects).toBeGreaterThan(0);
    expect(Object.keys(figures.fresh.phases)).toEqual([...PHASES]);
    expect(figures.fresh.ms).toBeCloseTo(PHASES.reduce((sum, phase) => sum + (figures.fresh.phases[phase] ?? 0), 0), 2);
    expect(figures.fresh.written).toBe(figures.files + 1);
    expect(figures.firstChange.written).toBeGreaterThan(0);
    expect(figures.steadyMs).toHaveLength(2);
    expect(figures.floors.map((floor) => floor.name)).toEqual(['JSON.stringify', 'YAML emitter (render/yaml.ts)', 'compiled validation', expect.stringMatching(/^write files /), `write files (--dir ${dir})`]);
    expect(err).not.toMatch(/^bench: goal/m);
    expect(out).not.toContain('speed goals');
  }, 120_000);

  it('judges the goals on this run: npm run synth of --examples, and the bench at exactly twice the fleet', async () => {
    // 150 objects make one cluster of 108; twice 150 would make three clusters, twice the fleet two.
    const { code, out, err } = await run(['--examples', 'test/fixtures/dr-layouts'], '150');
    expect(code).toBe(0);
    expect(err.trimEnd().split('\n').slice(-2)).toEqual([
      'bench: goal 1: 5 runs of npm run synth of test/fixtures/dr-layouts (a copy), after 2 to warm up…',
      expect.stringMatching(/^bench: goals 4 and 5: the same bench at twice the fleet, \d+ objects, in a process of its own…$/),
    ]);
    const objects = Number(/^fleet: (\d+) objects/m.exec(out)?.[1]);
    const goals = out.slice(out.indexOf('speed goals')).trimEnd().split('\n');
    expect(goals).toHaveLength(7);
    expect(goals[1]).toMatch(/^goal 1, `npm run synth` with nothing to change \(≤ 1\.0 s\): \S+ m?s, the median of 5 runs \(\S+ m?s–\S+ m?s\) of `npm run synth` of test\/fixtures\/dr-layouts \(1 environment\(s\), 8 object\(s\)\): (met|not met)$/);
    expect(goals[4]).toMatch(new RegExp(`^goal 4, memory at twice the fleet \\(≤ 5 KB per object\\): \\d+\\.\\d KB per object of peak RSS over the fresh render of ${2 * objects} objects; a fleet of ${2 * objects} objects, the goal's has 40,000 \\(--objects 40000\\): not judged$`));
    expect(goals[5]).toMatch(/^goal 5, twice the fleet \(≤ 2\.0× the time\): fresh \S+ m?s \/ \S+ m?s \(\d+\.\d\d×\), first change \S+ m?s \/ \S+ m?s \(\d+\.\d\d×\), steady editing \(median of 2 \/ 2\) \S+ m?s \/ \S+ m?s \(\d+\.\d\d×\)(; over: [a-z, ]+)?; a fleet of \d+ objects, the goal's has 20,000 \(--objects 20000\): not judged$/);
    expect(goals[6]).toMatch(/^[01] of 5 goals met$/);
  }, 300_000);

  it('says goal 1 was not measured when the environments folder is not there', async () => {
    const { code, out, err } = await run(['--examples', 'no-such-folder']);
    expect(code).toBe(0);
    expect(out).toContain('goal 1, `npm run synth` with nothing to change (≤ 1.0 s): not measured: no environments folder no-such-folder (--examples DIR): not judged\n');
    expect(err).toContain('bench: goal 1 not measured: no environments folder no-such-folder (--examples DIR)\n');
  }, 300_000);
});
