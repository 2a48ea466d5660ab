/**
 * What the writer knows of the folders of an output folder: each folder's listing (the names of
 * its files and sub-folders) with the folder's own stat when it was read. A render after a small
 * change then lists its 4,000 folders by one `lstat` each instead of a `readdir` each (issue 11:
 * measured on the bench fleet, /dev/shm, 4,258 folders: lstat 30-40 ms, readdir 75-95 ms), and
 * when no folder changed, reuses the whole tree it built last time.
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
import { racy } from './racy';
import type { Tree } from './tree';

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

/** The folder stamps of one output folder (its real path); folders by relative path, the top one `''`. */
export class FolderStamps {
  private readonly stamps = new Map<string, FolderStamp>();
  /** The tree built from the stamps as they are, while no stamp has changed since. */
  private lastTree: Tree | undefined;

  public constructor(public readonly real: string) {}

  private absolute(folder: string): string {
    return folder === '' ? this.real : `${this.real}/${folder}`;
  }

  /**
   * The listing of `folder` (relative): the stamped one when the folder's stat is unchanged, else
   * read (and stamped unless racy). Undefined when `folder` is gone; throws as `readdirSync` does
   * when it is not a folder. `changed` is set when the listing was read.
   */
  private listing(folder: string, now: number, changed: { value: boolean }): FolderListing | undefined {
    const path = this.absolute(folder);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    const stamp = this.stamps.get(folder);
    if (stat?.isDirectory() && stamp !== undefined && stamp.mtimeMs === stat.mtimeMs && stamp.ctimeMs === stat.ctimeMs && stamp.ino === stat.ino) {
      return stamp.listing;
    }
    changed.value = true;
    this.stamps.delete(folder);
    if (stat === undefined) return undefined;
    // Read after the stat: a change in between shows in the listing and in the next stat.
    const listing = readListing(path);
    if (stat.isDirectory() && !racy(stat, now)) this.stamps.set(folder, { mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, listing });
    return listing;
  }

  /** Everything below the output folder, as `listTree` gives it; undefined when it is missing. */
  public tree(): Tree | undefined {
    const now = Date.now();
    const changed = { value: false };
    const top = this.listing('', now, changed);
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
        const sub = this.listing(below, now, changed) ?? { files: [], folders: [] };
        visit(below, sub);
      }
    };
    visit('', top);
    if (!changed.value && this.lastTree !== undefined) return this.lastTree;
    const entries = new Map<string, { regular: boolean }>();
    const folders: string[] = [];
    const seen = new Set<string>();
    for (const [folder, listing] of visited) {
      seen.add(folder);
      if (folder !== '') folders.push(folder);
      const prefix = folder === '' ? '' : `${folder}/`;
      for (const [name, regular] of listing.files) entries.set(prefix + name, { regular });
    }
    for (const folder of this.stamps.keys()) if (!seen.has(folder)) this.stamps.delete(folder);
    const tree: Tree = { entries, folders };
    // Only a tree read wholly from trusted stamps may stand for the next unchanged walk.
    this.lastTree = visited.every(([folder]) => this.stamps.has(folder)) ? tree : undefined;
    return tree;
  }

  /**
   * After a write changed the entries of `folders` (relative, parents before children is not
   * needed): each is read and stamped again now (unless racy), so that the next render finds
   * them stamped; a folder the write removed is forgotten.
   */
  public relist(folders: Iterable<string>): void {
    this.unsaved = true;
    const now = Date.now();
    const changed = { value: false };
    for (const folder of folders) {
      this.stamps.delete(folder);
      try {
        this.listing(folder, now, changed);
      } catch {
        // Not a folder any more: it stays unstamped, and the next walk reads (and reports) it.
      }
    }
    this.lastTree = undefined;
  }

  /** Every stamp, for the cache file. */
  public entries(): IterableIterator<[string, FolderStamp]> {
    return this.stamps.entries();
  }

  /** Puts back a stamp the cache file kept. */
  public restore(folder: string, stamp: FolderStamp): void {
    this.stamps.set(folder, stamp);
    this.lastTree = undefined;
  }

  public clear(): void {
    this.stamps.clear();
    this.lastTree = undefined;
    this.unsaved = true;
  }

  /** Whether a write changed listings since the cache file was saved or loaded (`saved` clears it); a listing read again does not count. */
  public unsaved = false;
}
