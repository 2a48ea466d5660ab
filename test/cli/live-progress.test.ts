/**
 * The progress line of long renders (lib/cli/live-progress.ts): on a terminal only, after a
 * second, redrawn at most ten times a second, erased before any other line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import type { Io } from '../../lib/cli/io';
import { LiveProgress, REDRAW_MS, SHOW_AFTER_MS } from '../../lib/cli/live-progress';
import { main } from '../../lib/cli/main';
import { scratchProject } from '../support/tree';

const ERASE = '\r\x1b[K';

/** A stderr that records what it is given, and a clock the test sets. */
function terminal(isTTY: boolean) {
  const written: string[] = [];
  const clock = { ms: 0 };
  const io = { stderr: { isTTY, write: (text: string) => written.push(text) }, now: () => clock.ms };
  return { io, written, clock };
}

describe('LiveProgress', () => {
  it('draws nothing before a second has passed, then the count in place', () => {
    const { io, written, clock } = terminal(true);
    const live = new LiveProgress(io);
    clock.ms = SHOW_AFTER_MS - 1;
    live.units('fleet', 10, 2775);
    expect(written).toEqual([]);
    clock.ms = SHOW_AFTER_MS;
    live.units('fleet', 1200, 2775);
    expect(written).toEqual([`${ERASE}  fleet: 1,200 of 2,775 units…`]);
  });

  it('redraws at most every REDRAW_MS, but always the end of an environment and a step', () => {
    const { io, written, clock } = terminal(true);
    const live = new LiveProgress(io);
    clock.ms = SHOW_AFTER_MS;
    live.units('fleet', 1, 3);
    clock.ms += REDRAW_MS - 1;
    live.units('fleet', 2, 3);
    live.units('fleet', 3, 3);
    live.step('writing dist/…');
    clock.ms += REDRAW_MS;
    live.units('home', 1, 14);
    expect(written).toEqual([
      `${ERASE}  fleet: 1 of 3 units…`,
      `${ERASE}  fleet: 3 units; policies, runbook and layout…`,
      `${ERASE}  writing dist/…`,
      `${ERASE}  home: 1 of 14 units…`,
    ]);
  });

  it('erases only a line it drew', () => {
    const { io, written, clock } = terminal(true);
    const live = new LiveProgress(io);
    live.clear();
    expect(written).toEqual([]);
    clock.ms = SHOW_AFTER_MS;
    live.step('writing dist/…');
    live.clear();
    live.clear();
    expect(written).toEqual([`${ERASE}  writing dist/…`, ERASE]);
  });

  it('writes nothing where stderr is not a terminal (a CI log, a pipe)', () => {
    const { io, written, clock } = terminal(false);
    const live = new LiveProgress(io);
    clock.ms = 10 * SHOW_AFTER_MS;
    live.units('fleet', 1, 3);
    live.step('writing dist/…');
    live.clear();
    expect(written).toEqual([]);
  });
});

describe("synth, check and dr on a terminal", () => {
  let project: ReturnType<typeof scratchProject> | undefined;
  afterEach(() => project?.cleanup());

  /** `twinops synth` with stderr a terminal and a clock that moves `step` ms each time it is read. */
  async function synth(isTTY: boolean, step: number, argv: readonly string[] = ['synth']) {
    project = scratchProject();
    const err: string[] = [];
    let ms = 0;
    const io: Io = {
      stdout: { write: () => true },
      stderr: { isTTY, write: (text: string) => err.push(text) },
      cwd: project.root,
      env: {},
      now: () => (ms += step),
    };
    const code = await main(argv, io, { compose: composeUnits, catalog: APP_CATALOG });
    return { code, stderr: err.join('') };
  }

  /** The one line synth has always printed for the fixture's `home`, and its unit count. */
  async function plainLine() {
    const { code, stderr } = await synth(false, SHOW_AFTER_MS);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^ {2}home: \d+ units, \d+ objects\n$/);
    return { line: stderr, units: Number(/home: (\d+) units/.exec(stderr)?.[1]) };
  }

  it('shows the units counted in place during a long render and erases the line before each line it prints', async () => {
    const { line, units } = await plainLine();
    project?.cleanup();
    const { code, stderr } = await synth(true, SHOW_AFTER_MS);
    expect(code).toBe(0);
    // Every unit of home counted (the clock moves a second between reads), then its line, then the write.
    const counts = Array.from({ length: units }, (_, done) => `${ERASE}  home: ${done} of ${units} units…`).join('');
    expect(stderr).toBe(`${counts}${ERASE}  home: ${units} units; policies, runbook and layout…${ERASE}${line}${ERASE}  writing dist/…${ERASE}`);
  });

  it('prints exactly the lines it always printed where stderr is not a terminal, and nothing of a render shorter than a second', async () => {
    const { line } = await plainLine();
    project?.cleanup();
    expect(await synth(true, 0)).toEqual({ code: 0, stderr: line });
  });

  it('check counts the units of its render the same way', async () => {
    const { line, units } = await plainLine();
    project?.cleanup();
    const { stderr } = await synth(true, SHOW_AFTER_MS, ['check']);
    const counts = Array.from({ length: units }, (_, done) => `${ERASE}  home: ${done} of ${units} units…`).join('');
    expect(stderr).toBe(`${counts}${ERASE}  home: ${units} units; policies, runbook and layout…${ERASE}${line}`);
  });

  it('dr activate counts the units of its render and the write the same way', async () => {
    const { units } = await plainLine();
    project?.cleanup();
    const { code, stderr } = await synth(true, SHOW_AFTER_MS, ['dr', 'activate', 'home']);
    expect(code).toBe(0);
    const counts = Array.from({ length: units }, (_, done) => `${ERASE}  home: ${done} of ${units} units…`).join('');
    // The environment's line, as the flip's render prints it.
    const line = / {2}home: \d+ units, \d+ objects\n/.exec(stderr)?.[0] ?? '(none)';
    expect(stderr).toBe(`${counts}${ERASE}  home: ${units} units; policies, runbook and layout…${ERASE}${line}${ERASE}  writing dist/…${ERASE}`);
  });
});
