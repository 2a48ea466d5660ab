/**
 * Real processes: `twinops synth` killed with SIGKILL at chosen steps of its writer (the
 * `TWINOPS_FAULT_KILL_AT` test hook), then a normal synth that recovers; and two renders at
 * once, which must not interleave. Each child is `tsx bin/twinops.ts` run in a scratch project.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import type { DrState } from '../../lib/config/schema';
import { synthesize } from '../../lib/synth';
import { snapshot, type Snapshot } from '../support/snapshot';
import { REPO, scratchProject } from '../support/tree';

const TSX = join(REPO, 'node_modules/.bin/tsx');
const BIN = join(REPO, 'bin/twinops.ts');
const CHILD_TIMEOUT_MS = 120_000;

type Project = ReturnType<typeof scratchProject>;
const projects: Project[] = [];
function project(): Project {
  const made = scratchProject();
  projects.push(made);
  return made;
}
afterAll(() => {
  for (const made of projects) made.cleanup();
});

function synthIn(made: Project, state?: DrState, onNotice?: (line: string) => void, faults?: { beforeStep: (step: number, what: string) => void }) {
  return synthesize({
    environmentsDir: made.environments,
    distDir: made.dist,
    projectDir: made.root,
    compose: composeUnits,
    catalog: APP_CATALOG,
    ...(state ? { stateOverride: state } : {}),
    ...(onNotice ? { onNotice } : {}),
    ...(faults ? { faults } : {}),
  });
}

const childEnv = (extra: Record<string, string>) => {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  delete env.TWINOPS_DR_STATE;
  delete env.TWINOPS_FAULT_KILL_AT;
  return { ...env, ...extra };
};

function runChild(made: Project, argv: string[], extra: Record<string, string> = {}) {
  return spawnSync(TSX, [BIN, ...argv], { cwd: made.root, env: childEnv(extra), encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
}

/** A running child, its exit code and its stderr. */
function startChild(made: Project, argv: string[], extra: Record<string, string> = {}) {
  const child: ChildProcess = spawn(TSX, [BIN, ...argv], { cwd: made.root, env: childEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { pid: child.pid ?? 0, done, stderr: () => stderr };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > CHILD_TIMEOUT_MS) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs `firstArgv` paused inside its lock (the PAUSE_UNTIL test hook), starts a synth (with
 * `secondEnv`), lets the first go once the second says it waits, and returns both results.
 */
async function oneWhileTheOtherHoldsTheLock(made: Project, firstArgv: string[], secondEnv: Record<string, string>) {
  const go = join(made.root, 'go');
  const first = startChild(made, firstArgv, { TWINOPS_FAULT_PAUSE_UNTIL: go });
  await until(() => existsSync(join(made.root, '.dist.twinops-lock')), 'the first render holds its lock');
  const second = startChild(made, ['synth'], secondEnv);
  await until(() => second.stderr().includes('waiting for'), 'the second render waits');
  writeFileSync(go, '');
  const [one, two] = await Promise.all([first.done, second.done]);
  rmSync(go);
  return { first: { ...one, pid: first.pid }, second: two };
}

/** The standby render (what the files say) and the active one (the TWINOPS_DR_STATE preview). */
let standby: Snapshot;
let active: Snapshot;
/** The writer's steps of an active render over a standby one, from an in-process run. */
let steps: string[];

beforeAll(() => {
  const made = project();
  synthIn(made);
  standby = snapshot(made.dist);
  steps = [];
  synthIn(made, 'active', undefined, { beforeStep: (_, what) => steps.push(what) });
  active = snapshot(made.dist);
});

describe('synth killed with SIGKILL, then a normal synth', () => {
  it('was given steps to kill at', () => {
    expect(steps.indexOf('commit journal')).toBeGreaterThan(1);
    expect(steps.filter((what) => what.startsWith('rename ')).length).toBeGreaterThan(4);
  });

  const cases = [
    ['before the commit point', () => steps.findIndex((what) => what.startsWith('stage ')) + 2],
    ['right after the journal', () => steps.indexOf('commit journal') + 2],
    ['in the middle of the apply', () => steps.map((what, index) => [what, index] as const).filter(([what]) => what.startsWith('rename '))[3]![1] + 1],
  ] as const;

  it.each(cases)('%s: the previous or the new render is finished by the next run', (_, stepOf) => {
    const made = project();
    synthIn(made);
    const step = stepOf();
    const committed = step > steps.indexOf('commit journal') + 1;

    const killed = runChild(made, ['synth'], { TWINOPS_DR_STATE: 'active', TWINOPS_FAULT_KILL_AT: String(step) });

    // tsx reports its node child's SIGKILL as 128 + 9.
    expect(killed.status).toBe(137);
    if (!committed) expect(snapshot(made.dist)).toEqual(standby);
    expect(readdirSync(made.root).sort()).toEqual(
      ['.dist.twinops-lock', '.dist.twinops-staging', 'dist', 'environments', ...(committed ? ['.dist.twinops-journal'] : [])].sort(),
    );

    const notices: string[] = [];
    synthIn(made, 'active', (line) => notices.push(line));

    expect(notices[0]).toMatch(/^took over the lock .*\.dist\.twinops-lock of pid \d+ \(started [^)]+\), which is no longer running$/);
    expect(notices[1]).toMatch(
      committed ? /^finished the interrupted render of .*\/dist \(journal / : /^removed .*\/\.dist\.twinops-staging, left by a render interrupted before it changed anything/,
    );
    expect(notices).toHaveLength(2);
    expect(snapshot(made.dist)).toEqual(active);
    expect(readdirSync(made.root).sort()).toEqual(['dist', 'environments']);
  });
});

describe('two renders at once', () => {
  it('never interleave: the second waits and its render is the one left', async () => {
    const made = project();

    const { first, second } = await oneWhileTheOtherHoldsTheLock(made, ['synth'], { TWINOPS_DR_STATE: 'active' });

    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(new RegExp(`^twinops synth: waiting for the render of pid \\d+ \\(started [^)]+\\) to finish$`, 'm'));
    expect(snapshot(made.dist)).toEqual(active);
    expect(readdirSync(made.root).sort()).toEqual(['dist', 'environments']);
  });

  it('synth started during dr activate waits, then renders the activated file', async () => {
    const made = project();
    synthIn(made);

    const { first, second } = await oneWhileTheOtherHoldsTheLock(made, ['dr', 'activate', 'home'], {});

    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(readFileSync(join(made.environments, 'home.yaml'), 'utf8')).toMatch(/\n {2}state: active\n/);
    expect(snapshot(made.dist)).toEqual(active);
    expect(readdirSync(made.root).sort()).toEqual(['dist', 'environments']);
  });
});
