/**
 * Puts a rendered tree on disk, so that no crash and no concurrent run can lose data.
 *
 * Why per-file renames and a journal rather than swapping whole trees: POSIX has no way to swap
 * two directories atomically (Linux's renameat2 RENAME_EXCHANGE is not reachable from Node), so
 * a swap is two renames with an instant, between them, when there is no tree at all; and
 * rebuilding the whole tree every run rewrites thousands of unchanged files. Instead:
 *
 * 1. under the output folder's lock (`lock.ts`), recover what an interrupted run left
 *    (`recover.ts`), then refuse a folder that is not a previous render (`output-folder.ts`);
 * 2. plan: added, changed, removed, unchanged (`plan.ts`); preserved files (flux-system/) and
 *    unchanged files are never touched;
 * 3. stage: each new or changed file is written and synced into a staging folder beside the
 *    output folder (same file system), named by its index; the output folder is untouched;
 * 4. commit: the journal (staged paths, removed paths, emptied folders) is written, synced and
 *    renamed into place: from this instant the write is decided (`journal.ts`);
 * 5. apply: removals, emptied folders, then one rename per staged file over its target, each
 *    atomic; then the staging folder is removed, and the journal last (the end of the write).
 *
 * A first write, into an output folder that does not exist yet, stages the whole tree (files at
 * their paths, not by index) and its journal says so (version 2): the apply is one rename of
 * the staging folder into place, so the tree appears whole at once.
 *
 * What a reader of the output folder sees: before the commit point, the previous render; during
 * the apply, every file whole (old or new bytes, never a mix) but some files already new; after
 * it, the new render. A crash before the commit point leaves the previous render, a crash after
 * it is finished by the next run. What is synced and why: the staged files (one `sync -f`, see
 * `syncStaged`) and the staging folder before the journal (the journal must never point at bytes
 * a power cut can lose), the journal and its folder (the commit point must survive), the folders
 * the apply changed before the journal is removed (the end of the write must not be durable
 * before the write itself).
 */
import { SharedTexts, type Content } from './content';
import { existsSync, mkdirSync, rmSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { parentFolders } from './files';
import { InjectedCrash, Steps, type Faults } from './faults';
import { applyJournal, commitJournal, syncFolder, syncStaged, writeNew, type Journal } from './journal';
import { withOutputLock } from './lock';
import { checkRenderFolder } from './output-folder';
import { inside, realOutputPath, writerPaths } from './output-paths';
import { NOTHING_PRESERVED, planWrite, withMarker, type Changes, type Plan, type Preserve } from './plan';
import { recoverOutputFolder } from './recover';
import type { FileStamps } from './stamps';
import { messageOf, WriteError } from './write-error';

export type { Changes, Preserve } from './plan';
export { WriteError } from './write-error';
export { FileStamps } from './stamps';

export interface WriteOptions {
  /** Existing files to carry over untouched (relative path with `/`). Default: none. */
  readonly preserve?: Preserve;
  /**
   * New and changed files staged so far: called every `PROGRESS_EVERY` files and once when all
   * are staged (`0, 0` when none are). Throwing aborts the write before anything changes.
   */
  readonly onProgress?: (done: number, total: number) => void;
  /** One line per recovery action and lock event (waiting, stale lock taken over). Default: silent. */
  readonly onNotice?: (line: string) => void;
  /** How long to wait for another render holding the lock, in milliseconds. Default: 60 000. */
  readonly lockTimeoutMs?: number;
  /** Crash points, for tests. Default: none. */
  readonly faults?: Faults;
  /**
   * What is known of the files of earlier writes (./stamps.ts): files stamped with the bytes
   * produced and an unchanged stat are not read back; every file is stamped after the write.
   * Default: none, every existing file is read.
   */
  readonly stamps?: FileStamps;
}

export interface WriteResult {
  /** Files new or with different bytes (the marker included). */
  readonly written: number;
  /** Files already there with the same bytes, not touched. */
  readonly unchanged: number;
  /** Relative paths that were there and are no longer produced, sorted. */
  readonly removed: readonly string[];
}

export const PROGRESS_EVERY = 256;

/**
 * What writing `files` into `distDir` would change, without writing: for `diff` and `check`.
 * The marker counts as a produced file; existing files for which `preserve` holds are left out.
 */
export function computeChanges(distDir: string, files: ReadonlyMap<string, Content>, preserve: Preserve = NOTHING_PRESERVED): Changes {
  return planWrite(realOutputPath(distDir), withMarker(files), preserve).changes;
}

/** Lets a simulated crash through untouched: a killed process cleans nothing up. */
function rethrowCrash(error: unknown): void {
  if (error instanceof InjectedCrash) throw error;
}

/** Writes the staged files; on failure removes them and says the output folder is unchanged. */
/**
 * Writes the new and changed files into the staging folder and commits the journal. For a
 * staged tree, returns each file's stat as written: the rename of the staging folder changes
 * no file's stat, so they stamp the files without an lstat each (0.2-0.3 s of a fresh render
 * of the bench fleet's 22,757 files, measured).
 */
function stage(real: string, files: ReadonlyMap<string, Content>, journal: Journal, steps: Steps, options: WriteOptions): Map<string, Stats> | undefined {
  const paths = writerPaths(real);
  const stamps = options.stamps?.real === real ? options.stamps : undefined;
  try {
    steps.run('make staging folder', () => mkdirSync(paths.staging));
    const total = journal.staged.length;
    const tree = journal.version === 2;
    const made = new Set<string>(['']);
    const staged: string[] = new Array(total);
    const stats = tree && stamps !== undefined ? new Map<string, Stats>() : undefined;
    const texts = new SharedTexts(journal.staged.map((path) => files.get(path) ?? ''));
    journal.staged.forEach((path, index) => {
      if (tree) {
        const folder = parentFolders(path).pop() ?? '';
        if (!made.has(folder)) {
          steps.run(`make staged folder ${folder}`, () => mkdirSync(inside(paths.staging, folder), { recursive: true }));
          for (const above of parentFolders(path)) made.add(above);
        }
      }
      const at = inside(paths.staging, tree ? path : String(index));
      staged[index] = at;
      steps.run(`stage ${path}`, () => {
        const content = texts.take(files.get(path) ?? '');
        if (stats === undefined) writeNew(at, content, false);
        else stats.set(path, writeNew(at, content, false, true));
      });
      if ((index + 1) % PROGRESS_EVERY === 0 || index + 1 === total) options.onProgress?.(index + 1, total);
    });
    if (total === 0) options.onProgress?.(0, 0);
    made.delete('');
    syncStaged(paths.staging, staged, [...made].map((folder) => inside(paths.staging, folder)).reverse());
    syncFolder(paths.staging);
    commitJournal(paths, journal, steps);
    return stats;
  } catch (cause) {
    rethrowCrash(cause);
    if (existsSync(paths.journal)) return undefined; // committed; only a sync after the rename failed
    rmSync(paths.journalDraft, { force: true });
    rmSync(paths.staging, { recursive: true, force: true });
    throw new WriteError(`cannot write ${real}: ${messageOf(cause)}; ${basename(real)} is unchanged`, { cause });
  }
}

function writeLocked(real: string, files: ReadonlyMap<string, Content>, options: WriteOptions): WriteResult {
  const steps = new Steps(options.faults);
  const produced = withMarker(files);
  recoverOutputFolder(real, steps, options.onNotice);
  checkRenderFolder(real);
  let plan: Plan;
  try {
    plan = planWrite(real, produced, options.preserve ?? NOTHING_PRESERVED, options.stamps?.real === real ? options.stamps : undefined);
  } catch (cause) {
    if (cause instanceof WriteError) throw cause;
    throw new WriteError(`cannot write ${real}: ${messageOf(cause)}; ${basename(real)} is unchanged`, { cause });
  }
  const { added, changed, removed, unchanged } = plan.changes;
  const result: WriteResult = { written: added.length + changed.length, unchanged: unchanged.length, removed };
  // Into a folder that does not exist yet, the whole tree is staged and renamed into place at
  // once: no rename per file (22,757 of them took 0.4-0.5 s of a fresh render of the bench fleet).
  const journal: Journal = { version: plan.fresh ? 2 : 1, staged: [...added, ...changed].sort(), removed, emptied: plan.emptied };
  if (journal.staged.length === 0 && removed.length === 0 && plan.emptied.length === 0) {
    options.onProgress?.(0, 0);
    stampAll(real, produced, journal, options.stamps);
    return result;
  }
  // Stamps stay valid whatever happens next: a file a failed or recovered write changes has another stat.
  const staged = stage(real, produced, journal, steps, options);
  try {
    applyJournal(real, writerPaths(real), journal, steps);
  } catch (cause) {
    rethrowCrash(cause);
    throw new WriteError(
      `cannot finish writing ${real}: ${messageOf(cause)}; the next render finishes it (from ${writerPaths(real).journal})`,
      { cause },
    );
  }
  stampAll(real, produced, journal, options.stamps, staged);
  return result;
}

/** Stamps the files just written (with `stats`, their stats as staged) and those found holding their bytes, for the next write. */
function stampAll(real: string, produced: ReadonlyMap<string, Content>, journal: Journal, stamps: FileStamps | undefined, stats?: ReadonlyMap<string, Stats>): void {
  if (stamps === undefined || stamps.real !== real) return;
  stamps.settle(produced, new Set(journal.staged), stats);
  const touched = touchedFolders(journal);
  if (touched.size > 0) stamps.folders.relist(touched);
}

/** The folders whose entries a write changed: those above each staged or removed path, the emptied ones and the top. */
function touchedFolders(journal: Journal): Set<string> {
  if (journal.staged.length === 0 && journal.removed.length === 0 && journal.emptied.length === 0) return new Set();
  const touched = new Set<string>(['', ...journal.emptied]);
  for (const path of [...journal.staged, ...journal.removed, ...journal.emptied]) for (const folder of parentFolders(path)) touched.add(folder);
  return touched;
}

/**
 * Makes `distDir` hold exactly `files` plus the marker (and the preserved files it already
 * had), under its lock. `distDir` may be a symbolic link: the real folder is written and the
 * link stays. It must be absent, empty, or a previous render, else nothing is touched.
 */
export function writeTree(distDir: string, files: ReadonlyMap<string, Content>, options: WriteOptions = {}): WriteResult {
  const real = realOutputPath(distDir);
  const lock = { ...(options.onNotice ? { onNotice: options.onNotice } : {}), ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }) };
  return withOutputLock(real, () => writeLocked(real, files, options), lock);
}
