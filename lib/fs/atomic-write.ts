/**
 * Replaces a file so that at every instant it holds either its old bytes or its new bytes, never
 * a truncated mix: the new bytes go to a temporary file beside it (same folder, so the rename
 * cannot cross filesystems), are synced to disk, then renamed over the target; the folder is
 * synced so the rename itself survives a power cut. On any failure before the rename the
 * temporary file is removed and the target is untouched.
 */
import { closeSync, fchmodSync, fsyncSync, openSync, readdirSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isSystemError, systemReason, UserError } from '../errors';

export interface AtomicWriteOptions {
  /**
   * Called with the temporary file's path once it holds every byte, synced, just before the
   * rename: a fault hook for tests (throw to simulate a crash or a full disk). Default: none.
   */
  readonly beforeRename?: (temporaryFile: string) => void;
  /** How errors name the file, as the user gave it. Default: `target`. */
  readonly shownAs?: string;
}

/** `.home.yaml.twinops-tmp-4242` beside `home.yaml`: hidden, so environment discovery skips it. */
export function temporaryFileOf(target: string, pid: number = process.pid): string {
  return join(dirname(target), `.${basename(target)}.twinops-tmp-${pid}`);
}

/** Whether process `pid` exists on this host (EPERM: it does, as another user's). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that killed runs left beside `target` (a kill between the write
 * and the rename leaves one; the target itself is whole). Only those of processes that are gone:
 * a running edit keeps its own. Returns the removed paths, for a line each.
 */
export function removeStaleTemporaries(target: string): string[] {
  const { path } = resolveTarget(target);
  const prefix = `.${basename(path)}.twinops-tmp-`;
  const removed: string[] = [];
  for (const name of readdirSync(dirname(path))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || isRunning(pid)) continue;
    const stale = join(dirname(path), name);
    removeQuietly(stale);
    removed.push(stale);
  }
  return removed.sort();
}

/** The file to replace: a symbolic link is followed, so the link stays and its target changes. */
function resolveTarget(target: string): { path: string; mode: number | undefined } {
  try {
    const path = realpathSync(target);
    return { path, mode: statSync(path).mode & 0o7777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path: target, mode: undefined };
    throw error;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Syncs a folder's entries; some platforms and filesystems cannot, which loses nothing already renamed. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `content` to `target` atomically, keeping the target's permission bits. */
export function writeFileAtomic(target: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const { path, mode } = resolveTarget(target);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const temporary = temporaryFileOf(path);
  let renamed = false;
  try {
    // 'w' and not 'wx': a leftover of a killed run with the same process id is simply replaced.
    const fd = openSync(temporary, 'w', mode ?? 0o666);
    try {
      // The umask applies at creation; the original permission bits are restored exactly.
      if (mode !== undefined) fchmodSync(fd, mode);
      writeAll(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    options.beforeRename?.(temporary);
    renameSync(temporary, path);
    renamed = true;
    syncFolder(dirname(path));
  } catch (error) {
    // Named as the caller gave it: the temporary path means nothing to the user.
    if (!isSystemError(error)) throw error;
    const state = renamed
      ? 'its new content is in place but may not survive a power cut'
      : mode === undefined
        ? 'nothing was written'
        : 'it keeps its original content';
    throw new UserError(`cannot write ${options.shownAs ?? target}: ${systemReason(error)}; ${state}`, { cause: error });
  } finally {
    if (!renamed) removeQuietly(temporary);
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone (or never created): nothing to clean.
  }
}
