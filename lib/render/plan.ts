/**
 * What a write changes, decided before the disk is touched: which produced files are new,
 * changed or already there, which existing files go, which folders are left empty, and whether
 * the request is writable at all (paths, clashes between files and folders, preserved files).
 */
import { join } from 'node:path';
import { byCodeUnit, fileFolderClashes, parentFolders, relativePathProblem } from './files';
import { MARKER_FILE, MARKER_TEXT } from './output-folder';
import type { FileStamps } from './stamps';
import { listTree, sameFile } from './tree';
import { WriteError } from './write-error';

/** Which existing files belong to someone else: kept as they are, never removed or reported. */
export type Preserve = (relativePath: string) => boolean;

export const NOTHING_PRESERVED: Preserve = () => false;

/** What writing `files` would change in an output folder: relative paths, each list sorted. */
export interface Changes {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

export interface Plan {
  readonly changes: Changes;
  /** Folders that hold nothing once the write is done, deepest first. */
  readonly emptied: readonly string[];
}

/** The produced files plus the marker every render carries at its top. */
export function withMarker(files: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  if (files.has(MARKER_FILE)) throw new WriteError(`${MARKER_FILE} is produced, but it is the marker the writer itself writes`);
  return new Map(files).set(MARKER_FILE, MARKER_TEXT);
}

/** Plans writing `files` (marker included) into the real folder `real`; throws a WriteError listing every problem. */
export function planWrite(real: string, files: ReadonlyMap<string, string>, preserve: Preserve, stamps?: FileStamps): Plan {
  const problems: string[] = [];
  for (const path of files.keys()) {
    const problem = relativePathProblem(path);
    if (problem) problems.push(`${JSON.stringify(path)} ${problem}`);
  }
  const existing = listTree(real);
  const preserved: string[] = [];
  const removed: string[] = [];
  for (const path of existing?.entries.keys() ?? []) {
    if (preserve(path)) {
      preserved.push(path);
      if (files.has(path)) problems.push(`${path} is produced but preserved as someone else's file`);
    } else if (!files.has(path)) {
      removed.push(path);
    }
  }
  for (const [file, below] of fileFolderClashes([...files.keys(), ...preserved])) {
    problems.push(`${file} is a file but ${below} needs it as a folder`);
  }
  if (problems.length > 0) throw new WriteError(`cannot write ${real}:\n  ${problems.join('\n  ')}`);

  const added: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const [path, content] of files) {
    const entry = existing?.entries.get(path);
    if (!entry) added.push(path);
    // A stamped file with an unchanged stat needs no read (./stamps.ts).
    else if (entry.regular && (stamps?.holds(path, content) === true || sameFile(join(real, path), Buffer.from(content, 'utf8')))) unchanged.push(path);
    else changed.push(path);
  }
  const kept = new Set<string>();
  for (const path of [...files.keys(), ...preserved]) for (const folder of parentFolders(path)) kept.add(folder);
  const emptied = (existing?.folders ?? []).filter((folder) => !kept.has(folder)).sort(byCodeUnit).reverse();
  for (const list of [added, changed, removed, unchanged]) list.sort(byCodeUnit);
  return { changes: { added, changed, removed, unchanged }, emptied };
}
