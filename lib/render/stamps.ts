/**
 * What the writer knows of files it has seen hold given bytes: their size, times, inode and
 * mode, as git's index keeps them. A file whose stat is unchanged still holds those bytes, so a
 * render after a small change compares by one `lstat` instead of reading every file back
 * (issue 11: 22,000 reads to write 9 files). An edited, replaced, deleted or re-moded file has
 * another stat and is read (or written) again. Kept in memory by the render cache.
 */
import { hashContent, knownSame, type Content } from './content';
import { createHash } from 'node:crypto';
import { lstatSync, type Stats } from 'node:fs';
import { CheckedPaths } from './checked-paths';
import { FolderStamps } from './folder-stamps';
import { racy } from './racy.mjs';
import { NO_SLOT, prefetchList, StatPrefetch, type PrefetchList } from './stat-prefetch';

export interface Stamp {
  /**
   * The bytes the file held, as the content the render produced (compared by identity first); or,
   * restored from the cache file, their `digestOf` only (the runbook alone is 11 MB).
   */
  readonly content: Content | { readonly digest: string };
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly mode: number;
  /** The file's place in the stat worker's list (`FileStamps.prefetch`), or `NO_SLOT`. */
  slot: number;
  /**
   * The turn (`FileStamps.turn`: one render's write) in which `holds` confirmed the stamp: it
   * stands as it is. A mark on the stamp, where a set of the confirmed paths cost 15 ms of each
   * one-app change on the bench fleet (22,757 adds, lookups and a clear).
   */
  confirmed: number;
}

/** What a stamp restored from the cache file keeps of a file's bytes. */
export function digestOf(content: Content): string {
  return hashContent(createHash('sha256'), content).digest('base64');
}

/**
 * Whether the stamp's bytes are known to be `content`'s: the same text or parts, or the same
 * digest. "Not known" sends the file to be compared by its bytes.
 */
function sameBytes(stamped: Stamp['content'], content: Content): boolean {
  // The same content first: a cached unit's files are (the digest test alone cost ~10 ms of a
  // one-app change on the bench fleet, an `in` through each content's prototypes).
  if (stamped === content) return true;
  return isDigest(stamped) ? stamped.digest === digestOf(content) : knownSame(stamped, content);
}

/** Whether a stamp keeps only the digest of its bytes (restored from the cache file). */
export const isDigest = (content: Stamp['content']): content is { readonly digest: string } => typeof content === 'object' && 'digest' in content;

const sameStat = (stamp: Stamp, stat: Stats) =>
  stat.size === stamp.size && stat.mtimeMs === stamp.mtimeMs && stat.ctimeMs === stamp.ctimeMs && stat.ino === stamp.ino && stat.mode === stamp.mode;

/**
 * From how many stamped files the stats are taken by a worker during the render: starting one
 * costs 40-60 ms of CPU, about what 5,000 lstats cost the main thread (measured on tmpfs).
 */
const PREFETCH_FROM = 5_000;

/**
 * How many stamps may have come without a place in the worker's list, or lost theirs, before the
 * paths are placed again: those few are stat-ed by the writer itself (a one-app change on the
 * bench fleet writes 9 files, whose stamps come back without a place once past the racy window).
 */
const SLACK = 256;

/** The stamps of one output folder (its real path). */
export class FileStamps {
  private readonly stamps = new Map<string, Stamp>();
  /**
   * Advanced when a render starts (`prefetch`) and when its write settles: a stamp `holds`
   * confirmed for the write now planned has `confirmed === turn`.
   */
  private turn = 1;
  /**
   * Whether the writer changed a file or folder since the cache file was saved or loaded. Stamps
   * only refreshed (a file found unchanged by its bytes, a folder listed again) do not count.
   */
  public get changed(): boolean {
    return this.unsaved || this.folders.unsaved;
  }

  /** After the cache file was saved or loaded: nothing is new. */
  public saved(): void {
    this.unsaved = false;
    this.folders.unsaved = false;
  }

  private unsaved = false;
  /** The stats a worker took during this render (`prefetch`), until the write settles. */
  private prefetched: StatPrefetch | undefined;
  /** The paths of the last prefetch at the stamps' slots, used again while few stamps drifted. */
  private placed: PrefetchList | undefined;
  /** Stamps made without a place in `placed`, and places lost, since it was made. */
  private drift = 0;

  /** The listings of its folders (./folder-stamps.ts). */
  public readonly folders: FolderStamps;
  /** The last paths that passed the writer's checks (./checked-paths.ts). */
  public readonly checked = new CheckedPaths();

  public constructor(public readonly real: string) {
    this.folders = new FolderStamps(real);
  }

  /**
   * `real` is a resolved absolute path and `path` a checked relative one (no `.`, `..`, `//`),
   * so plain concatenation is what `join` gives, without its normalizing: 30-40 ms less over
   * the bench fleet's 22,756 lstats (measured: 170-200 ms against 205-240 ms).
   */
  private absolute(path: string): string {
    return `${this.real}/${path}`;
  }

  /**
   * `holds`, without a stat of its own: undefined when the answer needs the stat of `path` and the
   * worker has not taken it yet (the writer asks again later, when it may have).
   */
  public holdsIfStatTaken(path: string, content: Content): boolean | undefined {
    const stamp = this.stamps.get(path);
    if (stamp === undefined || !sameBytes(stamp.content, content)) return false;
    if (this.prefetched === undefined) return this.holds(path, content);
    // A stat the worker found missing or not a file (size -1) matches no stamp.
    const holds = this.prefetched.matches(stamp.slot, stamp);
    if (holds === true) stamp.confirmed = this.turn;
    return holds;
  }

  /** Whether `path` is known to hold `content`: stamped with these bytes, and its stat unchanged since. */
  public holds(path: string, content: Content): boolean {
    const stamp = this.stamps.get(path);
    if (stamp === undefined || !sameBytes(stamp.content, content)) return false;
    const prefetched = this.prefetched?.matches(stamp.slot, stamp);
    const holds =
      prefetched === undefined
        ? (() => {
            const stat = lstatSync(this.absolute(path), { throwIfNoEntry: false });
            return stat !== undefined && stat.isFile() && sameStat(stamp, stat);
          })()
        : prefetched;
    if (holds) stamp.confirmed = this.turn;
    return holds;
  }

  /**
   * Has a worker take the stats of the stamped files now, for the write after this render
   * (./stat-prefetch.ts); for trees of `PREFETCH_FROM` files or more.
   */
  public prefetch(): void {
    // A new render: what `holds` confirmed for a write that never settled counts no more.
    this.turn += 1;
    if (this.stamps.size >= PREFETCH_FROM) {
      if (this.placed === undefined || this.drift + this.folders.drift > SLACK) this.placed = this.place();
      this.prefetched = new StatPrefetch(this.real, this.placed);
    } else {
      this.prefetched = undefined;
    }
    this.folders.prefetched = this.prefetched;
  }

  /** The paths the last prefetch gave the worker, at the stamps' slots. */
  public placedPaths(): PrefetchList | undefined {
    return this.placed;
  }

  /** Gives every stamp, folders first, its place in a new list of paths for the worker. */
  private place(): PrefetchList {
    const folders: string[] = [];
    for (const [folder, stamp] of this.folders.stamped()) stamp.slot = folders.push(folder) - 1;
    const files: string[] = [];
    for (const [path, stamp] of this.stamps) stamp.slot = folders.length + files.push(path) - 1;
    this.drift = 0;
    this.folders.drift = 0;
    return prefetchList(folders, files);
  }

  /**
   * After a write of `produced`: stamps every file but those `holds` confirmed and that were not
   * written since (`written`), and forgets the files no longer produced.
   */
  public settle(produced: ReadonlyMap<string, Content>, written: ReadonlySet<string>, stats?: ReadonlyMap<string, Stats>): void {
    // Stats taken before the write say nothing of the files after it.
    this.prefetched = undefined;
    this.folders.prefetched = undefined;
    // forEach, not for-of, over every file: no iterator result and entry array per file (~2 MB
    // of garbage per loop on the bench fleet, measured with the sampling heap profiler).
    produced.forEach((content, path) => {
      if (written.has(path)) {
        this.record(path, content, stats?.get(path));
        this.unsaved = true;
      } else if (this.stamps.get(path)?.confirmed !== this.turn) {
        // Found holding its bytes by reading them (a racy or unknown stamp): stamped again, but
        // not worth saving the cache file for; unsaved, it is read once more next time.
        this.record(path, content);
      }
    });
    this.stamps.forEach((stamp, path) => {
      if (!produced.has(path)) {
        this.forget(path, stamp);
        this.unsaved = true;
      }
    });
    this.turn += 1;
  }

  /**
   * Notes that `path` holds `content` now (it was just written or read back), with its stat:
   * `given`, taken when the file was written (a staged tree, renamed into place whole), else now.
   */
  public record(path: string, content: Content, given?: Stats): void {
    const stat = given ?? lstatSync(this.absolute(path), { throwIfNoEntry: false });
    const stamp = this.stamps.get(path);
    // A file changed in the clock tick of its stat could change again unseen (./racy.ts): compared by its bytes next time.
    if (stat === undefined || !stat.isFile() || racy(stat, Date.now())) {
      if (stamp !== undefined) this.forget(path, stamp);
      return;
    }
    // The same path keeps its place in the worker's list.
    const slot = stamp?.slot ?? NO_SLOT;
    if (slot === NO_SLOT) this.drift += 1;
    this.stamps.set(path, { content, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, mode: stat.mode, slot, confirmed: 0 });
  }

  private forget(path: string, stamp: Stamp): void {
    if (stamp.slot !== NO_SLOT) this.drift += 1;
    this.stamps.delete(path);
  }

  /** Every stamp, for the cache file. */
  public entries(): IterableIterator<[string, Stamp]> {
    return this.stamps.entries();
  }

  /** The stamp of `path`, for the cache file. */
  public stampOf(path: string): Stamp | undefined {
    return this.stamps.get(path);
  }

  /** Puts back a stamp the cache file kept, with its place in the list `restorePlaced` puts back (else none). */
  public restore(path: string, stamp: Omit<Stamp, 'slot' | 'confirmed'>, slot = NO_SLOT): void {
    this.stamps.set(path, { content: stamp.content, size: stamp.size, mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, ino: stamp.ino, mode: stamp.mode, slot, confirmed: 0 });
    if (slot === NO_SLOT) this.drift += 1;
  }

  /**
   * After every stamp and folder stamp is restored: puts back the list of paths their slots are
   * places in, so that a new process hands the worker that list instead of placing the paths
   * again (encoding 27,000 paths on the bench fleet). A slot outside its part of the list is
   * dropped. The drift is counted anew: stamps without a place, and places no stamp holds.
   */
  public restorePlaced(list: PrefetchList): void {
    let files = 0;
    this.drift = 0;
    this.stamps.forEach((stamp) => {
      if (stamp.slot !== NO_SLOT && (stamp.slot < list.folders || stamp.slot >= list.all)) stamp.slot = NO_SLOT;
      if (stamp.slot === NO_SLOT) this.drift += 1;
      else files += 1;
    });
    this.drift += list.all - list.folders - files;
    let folders = 0;
    this.folders.drift = 0;
    for (const stamp of this.folders.stamped().values()) {
      if (stamp.slot !== NO_SLOT && (stamp.slot < 0 || stamp.slot >= list.folders)) stamp.slot = NO_SLOT;
      if (stamp.slot === NO_SLOT) this.folders.drift += 1;
      else folders += 1;
    }
    this.folders.drift += list.folders - folders;
    this.placed = list;
  }

  /** Forgets everything: after a failed write, nothing is known. */
  public clear(): void {
    this.unsaved = true;
    this.prefetched = undefined;
    this.placed = undefined;
    this.stamps.clear();
    this.turn += 1;
    this.folders.clear();
    this.checked.clear();
  }
}
