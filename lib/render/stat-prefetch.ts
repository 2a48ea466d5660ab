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
// One worker serves the process (`statWorker`): each request brings its own arrays, and the list
// of paths only when it changed. The folders come first (the writer lists them before it
// compares files). After each stat the count of paths done is published (Atomics: the values are
// visible to whoever reads the count). A newer request (the next render's) ends this one.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { lstatSync } = require('node:fs');
let paths = [];
parentPort.on('message', ({ root, list, all, folders, stats, done, turns, turn }) => {
  if (list !== undefined) paths = list.split('\\0');
  const values = new Float64Array(stats);
  const count = new Int32Array(done);
  const current = new Int32Array(turns);
  for (let i = 0; i < all; i += 1) {
    if ((i & 255) === 0 && Atomics.load(current, 0) !== turn) return;
    const at = i * ${FIELDS};
    const folder = i < folders;
    const path = paths[i];
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
});
`;

/** The process's stat worker; null when none can be started (a restricted runtime). */
let shared: { readonly worker: Worker; readonly turns: Int32Array; turn: number; sent: PrefetchPaths | undefined } | null | undefined;

/**
 * The stat worker, started by the first prefetch and kept for the next ones: a thread of its own
 * per render cost 10-15 ms of the main thread to start, and its first stat came 30-100 ms after,
 * when a one-app change on the bench fleet reaches its write in a few hundred. It never keeps the
 * process alive; a worker that fails or exits is started again by the next prefetch.
 */
function statWorker(): NonNullable<typeof shared> | undefined {
  if (shared === undefined) {
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      const started = { worker, turns: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)), turn: 0, sent: undefined };
      // A worker that fails reports nothing the writer needs (its stats stay unknown): its error is dropped.
      worker.on('error', () => undefined);
      worker.on('exit', () => {
        if (shared === started) shared = undefined;
      });
      worker.unref();
      shared = started;
    } catch {
      shared = null;
    }
  }
  return shared ?? undefined;
}

/**
 * The paths a prefetch stats, with each one's place in the shared array. Kept by the stamps from
 * one render to the next and used again while the paths are the same ones: building the two
 * indexes of 27,000 paths cost 15-20 ms of every one-app change on the bench fleet.
 */
export class PrefetchPaths {
  public readonly index = new Map<string, number>();
  public readonly folderIndex = new Map<string, number>();

  /**
   * Every path, folders first, joined with NUL (which no path holds): one string is copied to the
   * worker at once, where an array of 27,000 was cloned string by string (~10 ms per render).
   */
  public readonly list: string;

  /** The files `files` and the folders `folders` (`''` the top), folders stat-ed first. */
  public constructor(
    public readonly files: readonly string[],
    public readonly folders: readonly string[] = [],
  ) {
    folders.forEach((folder, i) => this.folderIndex.set(folder, i));
    files.forEach((path, i) => this.index.set(path, folders.length + i));
    this.list = [...folders, ...files].join('\0');
  }

  /**
   * `last` when it has a place for every path of `files` and `folders` and at most `SLACK` paths
   * more of each, else new paths. Any order: a stamp made again moves to the end of its map. The
   * files written by the last render have no stamp yet (their stat is too recent to trust,
   * ./racy.ts), so the set changes by a few paths on every change; stat-ing those few paths
   * again costs the worker nothing anyone waits for.
   */
  public static reused(last: PrefetchPaths | undefined, files: ReadonlyMap<string, unknown>, folders: ReadonlyMap<string, unknown>): PrefetchPaths {
    if (last !== undefined && covers(last.index, files) && covers(last.folderIndex, folders)) return last;
    return new PrefetchPaths([...files.keys()], [...folders.keys()]);
  }
}

/** Paths a reused prefetch may have beyond those asked. */
const SLACK = 256;

/** Whether `index` has every key of `map`, and at most `SLACK` keys more. */
function covers(index: ReadonlyMap<string, number>, map: ReadonlyMap<string, unknown>): boolean {
  if (index.size < map.size || index.size > map.size + SLACK) return false;
  for (const key of map.keys()) if (!index.has(key)) return false;
  return true;
}

export class StatPrefetch {
  private readonly index: ReadonlyMap<string, number>;
  private readonly folderIndex: ReadonlyMap<string, number>;
  private readonly values: Float64Array;
  /** How many paths (folders first) the worker has stat-ed. */
  private readonly done: Int32Array;

  /** Starts stat-ing `paths` below the real folder `root` (resolved, absolute) on a worker thread. */
  public constructor(root: string, paths: PrefetchPaths) {
    const { files, folders } = paths;
    const stats = new SharedArrayBuffer((files.length + folders.length) * FIELDS * Float64Array.BYTES_PER_ELEMENT);
    const done = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.values = new Float64Array(stats);
    this.done = new Int32Array(done);
    this.index = paths.index;
    this.folderIndex = paths.folderIndex;
    const worker = statWorker();
    if (worker === undefined) return; // Nothing is ever done: the writer stats every file itself.
    worker.turn += 1;
    Atomics.store(worker.turns, 0, worker.turn);
    // The list goes only when it is not the one the worker has (one string, split there once).
    const list = worker.sent === paths ? undefined : paths.list;
    worker.sent = paths;
    const all = files.length + folders.length;
    worker.worker.postMessage({ root, list, all, folders: folders.length, stats, done, turns: worker.turns.buffer, turn: worker.turn });
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
