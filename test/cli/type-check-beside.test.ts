/**
 * The type check runs beside the render (lib/build/type-check.mjs, lib/cli/typecheck.ts,
 * lib/cli/synth.ts): tsc in a process of its own, started before the render and awaited before
 * anything is written. A fake `node_modules/typescript/bin/tsc` stands in for TypeScript.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { checksBeforeRendering, startTypeCheck, TSC } from '../../lib/build/type-check.mjs';
import type { Io } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { beginTypeCheck, NOT_TYPE_CHECKED, STAMP_FILE, type PendingTypeCheck, type TypeCheckResult } from '../../lib/cli/typecheck';
import { UserError } from '../../lib/errors';
import type { Compose } from '../../lib/synth';
import { REPO, scratchProject } from '../support/tree';

const DIAGNOSTIC = "charts/apps/redis.ts(3,14): error TS2322: Type 'string' is not assignable to type 'number'.";

let root = '';
let project: ReturnType<typeof scratchProject> | undefined;
afterEach(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
  root = '';
  project?.cleanup();
  project = undefined;
});

/** A project whose `tsc` is `script` (run by node with tsc's arguments, in the project). */
function projectWithTsc(script: string): string {
  root = mkdtempSync(join(tmpdir(), 'twinops-tsc-'));
  mkdirSync(join(root, 'node_modules/typescript/bin'), { recursive: true });
  writeFileSync(join(root, TSC), script);
  return root;
}

describe('startTypeCheck', () => {
  it('runs the project\'s tsc on tsconfig.synth.json, incrementally, in the project, and answers "passed" on exit 0', () => {
    projectWithTsc("require('node:fs').writeFileSync('ran', JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }));\n");
    expect(startTypeCheck(root).result()).toEqual({ status: 'passed' });
    expect(JSON.parse(readFileSync(join(root, 'ran'), 'utf8'))).toEqual({
      args: ['-p', 'tsconfig.synth.json', '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/twinops/tsbuildinfo', '--pretty', 'false'],
      cwd: root,
    });
  });

  it('answers "failed" with what tsc printed, both streams', () => {
    projectWithTsc(`console.log(${JSON.stringify(DIAGNOSTIC)}); console.error('Found 1 error.'); process.exitCode = 2;\n`);
    expect(startTypeCheck(root).result()).toEqual({ status: 'failed', diagnostics: `${DIAGNOSTIC}\nFound 1 error.` });
  });

  it('answers "unavailable" when the project has no TypeScript', () => {
    root = mkdtempSync(join(tmpdir(), 'twinops-tsc-'));
    expect(startTypeCheck(root).result()).toEqual({ status: 'unavailable', reason: 'TypeScript is not installed (no node_modules/typescript/bin/tsc)' });
  });

  it('returns while tsc runs: tsc here passes only once the caller, after the start, has written a file', () => {
    projectWithTsc(
      "const fs = require('node:fs'); const end = Date.now() + 20000;\n" +
        "const wait = () => fs.existsSync('go') ? process.exit(0) : Date.now() > end ? process.exit(3) : setTimeout(wait, 20);\nwait();\n",
    );
    const running = startTypeCheck(root);
    writeFileSync(join(root, 'go'), '');
    expect(running.result()).toEqual({ status: 'passed' });
  });

  it('stops a tsc nobody waited for when the process exits', async () => {
    // Written whole, then renamed: the starter exits as soon as the file exists, and its exit
    // stops this tsc, which may then die between creating a file and writing its pid (the test
    // would read an empty file as pid 0, and signal 0 reaches its own process group).
    projectWithTsc("const fs = require('node:fs'); fs.writeFileSync('pid.part', String(process.pid)); fs.renameSync('pid.part', 'pid'); setTimeout(() => undefined, 60000);\n");
    const module = join(REPO, 'lib/build/type-check.mjs');
    const starter =
      `import(${JSON.stringify(module)}).then(({ startTypeCheck }) => { startTypeCheck(${JSON.stringify(root)}); ` +
      `const fs = require('node:fs'); const wait = () => fs.existsSync(${JSON.stringify(join(root, 'pid'))}) ? process.exit(0) : setTimeout(wait, 20); wait(); });`;
    expect(spawnSync(process.execPath, ['-e', starter], { encoding: 'utf8', timeout: 30_000 }).status).toBe(0);
    const pid = Number(readFileSync(join(root, 'pid'), 'utf8'));
    expect(pid).toBeGreaterThan(0);
    // A process that was killed but not yet reaped (a zombie) is gone too.
    const alive = () => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      return !/^\d+ \(.*\) Z/.test(stat);
    };
    const until = Date.now() + 5000;
    while (alive() && Date.now() < until) await new Promise((done) => setTimeout(done, 20));
    expect(alive()).toBe(false);
  });
});

describe('checksBeforeRendering: the commands the launcher starts tsc for', () => {
  it.each([
    [['synth'], true],
    [['synth', '--out', 'build'], true],
    [['check'], true],
    [['diff', '--base', 'main'], true],
    [['dr', 'activate', 'home'], true],
    [['dr', 'sync', 'home', '--app', 'wordpress'], true],
    [['dr', 'standby', 'home'], true],
    [['dr', 'status', 'home'], false],
    [['dr', 'plan', 'home', 'active'], false],
    [['synth', '--help'], false],
    [['dr', 'activate', '-h'], false],
    [['bench'], false],
    [['import'], false],
    [['schema'], false],
    [[], false],
  ])('%j → %s', (argv, expected) => {
    expect(checksBeforeRendering(argv)).toBe(expected);
  });
});

describe('beginTypeCheck with a check already running', () => {
  /** A running check that answers `result` and counts how often it was asked. */
  function running(result: TypeCheckResult) {
    const asked = { count: 0 };
    return { asked, check: { result: () => (asked.count++, result) } };
  }

  function sources(): string {
    root = mkdtempSync(join(tmpdir(), 'twinops-begin-'));
    return root;
  }

  it('is unsettled until asked, then writes the stamp of the sources it was given', () => {
    sources();
    const { asked, check } = running({ status: 'passed' });
    const err: string[] = [];
    const pending = beginTypeCheck({ root, io: { stderr: { write: (text: string) => err.push(text) } }, command: 'synth', sources: 'hash-1', running: check });
    expect(pending.settled).toBe(false);
    expect(asked.count).toBe(0);
    pending.settle();
    pending.settle();
    expect(pending.settled).toBe(true);
    expect(asked.count).toBe(1);
    expect(JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8'))).toEqual({ sources: 'hash-1' });
    expect(err.join('')).toBe('type-checking charts/ and lib/ (changed since the last check)…\n');
  });

  it('prints the diagnostics once and throws every time it is settled when the check failed', () => {
    sources();
    const { check } = running({ status: 'failed', diagnostics: DIAGNOSTIC });
    const err: string[] = [];
    const pending = beginTypeCheck({ root, io: { stderr: { write: (text: string) => err.push(text) } }, command: 'synth', sources: 'hash-1', running: check });
    expect(() => pending.settle()).toThrow(NOT_TYPE_CHECKED);
    expect(() => pending.settle()).toThrow(NOT_TYPE_CHECKED);
    expect(err.join('')).toBe(`type-checking charts/ and lib/ (changed since the last check)…\n${DIAGNOSTIC}\n`);
    expect(existsSync(join(root, STAMP_FILE))).toBe(false);
  });

  it('neither starts nor waits when the sources are those of the last check that passed', () => {
    sources();
    mkdirSync(join(root, 'node_modules/.cache/twinops'), { recursive: true });
    writeFileSync(join(root, STAMP_FILE), JSON.stringify({ sources: 'hash-1' }));
    const { asked, check } = running({ status: 'failed', diagnostics: DIAGNOSTIC });
    const pending = beginTypeCheck({ root, io: { stderr: { write: () => true } }, command: 'synth', sources: 'hash-1', running: check });
    expect(pending.settled).toBe(true);
    pending.settle();
    expect(asked.count).toBe(0);
  });
});

describe('synth renders while the check runs, and writes only after it passed', () => {
  /** `twinops synth` in-process; `events` records the render, the verdict and the progress lines in order. */
  async function synthWith(verdict: 'passed' | 'failed', compose: Compose = composeUnits) {
    project = scratchProject();
    const events: string[] = [];
    const err: string[] = [];
    const io: Io = {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (err.push(text), events.push(`stderr ${text.trim().split(':')[0]}`)) },
      cwd: project.root,
      env: {},
    };
    let settled = false;
    const typecheck = (): PendingTypeCheck => ({
      get settled() {
        return settled;
      },
      settle() {
        if (!settled) events.push(`verdict ${verdict}`);
        settled = true;
        if (verdict === 'failed') throw new UserError(NOT_TYPE_CHECKED);
      },
    });
    const recorded: Compose = (env) => (events.push(`render ${env.name}`), compose(env));
    const code = await main(['synth'], io, { compose: recorded, catalog: APP_CATALOG, typecheck });
    return { code, events, stderr: err.join('') };
  }

  it('holds the progress lines until the check passed, then writes dist/', async () => {
    const { code, events } = await synthWith('passed');
    expect(code).toBe(0);
    expect(events).toEqual(['render home', 'verdict passed', 'stderr home']);
    expect(existsSync(join(project?.dist ?? '', 'home'))).toBe(true);
  });

  it('writes nothing and drops the progress lines of a render whose code does not type-check', async () => {
    const { code, events, stderr } = await synthWith('failed');
    expect(code).toBe(1);
    expect(events).toEqual(['render home', 'verdict failed', 'stderr twinops synth']);
    expect(stderr).toBe(`twinops synth: ${NOT_TYPE_CHECKED}\n`);
    expect(existsSync(project?.dist ?? '')).toBe(false);
  });

  it('reports the failed check rather than the render error of code that does not type-check', async () => {
    const throwing: Compose = (env) => {
      if (env.name === 'home') throw new Error('chart blew up');
      return composeUnits(env);
    };
    const { code, stderr } = await synthWith('failed', throwing);
    expect(code).toBe(1);
    expect(stderr).toBe(`twinops synth: ${NOT_TYPE_CHECKED}\n`);
    expect(existsSync(project?.dist ?? '')).toBe(false);
  });
});
