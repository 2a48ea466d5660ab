/** Reading an existing output folder: what is in it, and whether a file already holds given bytes. */
import { closeSync, fstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { codeOf } from './write-error';

/** An existing entry below the folder that is not a folder. */
export interface Entry {
  /** A regular file (the only kind that can be unchanged); else a link, fifo, socket… */
  readonly regular: boolean;
}

/** What is below a folder: non-folders by relative path, folders parents first. */
export interface Tree {
  readonly entries: ReadonlyMap<string, Entry>;
  readonly folders: readonly string[];
}

/** Everything below `root` (links not followed); undefined if there is no `root`. */
export function listTree(root: string): Tree | undefined {
  const entries = new Map<string, Entry>();
  const folders: string[] = [];
  const visit = (dirents: Dirent[], folder: string, prefix: string): void => {
    for (const dirent of dirents) {
      const relative = prefix + dirent.name;
      if (dirent.isDirectory()) {
        const path = join(folder, dirent.name);
        folders.push(relative);
        visit(readdirSync(path, { withFileTypes: true }), path, `${relative}/`);
      } else {
        entries.set(relative, { regular: dirent.isFile() });
      }
    }
  };
  let top: Dirent[];
  try {
    top = readdirSync(root, { withFileTypes: true });
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  visit(top, root, '');
  return { entries, folders };
}

/**
 * Whether the regular file at `path` holds exactly `expected` and is not executable (the one
 * mode bit Git records). One open, one fstat, at most one read.
 */
export function sameFile(path: string, expected: Buffer): boolean {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.size !== expected.length || (stat.mode & 0o111) !== 0) return false;
    const actual = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < actual.length) {
      const got = readSync(fd, actual, read, actual.length - read, read);
      if (got === 0) return false;
      read += got;
    }
    return actual.equals(expected);
  } finally {
    closeSync(fd);
  }
}
