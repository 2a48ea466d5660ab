/**
 * The stats of the stamped files, taken by a worker thread while the render runs (issue 11). The
 * writer's one `lstat` per produced file is what notices a hand-edited `dist/` file; on the bench
 * fleet's 22,756 files it cost 150-300 ms of the main thread after a one-app change. Taken on the
 * other core during the render, it costs the writer nothing but reading an array. Git's
 * `core.preloadIndex` does the same with threads.
 *
 * What it changes: a file is stat-ed when the render starts, not when the write is planned, so
 * an edit made to a `dist/` file during the render itself is seen by the next synth instead (as
 * one made during the write always was). Files the worker could not stat, or has not reached
 * when the writer asks, are stat-ed by the writer as before: it never waits for the worker (a
 * one-app change on the bench fleet now reaches its write before the worker has stat-ed all
 * 27,000 paths, and waiting cost it 25-30 ms).
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

// Plain CommonJS, evaluated in the worker: no import of the bundle, nothing to load but `fs`.
// The folders come first (the writer lists them before it compares files). After each stat the
// count of paths done is published (Atomics: the values are visible to whoever reads the count).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { root, paths, folders, stats, done } = workerData;
const values = new Float64Array(stats);
const count = new Int32Array(done);
{
  const { lstatSync } = require('node:fs');
  const all = paths.length + folders.length;
  for (let i = 0; i < all; i += 1) {
    const at = i * ${FIELDS};
    const folder = i < folders.length;
    const path = folder ? folders[i] : paths[i - folders.length];
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
    Atomics.store(count, 0, i + 1);
  }
}
`;

export class StatPrefetch {
  private readonly index = new Map<string, number>();
  private readonly folderIndex = new Map<string, number>();
  private readonly values: Float64Array;
  /** How many paths (folders first) the worker has stat-ed. */
  private readonly done: Int32Array;

  /**
   * Starts stat-ing the files `paths` and the folders `folders` (`''` the top) below the real
   * folder `root` (resolved, absolute) on a worker thread.
   */
  public constructor(root: string, paths: readonly string[], folders: readonly string[] = []) {
    const stats = new SharedArrayBuffer((paths.length + folders.length) * FIELDS * Float64Array.BYTES_PER_ELEMENT);
    const done = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.values = new Float64Array(stats);
    this.done = new Int32Array(done);
    folders.forEach((folder, i) => this.folderIndex.set(folder, i));
    paths.forEach((path, i) => this.index.set(path, folders.length + i));
    try {
      // Never keeps the process alive: a render that fails early exits as it would. A worker that
      // fails reports nothing the writer needs (its stats stay unknown): its error is dropped.
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root, paths, folders, stats, done } });
      worker.on('error', () => undefined);
      worker.unref();
    } catch {
      // No worker (a restricted runtime): nothing is ever done, the writer stats every file itself.
    }
  }

  /** The stat of `path` taken by the worker; undefined when the writer must stat it itself. */
  public get(path: string): PrefetchedStat | undefined {
    const i = this.index.get(path);
    if (i === undefined || !this.reached(i)) return undefined;
    const at = i * FIELDS;
    const size = this.values[at] as number;
    if (size === UNKNOWN) return undefined;
    return { size, mtimeMs: this.values[at + 1] as number, ctimeMs: this.values[at + 2] as number, ino: this.values[at + 3] as number, mode: this.values[at + 4] as number };
  }

  /** The stat of the folder `folder` taken by the worker; undefined when the writer must stat it itself (gone or no folder included). */
  public folder(folder: string): PrefetchedFolderStat | undefined {
    const i = this.folderIndex.get(folder);
    if (i === undefined || !this.reached(i)) return undefined;
    const at = i * FIELDS;
    if ((this.values[at] as number) < 0) return undefined;
    return { mtimeMs: this.values[at + 1] as number, ctimeMs: this.values[at + 2] as number, ino: this.values[at + 3] as number };
  }

  /** Whether the worker has stat-ed the path at `i` (read once more only while it has not). */
  private reached(i: number): boolean {
    if (i < this.known) return true;
    this.known = Atomics.load(this.done, 0);
    return i < this.known;
  }

  private known = 0;
}
