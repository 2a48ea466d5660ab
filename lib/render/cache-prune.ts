/**
 * The render cache keeps one file per output folder, named by a hash of the folder's real path
 * (`./unit-cache-file.ts`). Output folders come and go (a test's temporary folder, a second
 * checkout's dist/ that was removed), and their files stayed for good: `npm test` alone left a
 * few hundred kilobytes per run, and a large estate's file is tens of megabytes. Each cache file
 * now has a note beside it naming its output folder (`<hash>.folder`), and every save removes the
 * files of output folders that no longer exist.
 *
 * Only names this module makes are ever removed, and only inside the cache folder. A cache file
 * without a note comes from an earlier twinops, which cannot say whose it is: it is removed too,
 * and its output folder's next render is fresh (never wrong, only slower once).
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * `<hash>.v8` (the cache), `<hash>.v8.spare` (the version before it, written over by the next
 * save: ./cache-file-bytes.ts), `<hash>.json` (the format before), `<hash>.folder` (its note).
 */
const CACHE_NAME = /^([0-9a-f]{16})\.(v8|v8\.spare|json|folder)$/;
/** A save in progress or cut short: `<hash>.v8.<pid>`, `<hash>.v8.spare.<pid>`, `<hash>.folder.<pid>`. */
const TEMPORARY_NAME = /^[0-9a-f]{16}\.(?:v8|v8\.spare|folder)\.(\d+)$/;

/** The note beside `cacheFile` naming its output folder. */
export function folderNoteOf(cacheFile: string): string {
  return cacheFile.replace(/\.v8$/, '.folder');
}

/** Writes the note of `cacheFile`: the real path of its output folder (whole, then renamed). */
export function noteOutputFolder(cacheFile: string, real: string): void {
  const note = folderNoteOf(cacheFile);
  if (existsSync(note) && readFileSync(note, 'utf8') === real) return;
  const temporary = `${note}.${process.pid}`;
  writeFileSync(temporary, real);
  renameSync(temporary, note);
}

/** Whether process `pid` is running (a save of another render may be in progress). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes from the folder of `kept` (a cache file just saved) the cache files whose output
 * folder is gone, those without a note, and temporaries of processes that are gone. Returns the
 * names removed, sorted. Best effort: a file that cannot be removed stays.
 */
export function pruneRenderCaches(kept: string): string[] {
  const folder = dirname(kept);
  const keptHash = basename(kept).replace(/\.v8$/, '');
  const names = readdirSync(folder);
  // Decided before anything is removed: a note and its cache file go together.
  const outputFolders = new Map<string, string | undefined>();
  for (const name of names) {
    const cache = CACHE_NAME.exec(name);
    if (cache?.[2] !== 'folder') continue;
    try {
      outputFolders.set(cache[1] as string, readFileSync(join(folder, name), 'utf8'));
    } catch {
      outputFolders.set(cache[1] as string, undefined);
    }
  }
  const gone = (hash: string): boolean => {
    if (!outputFolders.has(hash)) return true;
    const outputFolder = outputFolders.get(hash);
    // A note that cannot be read says nothing: its files stay.
    return outputFolder !== undefined && !existsSync(outputFolder);
  };
  const removed: string[] = [];
  for (const name of names) {
    const temporary = TEMPORARY_NAME.exec(name);
    const cache = CACHE_NAME.exec(name);
    const stale = temporary !== null ? !running(Number(temporary[1])) : cache !== null && cache[1] !== keptHash && gone(cache[1] as string);
    if (!stale) continue;
    try {
      rmSync(join(folder, name), { force: true });
      removed.push(name);
    } catch {
      // Another render removing it, or a folder made read-only: it stays.
    }
  }
  return removed.sort();
}

/** `pruneRenderCaches`, for a run that saved nothing: a cache folder that cannot be read is left alone. */
export function tidyRenderCaches(kept: string): void {
  try {
    pruneRenderCaches(kept);
  } catch {
    // No cache folder yet, or one this user cannot read: nothing to tidy.
  }
}
