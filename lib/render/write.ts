/**
 * Puts a rendered tree on disk as `dist/`, all or nothing: the complete new tree is built in a
 * sibling folder, then swapped in with two renames. Files no longer produced disappear with the
 * old tree; files owned by someone else (`preserve`, e.g. what `flux bootstrap` commits under
 * `flux-system/`) are carried over untouched and never reported.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  type Dirent,
  readlinkSync,
  readSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { byCodeUnit, fileFolderClashes, relativePathProblem } from './files';

/** Which existing files belong to someone else: kept as they are, never removed or reported. */
export type Preserve = (relativePath: string) => boolean;

export interface WriteOptions {
  /** Existing files to carry over untouched (relative path with `/`). Default: none. */
  readonly preserve?: Preserve;
  /**
   * Files placed in the new tree so far, of all (produced and preserved): called every
   * `PROGRESS_EVERY` files and once when all are placed. Throwing aborts the write.
   */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface WriteResult {
  /** Files new or with different bytes. */
  readonly written: number;
  /** Files already there with the same bytes. */
  readonly unchanged: number;
  /** Relative paths that were there and are no longer produced, sorted. */
  readonly removed: readonly string[];
}

/** What writing `files` would change in `distDir`: relative paths, each list sorted. */
export interface Changes {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

/** `dist/` could not be written; it is as it was before (the message says so, `cause` says why). */
export class WriteError extends Error {
  override readonly name = 'WriteError';
}

export const PROGRESS_EVERY = 256;

const NOTHING_PRESERVED: Preserve = () => false;

/** An existing entry below `distDir`: a regular file or a symbolic link. */
interface Entry {
  readonly symlink: boolean;
}

/** What is below a folder: files and links by relative path, folders parents first. */
interface Tree {
  readonly entries: ReadonlyMap<string, Entry>;
  readonly folders: readonly string[];
  /** Anything else (sockets, fifos...): the tree cannot be removed entry by entry. */
  readonly others: number;
}

/** Everything below `root`; undefined if there is no `root`. */
function listTree(root: string): Tree | undefined {
  const entries = new Map<string, Entry>();
  const folders: string[] = [];
  let others = 0;
  const visit = (dirents: Dirent[], folder: string, prefix: string): void => {
    for (const dirent of dirents) {
      const relative = prefix + dirent.name;
      if (dirent.isDirectory()) {
        const path = join(folder, dirent.name);
        folders.push(relative);
        visit(readdirSync(path, { withFileTypes: true }), path, `${relative}/`);
      } else if (dirent.isFile() || dirent.isSymbolicLink()) {
        entries.set(relative, { symlink: dirent.isSymbolicLink() });
      } else {
        others += 1;
      }
    }
  };
  let top: Dirent[];
  try {
    top = readdirSync(root, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  visit(top, root, '');
  return { entries, folders, others };
}

/**
 * Whether the regular file at `path` holds exactly `expected` and is not executable (the one
 * mode bit Git records). One open, one fstat, at most one read.
 */
function sameFile(path: string, expected: Buffer): boolean {
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

/** Everything `writeTree` learns before touching the disk. */
interface Plan {
  readonly changes: Changes;
  /** Existing files carried over, sorted. */
  readonly preserved: readonly string[];
  readonly preservedSymlinks: ReadonlySet<string>;
  /** What `distDir` held when planned; undefined when it did not exist. */
  readonly existing: Tree | undefined;
}

function plan(distDir: string, files: ReadonlyMap<string, string>, preserve: Preserve): Plan {
  const problems: string[] = [];
  for (const path of files.keys()) {
    const problem = relativePathProblem(path);
    if (problem) problems.push(`${JSON.stringify(path)} ${problem}`);
  }
  for (const [file, below] of fileFolderClashes(files.keys())) {
    problems.push(`${file} is a file but ${below} needs it as a folder`);
  }
  const existing = listTree(distDir);
  const preserved: string[] = [];
  const preservedSymlinks = new Set<string>();
  const removed: string[] = [];
  for (const [path, entry] of existing?.entries ?? []) {
    if (preserve(path)) {
      preserved.push(path);
      if (entry.symlink) preservedSymlinks.add(path);
      if (files.has(path)) problems.push(`${path} is produced but preserved as someone else's file`);
    } else if (!files.has(path)) {
      removed.push(path);
    }
  }
  if (problems.length > 0) throw new WriteError(`cannot write ${distDir}:\n  ${problems.join('\n  ')}`);

  const added: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const [path, content] of files) {
    const entry = existing?.entries.get(path);
    if (!entry) added.push(path);
    else if (!entry.symlink && sameFile(join(distDir, path), Buffer.from(content, 'utf8'))) unchanged.push(path);
    else changed.push(path);
  }
  for (const list of [added, changed, removed, unchanged, preserved]) list.sort(byCodeUnit);
  return {
    changes: { added, changed, removed, unchanged },
    preserved,
    preservedSymlinks,
    existing,
  };
}

/**
 * What writing `files` into `distDir` would change, without writing: for `diff` and `check`.
 * Existing files for which `preserve` holds are left out of every list.
 */
export function computeChanges(
  distDir: string,
  files: ReadonlyMap<string, string>,
  preserve: Preserve = NOTHING_PRESERVED,
): Changes {
  return plan(resolve(distDir), files, preserve).changes;
}

/** Temporary folders of this process get distinct names: `.twinops-tmp-<pid>-<n>`. */
let temporaryCount = 0;

/** Creates each folder once; files arrive sorted, so a folder's files arrive together. */
function folderMaker(root: string): (relativeFile: string) => void {
  const made = new Set<string>(['']);
  return (relativeFile) => {
    const folder = relativeFile.includes('/') ? relativeFile.slice(0, relativeFile.lastIndexOf('/')) : '';
    if (made.has(folder)) return;
    mkdirSync(join(root, folder), { recursive: true });
    for (let at = folder.length; at > 0; at = folder.lastIndexOf('/', at - 1)) made.add(folder.slice(0, at));
  };
}

/** Builds the whole new tree in `temporary`: produced files, then preserved ones copied over. */
function buildTree(
  temporary: string,
  distDir: string,
  files: ReadonlyMap<string, string>,
  planned: Plan,
  onProgress: WriteOptions['onProgress'],
): void {
  const unchanged = new Set(planned.changes.unchanged);
  const makeFolder = folderMaker(temporary);
  const total = files.size + planned.preserved.length;
  let done = 0;
  const progressed = (): void => {
    done += 1;
    if (onProgress && (done % PROGRESS_EVERY === 0 || done === total)) onProgress(done, total);
  };
  for (const path of [...files.keys()].sort(byCodeUnit)) {
    makeFolder(path);
    const target = join(temporary, path);
    // Same bytes: a hard link to the current file keeps its inode and mtime and costs one call.
    if (unchanged.has(path)) linkOrCopy(join(distDir, path), target);
    else writeFileSync(target, files.get(path) ?? '', { mode: 0o644, flag: 'wx' });
    progressed();
  }
  for (const path of planned.preserved) {
    makeFolder(path);
    const source = join(distDir, path);
    const target = join(temporary, path);
    if (planned.preservedSymlinks.has(path)) symlinkSync(readlinkSync(source), target);
    else linkOrCopy(source, target);
    progressed();
  }
  if (total === 0) onProgress?.(0, 0);
}

/**
 * Removes `root`, known to hold `tree`: one unlink per file and one rmdir per folder, without
 * the lstat and readdir calls of a blind recursive removal. Falls back to one if the tree changed.
 */
function removeTree(root: string, tree: Tree): void {
  try {
    if (tree.others > 0) throw new Error('not only files and folders');
    for (const path of tree.entries.keys()) unlinkSync(join(root, path));
    for (let index = tree.folders.length - 1; index >= 0; index--) rmdirSync(join(root, tree.folders[index] ?? ''));
    rmdirSync(root);
  } catch {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Puts the previous tree back after a failed swap, or says where it is if even that fails. */
function restore(old: string, target: string, error: unknown): never {
  try {
    renameSync(old, target);
  } catch (cause) {
    throw new Error(`${messageOf(error)}; the previous tree is at ${old} (cannot move it back: ${messageOf(cause)})`, {
      cause,
    });
  }
  throw error;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** A hard link where the file system allows it, a copy where it does not. */
function linkOrCopy(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
    copyFileSync(source, target);
  }
}

/**
 * Makes `distDir` hold exactly `files` (plus the preserved files it already had), atomically
 * with respect to errors: on any failure before the swap `distDir` is untouched and the
 * temporary folder is gone. The swap itself is two renames (`distDir` → `<distDir>.twinops-old-
 * <pid>`, temporary → `distDir`), so a reader may briefly find no `distDir`, never a mixed one.
 */
export function writeTree(distDir: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): WriteResult {
  const target = resolve(distDir);
  let planned: Plan;
  try {
    planned = plan(target, files, options.preserve ?? NOTHING_PRESERVED);
  } catch (cause) {
    if (cause instanceof WriteError) throw cause;
    throw new WriteError(`cannot write ${target}: ${messageOf(cause)}; ${basename(target)} is unchanged`, { cause });
  }
  const parent = dirname(target);
  const temporary = join(parent, `.twinops-tmp-${process.pid}-${temporaryCount++}`);
  const old = `${target}.twinops-old-${process.pid}`;
  try {
    mkdirSync(parent, { recursive: true });
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary);
    buildTree(temporary, target, files, planned, options.onProgress);
    if (planned.existing) {
      rmSync(old, { recursive: true, force: true });
      renameSync(target, old);
      try {
        renameSync(temporary, target);
      } catch (error) {
        restore(old, target, error);
      }
    } else {
      renameSync(temporary, target);
    }
  } catch (cause) {
    rmSync(temporary, { recursive: true, force: true });
    const unchanged = existsSync(target) || !planned.existing ? `; ${basename(target)} is unchanged` : '';
    throw new WriteError(`cannot write ${target}: ${messageOf(cause)}${unchanged}`, { cause });
  }
  try {
    if (planned.existing) removeTree(old, planned.existing);
  } catch (cause) {
    throw new WriteError(`wrote ${target}, but cannot remove the previous tree ${old}: ${messageOf(cause)}`, { cause });
  }
  const { added, changed, unchanged, removed } = planned.changes;
  return { written: added.length + changed.length, unchanged: unchanged.length, removed };
}
