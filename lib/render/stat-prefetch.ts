/**
 * The stats of the stamped files, taken by a worker thread while the render runs (issue 11). The
 * writer's one `lstat` per produced file is what notices a hand-edited `dist/` file; on the bench
 * fleet's 22,756 files it cost 150-300 ms of the main thread after a one-app change. Taken on the
 * other core during the render, it costs the writer nothing but reading an array. Git's
 * `core.preloadIndex` does the same with threads.
 *
 * What it changes: a file is stat-ed when the render starts, not when the write is planned, so
 * an edit made to a `dist/` file during the render itself is seen by the next synth instead (as
 * one made during the write always was). Files the worker could not stat, or stats not ready
 * within `WAIT_MS`, are stat-ed by the writer as before.
 *
 * The stamped folders are stat-ed too (./folder-stamps.ts: an unchanged folder stat means an
 * unchanged listing): 4,258 lstats, 30-40 ms of the main thread on the bench fleet.
 */
import { Worker } from 'node:worker_threads';

/** A file's stat as the stamps compare it; size -1: not a regular file or missing. */
export interface PrefetchedStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly mode: number;
}

/** A folder's stat as the folder stamps compare it. */
export interface PrefetchedFolderStat {
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

/** Fields per path in the shared array: size (of a folder: 0, or -1 when it is not one), mtimeMs, ctimeMs, ino, mode. */
const FIELDS = 5;
/** Written in `size` when lstat threw something else than "no such file": the writer stats it itself. */
const UNKNOWN = -2;
/** How long the writer waits for the worker before it stats every file itself. */
const WAIT_MS = 10_000;

// Plain CommonJS, evaluated in the worker: no import of the bundle, nothing to load but `fs`.
// Whatever happens, the flag is set last: the writer never waits on a worker that failed.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { root, paths, folders, stats, done } = workerData;
const values = new Float64Array(stats);
values.fill(${UNKNOWN});
try {
  const { lstatSync } = require('node:fs');
  const all = paths.length + folders.length;
  for (let i = 0; i < all; i += 1) {
    const at = i * ${FIELDS};
    const folder = i >= paths.length;
    const path = folder ? folders[i - paths.length] : paths[i];
    try {
      const stat = lstatSync(path === '' ? root : root + '/' + path, { throwIfNoEntry: false });
      if (stat === undefined || !(folder ? stat.isDirectory() : stat.isFile())) values[at] = -1;
      else {
        values[at] = stat.size;
        values[at + 1] = stat.mtimeMs;
        values[at + 2] = stat.ctimeMs;
        values[at + 3] = stat.ino;
        values[at + 4] = stat.mode;
      }
    } catch {
      values[at] = ${UNKNOWN};
    }
  }
} finally {
  const flag = new Int32Array(done);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
`;

export class StatPrefetch {
  private readonly index = new Map<string, number>();
  private readonly folderIndex = new Map<string, number>();
  private readonly values: Float64Array;
  private readonly done: Int32Array;
  private ready: boolean | undefined;

  /**
   * Starts stat-ing the files `paths` and the folders `folders` (`''` the top) below the real
   * folder `root` (resolved, absolute) on a worker thread.
   */
  public constructor(root: string, paths: readonly string[], folders: readonly string[] = []) {
    const stats = new SharedArrayBuffer((paths.length + folders.length) * FIELDS * Float64Array.BYTES_PER_ELEMENT);
    const done = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.values = new Float64Array(stats);
    this.done = new Int32Array(done);
    paths.forEach((path, i) => this.index.set(path, i));
    folders.forEach((folder, i) => this.folderIndex.set(folder, paths.length + i));
    try {
      // Never keeps the process alive: a render that fails early exits as it would. A worker that
      // fails reports nothing the writer needs (its stats stay unknown): its error is dropped.
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root, paths, folders, stats, done } });
      worker.on('error', () => undefined);
      worker.unref();
    } catch {
      // No worker (a restricted runtime): the writer stats every file itself.
      this.ready = false;
    }
  }

  /** The stat of `path` taken by the worker; undefined when the writer must stat it itself. */
  public get(path: string): PrefetchedStat | undefined {
    const i = this.index.get(path);
    if (i === undefined || !this.isReady()) return undefined;
    const at = i * FIELDS;
    const size = this.values[at] as number;
    if (size === UNKNOWN) return undefined;
    return { size, mtimeMs: this.values[at + 1] as number, ctimeMs: this.values[at + 2] as number, ino: this.values[at + 3] as number, mode: this.values[at + 4] as number };
  }

  /** The stat of the folder `folder` taken by the worker; undefined when the writer must stat it itself (gone or no folder included). */
  public folder(folder: string): PrefetchedFolderStat | undefined {
    const i = this.folderIndex.get(folder);
    if (i === undefined || !this.isReady()) return undefined;
    const at = i * FIELDS;
    if ((this.values[at] as number) < 0) return undefined;
    return { mtimeMs: this.values[at + 1] as number, ctimeMs: this.values[at + 2] as number, ino: this.values[at + 3] as number };
  }

  private isReady(): boolean {
    // Waits once: the render usually outlasts the worker, and a late worker is given up on.
    this.ready ??= Atomics.load(this.done, 0) === 1 || Atomics.wait(this.done, 0, 0, WAIT_MS) !== 'timed-out';
    return this.ready;
  }
}
