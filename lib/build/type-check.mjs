// The type check as a running process: tsc over the program that renders, started on the other
// core so that the work before the render's write (building the bundle, loading it, rendering)
// runs beside it (issue 11). An edited chart cost the build, then tsc, then the render, one after
// the other: tsc alone is 2.0-2.2 s of the 3.6-4.2 s an example estate's `npm run synth` took
// after a chart edit; beside them, 3.0-3.6 s (measured alternating; tsc itself slows to ~2.9 s
// as the two share the cores). The verdict is still awaited before anything is written
// (lib/cli/typecheck.ts, lib/cli/synth.ts). Plain JavaScript: bin/twinops.mjs starts it before
// any TypeScript can be loaded. Types: ./type-check.d.mts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** Never committed (node_modules is ignored), so a fresh clone checks once. */
export const TYPE_CHECK_CACHE_DIR = join('node_modules', '.cache', 'twinops');

/** The hash of the sources at the last check that passed. */
export const STAMP_FILE = join(TYPE_CHECK_CACHE_DIR, 'typecheck.json');

/** tsc's incremental state: a re-check after a small change reuses what did not change. */
const BUILD_INFO_FILE = join(TYPE_CHECK_CACHE_DIR, 'tsbuildinfo');

/** What a check prints when it starts. */
export const CHECKING = 'type-checking charts/ and lib/ (changed since the last check)…\n';

/** What the final error line says when the check fails; the diagnostics come before it. */
export const NOT_TYPE_CHECKED = 'the charts do not type-check; nothing was written';

/** The project's own TypeScript, not whatever `tsc` is on PATH. */
export const TSC = join('node_modules', 'typescript', 'bin', 'tsc');

/** The tsconfig that includes only the program's folders (bin/, charts/, lib/, imports/), never the tests. */
const SYNTH_TSCONFIG = 'tsconfig.synth.json';

/** The hash of the last check that passed, or undefined (none yet, or a stamp that does not parse: check again). */
export function readStamp(root) {
  try {
    const stamp = JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8'));
    const sources = typeof stamp === 'object' && stamp !== null ? stamp.sources : undefined;
    return typeof sources === 'string' ? sources : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `twinops <argv>` type-checks before it renders: synth, check, diff, and the dr
 * commands that render (activate, sync, standby); never with --help. The launcher starts the
 * check early for these only; a command it guesses wrong about still checks (or does not) as
 * its own code says, and a check nobody waited for is stopped when the process exits.
 */
export function checksBeforeRendering(argv) {
  const [command, ...rest] = argv;
  let positionals;
  let values;
  try {
    // Not strict: the program words every mistake of the command line itself.
    ({ values, positionals } = parseArgs({ args: rest, options: { help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true }));
  } catch {
    return false;
  }
  if (values.help === true) return false;
  if (command === 'dr') return ['activate', 'sync', 'standby'].includes(positionals[0]);
  return command === 'synth' || command === 'check' || command === 'diff';
}

/** `flag[0]`: the verdict is in. `flag[1]`: the child's state, which both threads move (below). */
const VERDICT = 0;
const CHILD = 1;
const NOT_STARTED = 0;
const STARTING = 1;
const STARTED = 2;
/** Set by the main thread as it exits before the worker started tsc: the worker never starts it. */
const CANCELLED = 3;

/**
 * The thread that runs tsc: it owns the child process (its output and exit are events, which
 * the main thread, busy rendering, cannot take), posts the child's pid at once and the outcome
 * at the end, then raises the flag the main thread may be waiting on. The child's state tells
 * an exiting main thread whether there is a child to stop, or one about to have a pid.
 */
const RUNNER = `
const { workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { port, flag, command, args, cwd } = workerData;
let finished = false;
const done = (outcome) => {
  if (finished) return;
  finished = true;
  port.postMessage(outcome);
  Atomics.store(flag, ${CHILD}, ${STARTED});
  Atomics.notify(flag, ${CHILD});
  Atomics.store(flag, ${VERDICT}, 1);
  Atomics.notify(flag, ${VERDICT});
};
// The main thread may be blocked on the flag: whatever goes wrong here must still raise it.
process.on('uncaughtException', (error) => done({ error: String(error && error.message || error) }));
const run = () => {
  // The main thread exited first: no tsc to start, and none left behind.
  if (Atomics.compareExchange(flag, ${CHILD}, ${NOT_STARTED}, ${STARTING}) !== ${NOT_STARTED}) return;
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) port.postMessage({ pid: child.pid });
  Atomics.store(flag, ${CHILD}, ${STARTED});
  Atomics.notify(flag, ${CHILD});
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text) => { output += text; });
  child.stderr.setEncoding('utf8').on('data', (text) => { output += text; });
  child.on('error', (error) => done({ error: error.message }));
  child.on('close', (code, signal) => done({ code, signal, output }));
};
run();
`;

/** How long an exiting process waits for the pid of a tsc being started, to stop it. */
const STARTING_WAIT_MS = 5000;

/**
 * Starts `tsc -p tsconfig.synth.json --noEmit --incremental` in `root` on a thread of its own and
 * returns `{ result() }`: the verdict, waited for (blocking) when it is not in yet. The verdict:
 * `{ status: 'passed' }`, `{ status: 'failed', diagnostics }` (tsc's output, paths relative to
 * `root`), or `{ status: 'unavailable', reason }` when the project has no TypeScript. Throws
 * from `result()` when tsc could not run or was stopped by a signal. A check whose result is
 * never asked for is stopped when the process exits: no tsc outlives the command.
 */
export function startTypeCheck(root) {
  if (!existsSync(join(root, TSC))) {
    const verdict = { status: 'unavailable', reason: `TypeScript is not installed (no ${TSC})` };
    return { result: () => verdict };
  }
  const args = [TSC, '-p', SYNTH_TSCONFIG, '--noEmit', '--incremental', '--tsBuildInfoFile', BUILD_INFO_FILE, '--pretty', 'false'];
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  // In `root`, so tsc prints the paths relative to the project: charts/apps/redis.ts(3,14).
  const worker = new Worker(RUNNER, { eval: true, workerData: { port: port2, flag, command: process.execPath, args, cwd: root }, transferList: [port2] });
  // Neither keeps the process alive: a command that ends without the verdict ends.
  worker.unref();
  port1.unref();
  let pid;
  let outcome;
  const drain = () => {
    for (let received = receiveMessageOnPort(port1); received !== undefined; received = receiveMessageOnPort(port1)) {
      if (typeof received.message.pid === 'number') pid = received.message.pid;
      else outcome = received.message;
    }
  };
  const stopUnwanted = () => {
    // Not started yet: now it never will be.
    if (Atomics.compareExchange(flag, CHILD, NOT_STARTED, CANCELLED) === NOT_STARTED) return;
    // Being started: its pid is posted the moment spawn returns.
    if (Atomics.load(flag, CHILD) === STARTING) Atomics.wait(flag, CHILD, STARTING, STARTING_WAIT_MS);
    drain();
    if (outcome === undefined && pid !== undefined) {
      try {
        process.kill(pid);
      } catch {
        // Gone already.
      }
    }
  };
  process.once('exit', stopUnwanted);
  let verdict;
  return {
    result() {
      if (verdict !== undefined) return verdict;
      while (Atomics.load(flag, VERDICT) === 0) Atomics.wait(flag, VERDICT, 0);
      drain();
      process.off('exit', stopUnwanted);
      void worker.terminate();
      if (outcome?.error !== undefined) throw new Error(`cannot run ${TSC}: ${outcome.error}`);
      if (outcome?.code === null || outcome?.code === undefined) throw new Error(`${TSC} was stopped by ${outcome?.signal ?? 'a signal'} before it finished`);
      verdict = outcome.code === 0 ? { status: 'passed' } : { status: 'failed', diagnostics: outcome.output.trimEnd() };
      return verdict;
    },
  };
}
