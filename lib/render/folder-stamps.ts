/**
 * What the writer knows of the folders of an output folder: each folder's listing (the names of
 * its files and sub-folders) with the folder's own stat when it was read. A render after a small
 * change then lists its 4,000 folders by one `lstat` each instead of a `readdir` each (issue 11:
 * measured on the bench fleet, /dev/shm, 4,258 folders: lstat 30-40 ms, readdir 75-95 ms), and
 * the tree it built last time changes only where a listing did.
 *
 * Why an unchanged folder stat means an unchanged listing: every change of a folder's entries
 * (a file or folder created, removed, renamed in or out, and so also an entry replaced by one of
 * another type: a file by a link or a folder, which is an unlink or a rename over it) sets the
 * folder's mtime and ctime to the time of the change; a folder removed and made again has
 * another inode or other times. What no entry change does (a file's bytes or mode edited) is not
 * in a listing: the file stamps (./stamps.ts) see those.
 *
 * The one gap is the clock's grain: a change in the same tick as the stat that stamped the
 * folder leaves the stat as it was. So a listing whose folder changed less than `RACY_MS` before
 * it was read is not trusted (read again next time), as git treats "racily clean" index entries.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { racy } from './racy.mjs';
import { NO_SLOT, type StatPrefetch } from './stat-prefetch';
import type { Entry, Tree } from './tree';

/** One folder's entries: files as [name, regular file?], sub-folders by name, both in `readdir` order. */
export interface FolderListing {
  readonly files: readonly (readonly [string, boolean])[];
  readonly folders: readonly string[];
}

export interface FolderStamp {
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly listing: FolderListing;
  /** The folder's place in the stat worker's list (`FileStamps.prefetch`), or `NO_SLOT`. */
  slot: number;
}

function readListing(path: string): FolderListing {
  const files: [string, boolean][] = [];
  const folders: string[] = [];
  for (const dirent of readdirSync(path, { withFileTypes: true })) {
    if (dirent.isDirectory()) folders.push(dirent.name);
    else files.push([dirent.name, dirent.isFile()]);
  }
  return { files, folders };
}

const REGULAR: Entry = Object.freeze({ regular: true });
const OTHER: Entry = Object.freeze({ regular: false });

/** Calls `each` with the relative path of every file `listing` gives `folder`. */
function forEachFile(folder: string, listing: FolderListing, each: (path: string, regular: boolean) => void): void {
  const prefix = folder === '' ? '' : `${folder}/`;
  for (const [name, regular] of listing.files) each(prefix + name, regular);
}

/** The folder stamps of one output folder (its real path); folders by relative path, the top one `''`. */
export class FolderStamps {
  private readonly stamps = new Map<string, FolderStamp>();
  /** Folder stats a worker took during this render (set by `FileStamps.prefetch`, dropped when the write settles). */
  public prefetched: StatPrefetch | undefined;
  /**
   * The files of the tree last built, and the listing each folder gave then: the next tree is
   * this one with the files of the folders listed anew (or gone) taken out and put back in
   * (rebuilding the bench fleet's 22,756 entries cost 25-35 ms and 10 MB of garbage per render).
   */
  private built: { readonly entries: Map<string, Entry>; from: Map<string, FolderListing> } | undefined;

  public constructor(public readonly real: string) {}

  private absolute(folder: string): string {
    return folder === '' ? this.real : `${this.real}/${folder}`;
  }

  /**
   * The listing of `folder` (relative): the stamped one when the folder's stat is unchanged (and
   * `reread` is not asked), else read (and stamped unless racy). Undefined when `folder` is gone;
   * throws as `readdirSync` does when it is not a folder.
   */
  private listing(folder: string, now: number, reread = false): FolderListing | undefined {
    const path = this.absolute(folder);
    const stamp = this.stamps.get(folder);
    if (stamp !== undefined && !reread) {
      // Taken by the worker during the render (./stat-prefetch.ts): a match is as good as an lstat now; anything else is stat-ed here.
      const prefetched = this.prefetched?.folder(stamp.slot);
      if (prefetched !== undefined && stamp.mtimeMs === prefetched.mtimeMs && stamp.ctimeMs === prefetched.ctimeMs && stamp.ino === prefetched.ino) return stamp.listing;
    }
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!reread && stat?.isDirectory() && stamp !== undefined && stamp.mtimeMs === stat.mtimeMs && stamp.ctimeMs === stat.ctimeMs && stamp.ino === stat.ino) {
      return stamp.listing;
    }
    this.stamps.delete(folder);
    const slot = stamp?.slot ?? NO_SLOT;
    // Read after the stat: a change in between shows in the listing and in the next stat.
    const listing = stat === undefined ? undefined : readListing(path);
    if (listing !== undefined && stat?.isDirectory() && !racy(stat, now)) {
      // The same folder keeps its place in the worker's list; one without a place is drift.
      if (slot === NO_SLOT) this.drift += 1;
      this.stamps.set(folder, { mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, listing, slot });
    } else if (slot !== NO_SLOT) {
      this.drift += 1;
    }
    return listing;
  }

  /** Everything below the output folder, as `listTree` gives it; undefined when it is missing. */
  public tree(): Tree | undefined {
    const now = Date.now();
    const top = this.listing('', now);
    if (top === undefined) {
      this.clear();
      return undefined;
    }
    const visited: [string, FolderListing][] = [];
    const visit = (folder: string, listing: FolderListing): void => {
      visited.push([folder, listing]);
      const prefix = folder === '' ? '' : `${folder}/`;
      for (const name of listing.folders) {
        const below = prefix + name;
        // A folder gone since its parent was listed: the parent's stat has changed too, so it is read again next time.
        const sub = this.listing(below, now) ?? { files: [], folders: [] };
        visit(below, sub);
      }
    };
    visit('', top);
    const listings = new Map(visited);
    for (const [folder, stamp] of this.stamps) {
      if (listings.has(folder)) continue;
      if (stamp.slot !== NO_SLOT) this.drift += 1;
      this.stamps.delete(folder);
    }
    const built = this.built ?? { entries: new Map<string, Entry>(), from: new Map<string, FolderListing>() };
    // A listing that is the same object as last time gives the same files: only the others move
    // (a folder listed anew, or relisted after the last write, or gone).
    for (const [folder, listing] of built.from) if (listings.get(folder) !== listing) forEachFile(folder, listing, (path) => built.entries.delete(path));
    for (const [folder, listing] of visited) if (built.from.get(folder) !== listing) forEachFile(folder, listing, (path, regular) => built.entries.set(path, regular ? REGULAR : OTHER));
    built.from = listings;
    this.built = built;
    return { entries: built.entries, folders: visited.flatMap(([folder]) => (folder === '' ? [] : [folder])) };
  }

  /**
   * After a write changed the entries of `folders` (relative, parents before children is not
   * needed): each is read and stamped again now (unless racy), so that the next render finds
   * them stamped; a folder the write removed is forgotten.
   */
  public relist(folders: Iterable<string>): void {
    this.unsaved = true;
    const now = Date.now();
    for (const folder of folders) {
      try {
        this.listing(folder, now, true);
      } catch {
        // Not a folder any more: it stays unstamped, and the next walk reads (and reports) it.
      }
    }
  }

  /** The stamped folders (relative, `''` the top), each with its stamp. */
  public stamped(): ReadonlyMap<string, FolderStamp> {
    return this.stamps;
  }

  /** Every stamp, for the cache file. */
  public entries(): IterableIterator<[string, FolderStamp]> {
    return this.stamps.entries();
  }

  /** Puts back a stamp the cache file kept, with its place in the worker's list (`FileStamps.restorePlaced`), else none. */
  public restore(folder: string, stamp: Omit<FolderStamp, 'slot'>, slot = NO_SLOT): void {
    this.stamps.set(folder, { mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, ino: stamp.ino, listing: stamp.listing, slot });
    if (slot === NO_SLOT) this.drift += 1;
  }

  public clear(): void {
    this.prefetched = undefined;
    this.drift = 0;
    this.stamps.clear();
    this.built = undefined;
    this.unsaved = true;
  }

  /** Whether a write changed listings since the cache file was saved or loaded (`saved` clears it); a listing read again does not count. */
  public unsaved = false;

  /**
   * Stamps made without a place in the worker's list, and places lost, since the paths were last
   * placed (`FileStamps.prefetch` places them again past a few hundred).
   */
  public drift = 0;
}
