/**
 * One render at a time per output tree. The lock is a file beside the real output folder,
 * created with O_EXCL and holding who renders (pid, host, start). A render holds it from before
 * it reads the environment files until its write is done, so reading and writing are one
 * critical section; `dr activate` takes it before editing the environment file. A second run
 * waits (one line says for whom) up to a timeout, then fails naming the lock and its holder. A
 * lock left by a dead process on this host is stale and taken over, with a line saying so.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { realOutputPath, writerPaths } from './output-paths';
import { codeOf, WriteError } from './write-error';

export interface LockOptions {
  /** How long to wait for another render before failing, in milliseconds. Default: 60 000. */
  readonly timeoutMs?: number;
  /** How often to look at the lock while waiting, in milliseconds. Default: 100. */
  readonly pollMs?: number;
  /** One line when waiting starts or a stale lock is taken over. Default: silent. */
  readonly onNotice?: (line: string) => void;
}

/** Another render held the lock past the timeout; nothing was written. */
export class LockError extends WriteError {
  override readonly name = 'LockError';
}

/** What a lock file holds. */
interface Holder {
  readonly pid: number;
  readonly hostname: string;
  /** ISO 8601 time the render started. */
  readonly started: string;
}

/** A lock that cannot be read is taken over only once this old: its writer never finished it. */
const UNREADABLE_LOCK_AGE_MS = 10_000;

/** Locks this process holds (real lock paths): a render under `dr activate`'s lock re-enters. */
const held = new Set<string>();

/** Blocks the thread: the writer is synchronous, and polling needs no event loop. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.started === 'string') {
      return { pid: value.pid, hostname: value.hostname, started: value.started };
    }
  } catch {
    // Unreadable: being written this very instant, or left half-written by a crash.
  }
  return undefined;
}

/** The lock's text and inode, or undefined when there is no lock. */
function readLock(path: string): { text: string; inode: number; ageMs: number } | undefined {
  try {
    const stat = statSync(path);
    return { text: readFileSync(path, 'utf8'), inode: stat.ino, ageMs: Date.now() - stat.mtimeMs };
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether process `pid` exists on this host. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return codeOf(error) === 'EPERM';
  }
}

const holderText = (holder: Holder) =>
  `pid ${holder.pid}${holder.hostname === hostname() ? '' : ` on ${holder.hostname}`} (started ${holder.started})`;

/** Creates the lock; false when it exists. */
function tryCreate(path: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes the stale lock that read as `seen`, and only it: renamed aside atomically, then
 * checked. If another process replaced it in between, its lock is linked back. (Three runs
 * meeting one stale lock within microseconds could still both win; the window is that of the
 * link below.) Returns whether the stale lock is gone.
 */
function removeStale(path: string, seen: { text: string; inode: number }): boolean {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return false;
    throw error;
  }
  const moved = readLock(aside);
  if (moved && (moved.inode !== seen.inode || moved.text !== seen.text)) {
    try {
      linkSync(aside, path);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

function acquire(path: string, options: LockOptions): Holder {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const mine: Holder = { pid: process.pid, hostname: hostname(), started: new Date().toISOString() };
  let announced = false;
  for (;;) {
    if (tryCreate(path, mine)) return mine;
    const seen = readLock(path);
    if (!seen) continue;
    const holder = parseHolder(seen.text);
    if (holder && holder.hostname === hostname() && !isRunning(holder.pid)) {
      if (removeStale(path, seen)) options.onNotice?.(`took over the lock ${path} of ${holderText(holder)}, which is no longer running`);
      continue;
    }
    if (!holder && seen.ageMs > UNREADABLE_LOCK_AGE_MS) {
      if (removeStale(path, seen)) options.onNotice?.(`took over the unreadable lock ${path}, left by a run that did not finish writing it`);
      continue;
    }
    const who = holder ? `the render of ${holderText(holder)}` : 'a render that is starting';
    if (Date.now() >= deadline) {
      throw new LockError(
        `cannot render into ${dirname(path)}: ${path} is held by ${who} for more than ${timeoutMs / 1000} s; nothing was written; ` +
          `if that render is not running any more, delete ${path}`,
      );
    }
    if (!announced) options.onNotice?.(`waiting for ${who} to finish`);
    announced = true;
    sleep(Math.min(options.pollMs ?? 100, Math.max(1, deadline - Date.now())));
  }
}

/** Removes the lock if it is still ours (a run that wrongly took it over keeps its own). */
function release(path: string, mine: Holder): void {
  const current = readLock(path);
  const holder = current && parseHolder(current.text);
  if (holder && holder.pid === mine.pid && holder.started === mine.started && holder.hostname === mine.hostname) unlinkSync(path);
}

/**
 * Runs `work` holding the lock of the output folder `outDir` (a sibling file of its real
 * path); re-entrant within a process, so a render can run under a lock its caller took.
 */
export function withOutputLock<T>(outDir: string, work: () => T, options: LockOptions = {}): T {
  const path = writerPaths(realOutputPath(outDir)).lock;
  if (held.has(path)) return work();
  mkdirSync(dirname(path), { recursive: true });
  const mine = acquire(path, options);
  held.add(path);
  try {
    return work();
  } finally {
    held.delete(path);
    release(path, mine);
  }
}
