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
  if (list !== undefined) paths = Buffer.from(list).toString('utf8').split('\\0');
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
let shared: { readonly worker: Worker; readonly turns: Int32Array; turn: number; sent: PrefetchList | undefined } | null | undefined;

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
 * The paths a prefetch stats, folders first, each at its slot: the stamps keep their own slot
 * (./stamps.ts, ./folder-stamps.ts), so nothing maps a path to its place. Two indexes of the
 * 27,000 paths of the bench fleet cost 50 ms of the first change after a fresh render (and of
 * every CLI run on it), and 4-8 ms of each change after to check they still held; placing the
 * paths is done again only once a few hundred stamps came or went, and the render cache file
 * keeps the list and the slots (a new process places nothing).
 */
export interface PrefetchList {
  /**
   * Every path, folders first, UTF-8, each ended by a NUL (which no path holds), in memory shared
   * with the worker: it is handed over without a copy. Joined into one string, the bench fleet's
   * 27,000 paths cost 17-36 ms to join and 11-26 ms to post (the message copies the string), on
   * every first change and every CLI run (measured; written here, 5-9 ms).
   */
  readonly bytes: Uint8Array;
  /** How many of the paths are folders (the first ones; `''` is the top). */
  readonly folders: number;
  /** How many paths in all. */
  readonly all: number;
}

/** The list of `folders` (at slots 0 to folders.length - 1) then `files`. */
export function prefetchList(folders: readonly string[], files: readonly string[]): PrefetchList {
  return { bytes: encodePaths(folders, files), folders: folders.length, all: folders.length + files.length };
}

/** A list kept in the render cache file: its bytes copied into memory the worker can share. */
export function restoredPrefetchList(bytes: Uint8Array, folders: number, all: number): PrefetchList {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return { bytes: shared, folders, all };
}

/**
 * The paths' UTF-8, each ended by a NUL, in shared memory. Written a character at a time while
 * they are ASCII, as paths nearly always are: `Buffer.write` per path (two native calls each)
 * took 16-34 ms for the bench fleet's 27,000 the first time, this loop 5-9 ms (measured). A path
 * with another character sends the whole list through `Buffer.from`.
 */
function encodePaths(folders: readonly string[], files: readonly string[]): Uint8Array {
  let length = 0;
  for (const path of folders) length += path.length + 1;
  for (const path of files) length += path.length + 1;
  const bytes = new Uint8Array(new SharedArrayBuffer(length));
  let at = 0;
  const ascii = (path: string): boolean => {
    for (let i = 0; i < path.length; i += 1) {
      const code = path.charCodeAt(i);
      if (code >= 0x80) return false;
      bytes[at++] = code;
    }
    bytes[at++] = 0;
    return true;
  };
  for (const path of folders) if (!ascii(path)) return encodeAny(folders, files);
  for (const path of files) if (!ascii(path)) return encodeAny(folders, files);
  return bytes;
}

function encodeAny(folders: readonly string[], files: readonly string[]): Uint8Array {
  const encoded = Buffer.from([...folders, ...files].map((path) => `${path}\0`).join(''));
  const bytes = new Uint8Array(new SharedArrayBuffer(encoded.length));
  bytes.set(encoded);
  return bytes;
}

/** No slot: the path is not in the list of the last prefetch (the writer stats it itself). */
export const NO_SLOT = -1;

export class StatPrefetch {
  private readonly values: Float64Array;
  /** How many paths (folders first) the worker has stat-ed. */
  private readonly done: Int32Array;
  private readonly folders: number;

  /** Starts stat-ing the paths of `paths` below the real folder `root` (resolved, absolute) on a worker thread. */
  public constructor(root: string, paths: PrefetchList) {
    const { all, folders } = paths;
    const stats = new SharedArrayBuffer(all * FIELDS * Float64Array.BYTES_PER_ELEMENT);
    const done = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.values = new Float64Array(stats);
    this.done = new Int32Array(done);
    this.folders = folders;
    const worker = statWorker();
    if (worker === undefined) return; // Nothing is ever done: the writer stats every file itself.
    worker.turn += 1;
    Atomics.store(worker.turns, 0, worker.turn);
    // The list goes only when it is not the one the worker has (decoded and split there once).
    const list = worker.sent === paths ? undefined : paths.bytes.buffer;
    worker.sent = paths;
    worker.worker.postMessage({ root, list, all, folders, stats, done, turns: worker.turns.buffer, turn: worker.turn });
  }

  /**
   * Whether the file at `slot` had the stat `known` when the worker took it: undefined when the
   * writer must stat it itself. No stat object is made per file: the writer asks this of all
   * 22,757 files of the bench fleet after each change.
   */
  public matches(slot: number, known: PrefetchedStat): boolean | undefined {
    if (slot < this.folders || !this.reached(slot)) return undefined;
    const at = slot * FIELDS;
    const values = this.values;
    const size = values[at] as number;
    if (size === UNKNOWN) return undefined;
    // Missing or not a file: no stamp holds.
    if (size < 0) return false;
    return size === known.size && values[at + 1] === known.mtimeMs && values[at + 2] === known.ctimeMs && values[at + 3] === known.ino && values[at + 4] === known.mode;
  }

  /** The stat of the folder at `slot` taken by the worker; undefined when the writer must stat it itself (gone, or not a folder). */
  public folder(slot: number): PrefetchedFolderStat | undefined {
    if (slot < 0 || slot >= this.folders || !this.reached(slot)) return undefined;
    const at = slot * FIELDS;
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
