/**
 * The journal: the commit point of a write and the whole of what is left to do after it.
 * Before it exists, the output folder is untouched (new bytes wait in the staging folder);
 * once it exists, the write is decided and any run can finish it by replaying it, because
 * every step of the replay can be done again: a staged file renamed already is no longer in
 * staging, a file removed already is gone, a folder removed already is gone.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Stats } from 'node:fs';
import { eachByteRun, type Content } from './content';
import { parentFolders } from './files';
import type { Steps } from './faults';
import { inside, type writerPaths } from './output-paths';
import { codeOf, WriteError } from './write-error';

export interface Journal {
  /**
   * 1: the staged files are renamed into the output folder one by one. 2: the output folder did
   * not exist, and the staging folder holds the whole new tree (`stageTree`), renamed into place
   * at once (a version 1 reader refuses it rather than misread it).
   */
  readonly version: 1 | 2;
  /** Relative paths of the new and changed files; the one at index i is staged as `staging/i` (version 1) or `staging/<path>` (2). */
  readonly staged: readonly string[];
  /** Relative paths of the existing files to remove. */
  readonly removed: readonly string[];
  /** Folders left empty by the removals, deepest first. */
  readonly emptied: readonly string[];
}

type WriterPaths = ReturnType<typeof writerPaths>;

/**
 * Flushes a folder's entries to disk. A rename or unlink is only durable once its folder is
 * synced; without it a power cut could undo the commit point or leave staged files missing.
 */
export function syncFolder(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `content` to a new file, its bytes a run at a time (./content.ts `eachByteRun`), synced
 * when `sync` is true; with `stat`, returns the file's stat once written (an `fstat`: no lookup
 * of the path again).
 */
export function writeNew(path: string, content: Content, sync: boolean, stat: true): Stats;
export function writeNew(path: string, content: Content, sync: boolean, stat?: false): undefined;
export function writeNew(path: string, content: Content, sync: boolean, stat = false): Stats | undefined {
  const fd = openSync(path, 'wx', 0o644);
  try {
    // A short write (a full disk says so on the next call) is continued, never taken as done.
    eachByteRun(content, (bytes) => {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    });
    if (sync) fsyncSync(fd);
    return stat ? fstatSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Writes `content` to a new file and syncs it, so a journal never points at bytes a power cut can lose. */
export function writeDurably(path: string, content: string): void {
  writeNew(path, content, true);
}

/**
 * Up to how many staged files are synced one by one rather than with `sync -f`: starting the
 * `sync` process costs 25-30 ms of the 2-core development machine, and an fsync about 1.1 ms
 * on its disk (below), so one-app changes (9 files) sync each file.
 */
const SYNC_EACH_UP_TO = 16;

/**
 * Makes the staged files durable before the journal points at them. One `sync -f` (Linux
 * syncfs(2): the whole file system of the folder, in one call) instead of one fsync per file:
 * measured on the 2-core development machine's disk, 22,000 files of 650 bytes took 0.85 s to
 * write plus 0.25 s for `sync -f`, against 24.7 s with an fsync each. Where `sync -f` does not
 * exist or fails (macOS, BusyBox), and for a few files, each file is synced on its own.
 */
export function syncStaged(folder: string, files: readonly string[], folders: readonly string[] = []): void {
  if (files.length > SYNC_EACH_UP_TO) {
    const syncfs = spawnSync('sync', ['-f', folder], { stdio: 'ignore' });
    if (syncfs.error === undefined && syncfs.status === 0) return;
  }
  for (const file of files) {
    const fd = openSync(file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  // The folders below the staging folder that hold them (a staged tree): their entries too.
  for (const below of folders) syncFolder(below);
}

/**
 * Makes the write decided: the journal is written as a draft and synced, then renamed into
 * place (atomic), and its folder synced. The staging folder was synced by the caller first.
 */
export function commitJournal(paths: WriterPaths, journal: Journal, steps: Steps): void {
  steps.run('write journal draft', () => writeDurably(paths.journalDraft, `${JSON.stringify(journal)}\n`));
  steps.run('commit journal', () => renameSync(paths.journalDraft, paths.journal));
  syncFolder(dirname(paths.journal));
}

/** The journal left by an interrupted write, or undefined when there is none. */
export function readJournal(paths: WriterPaths): Journal | undefined {
  let text: string;
  try {
    text = readFileSync(paths.journal, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Journal;
    if ((value.version === 1 || value.version === 2) && Array.isArray(value.staged) && Array.isArray(value.removed) && Array.isArray(value.emptied)) return value;
  } catch {
    // Reported below: a journal is renamed into place whole, so this is not a crash of ours.
  }
  throw new WriteError(`${paths.journal} is not a twinops journal; move it away and render again`);
}

/** Ignores "already done" (ENOENT) so that a replay after a crash can run every step again. */
function unlessDone(change: () => void): void {
  try {
    change();
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
  }
}

/**
 * Carries out the journal in `real`: removals, then emptied folders, then renames from staging
 * (removals first, so a file can take the place of a folder it replaces and the reverse). Then
 * syncs every folder it changed and ends the write: staging folder removed, then the journal.
 * Returns how many staged files it renamed (fewer than staged when replaying).
 */
export function applyJournal(real: string, paths: WriterPaths, journal: Journal, steps: Steps): number {
  if (journal.version === 2) return applyTree(real, paths, journal, steps);
  // The parent too: `real` itself may be made by the first rename's folder.
  const touched = new Set<string>([dirname(real), real]);
  for (const path of journal.removed) {
    steps.run(`remove ${path}`, () => unlessDone(() => unlinkSync(inside(real, path))));
    touched.add(dirname(inside(real, path)));
  }
  for (const folder of journal.emptied) {
    steps.run(`remove folder ${folder}`, () => unlessDone(() => rmdirSync(inside(real, folder))));
    touched.add(dirname(inside(real, folder)));
  }
  const made = new Set<string>();
  let renamed = 0;
  journal.staged.forEach((path, index) => {
    const staged = inside(paths.staging, String(index));
    const folder = parentFolders(path).pop() ?? '';
    if (!made.has(folder)) {
      steps.run(`make folder ${folder || '.'}`, () => mkdirSync(inside(real, folder), { recursive: true }));
      made.add(folder);
    }
    // A staged file already renamed (a replay) is gone: the rename says so. Asking first cost
    // one more system call per file (0.14 s of a fresh 22,757-file write, measured).
    try {
      steps.run(`rename ${path}`, () => renameSync(staged, inside(real, path)));
    } catch (error) {
      if (codeOf(error) === 'ENOENT' && !existsSync(staged)) return;
      throw error;
    }
    touched.add(inside(real, folder));
    renamed += 1;
  });
  for (const folder of touched) if (existsSync(folder)) syncFolder(folder);
  // The journal goes last: a staging folder without a journal always means "not committed".
  steps.run('remove staging folder', () => rmSync(paths.staging, { recursive: true, force: true }));
  steps.run('remove journal', () => unlinkSync(paths.journal));
  return renamed;
}

/**
 * Carries out a version 2 journal: the staging folder, holding the whole new tree, becomes the
 * output folder by one rename (gone already on a replay: renamed before the crash). Returns
 * how many files it put in place.
 */
function applyTree(real: string, paths: WriterPaths, journal: Journal, steps: Steps): number {
  let renamed = 0;
  if (existsSync(paths.staging)) {
    try {
      steps.run('rename staging folder into place', () => renameSync(paths.staging, real));
    } catch (error) {
      const code = codeOf(error);
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      throw new WriteError(`${real} was made while the first render into it was unfinished; move it away and render again (that render is in ${paths.staging})`, { cause: error });
    }
    renamed = journal.staged.length;
  }
  syncFolder(dirname(real));
  steps.run('remove journal', () => unlinkSync(paths.journal));
  return renamed;
}
