/**
 * What a write changes, decided before the disk is touched: which produced files are new,
 * changed or already there, which existing files go, which folders are left empty, and whether
 * the request is writable at all (paths, clashes between files and folders, preserved files).
 */
import { bytesOf, TextParts, type Content } from './content';
import { byCodeUnit, fileFolderClashes, parentFolders, relativePathProblem } from './files';
import { MARKER_FILE, MARKER_TEXT } from './output-folder';
import type { FileStamps } from './stamps';
import { inside } from './output-paths';
import { listTree, sameFile, sameFileText } from './tree';
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
  /** Whether the output folder does not exist yet: every file is added. */
  readonly fresh: boolean;
}

/**
 * The items of `first`, then `last`: its results handed on as they are. A generator's `yield*`
 * wrapped each of them again, and the writer walks all 22,757 files of the bench fleet three
 * times per render.
 */
class ThenOne<T> implements IterableIterator<T> {
  private lastGiven = false;

  public constructor(
    private readonly first: Iterator<T>,
    private readonly last: T,
  ) {}

  public next(): IteratorResult<T> {
    if (!this.lastGiven) {
      const result = this.first.next();
      if (result.done !== true) return result;
      this.lastGiven = true;
      return { value: this.last, done: false };
    }
    return { value: undefined, done: true };
  }

  public [Symbol.iterator](): IterableIterator<T> {
    return this;
  }
}

/**
 * The produced files with the marker after them, without copying the map: a copy of the bench
 * fleet's 22,756 entries cost 15-30 ms per write (issue 11).
 */
class WithMarker implements ReadonlyMap<string, Content> {
  public constructor(private readonly files: ReadonlyMap<string, Content>) {}
  public get size(): number {
    return this.files.size + 1;
  }
  public get(path: string): Content | undefined {
    return path === MARKER_FILE ? MARKER_TEXT : this.files.get(path);
  }
  public has(path: string): boolean {
    return path === MARKER_FILE || this.files.has(path);
  }
  public entries(): IterableIterator<[string, Content]> {
    return new ThenOne(this.files.entries(), [MARKER_FILE, MARKER_TEXT]);
  }
  public keys(): IterableIterator<string> {
    return new ThenOne(this.files.keys(), MARKER_FILE);
  }
  public values(): IterableIterator<Content> {
    return new ThenOne(this.files.values(), MARKER_TEXT);
  }
  public [Symbol.iterator](): IterableIterator<[string, Content]> {
    return this.entries();
  }
  /** The map's own `forEach`, then the marker: no iterator result or entry array per file, as `entries` makes. */
  public forEach(each: (value: Content, key: string, map: ReadonlyMap<string, Content>) => void, thisArg?: unknown): void {
    this.files.forEach((value, key) => each.call(thisArg, value, key, this));
    each.call(thisArg, MARKER_TEXT, MARKER_FILE, this);
  }
}

/** The produced files plus the marker every render carries at its top. */
export function withMarker(files: ReadonlyMap<string, Content>): ReadonlyMap<string, Content> {
  if (files.has(MARKER_FILE)) throw new WriteError(`${MARKER_FILE} is produced, but it is the marker the writer itself writes`);
  return new WithMarker(files);
}

/** The folders that `paths` keep: every folder above one of them. */
function keptFolders(paths: Iterable<string>): Set<string> {
  const kept = new Set<string>();
  for (const path of paths) for (const folder of parentFolders(path)) kept.add(folder);
  return kept;
}

/**
 * Whether the file at `path` holds `content`'s bytes: text in parts compared as text
 * (./tree.ts `sameFileText`: encoding it only to compare cost more than the compare).
 */
function sameContent(path: string, content: Content): boolean {
  if (content instanceof TextParts) return sameFileText(path, content.parts);
  return sameFile(path, [bytesOf(content)]);
}

/** Plans writing `files` (marker included) into the real folder `real`; throws a WriteError listing every problem. */
export function planWrite(real: string, files: ReadonlyMap<string, Content>, preserve: Preserve, stamps?: FileStamps): Plan {
  // With stamps, folders whose stat is unchanged are not read again (./folder-stamps.ts).
  const existing = stamps === undefined ? listTree(real) : stamps.folders.tree();
  const preserved: string[] = [];
  const removed: string[] = [];
  const preservedProblems: string[] = [];
  for (const path of existing?.entries.keys() ?? []) {
    if (preserve(path)) {
      preserved.push(path);
      if (files.has(path)) preservedProblems.push(`${path} is produced but preserved as someone else's file`);
    } else if (!files.has(path)) {
      removed.push(path);
    }
  }
  // The same paths as the last write that passed: the same answers (./checked-paths.ts).
  let kept = preservedProblems.length === 0 ? stamps?.checked.keptIfSame(files, preserved) : undefined;
  if (kept === undefined) {
    const problems: string[] = [];
    for (const path of files.keys()) {
      const problem = relativePathProblem(path);
      if (problem) problems.push(`${JSON.stringify(path)} ${problem}`);
    }
    problems.push(...preservedProblems);
    for (const [file, below] of fileFolderClashes([...files.keys(), ...preserved])) {
      problems.push(`${file} is a file but ${below} needs it as a folder`);
    }
    if (problems.length > 0) throw new WriteError(`cannot write ${real}:\n  ${problems.join('\n  ')}`);
    kept = keptFolders([...files.keys(), ...preserved]);
    stamps?.checked.remember(files, preserved, kept);
  }

  const added: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  // A stamped file with an unchanged stat needs no read (./stamps.ts).
  const compare = (path: string, content: Content, holds: boolean): void => {
    if (holds || sameContent(inside(real, path), content)) unchanged.push(path);
    else changed.push(path);
  };
  // Files whose stat the worker has not taken yet (./stat-prefetch.ts) are asked again after the
  // others, from the last back: the worker goes on from the front meanwhile, and the writer stats
  // only those it reaches first (a one-app change reaches the write before the worker is done).
  const later: (readonly [string, Content])[] = [];
  // forEach, not for-of: no iterator result and entry array per file (~2 MB of garbage per write of the bench fleet).
  files.forEach((content, path) => {
    const entry = existing?.entries.get(path);
    if (!entry) added.push(path);
    else if (!entry.regular) changed.push(path);
    else {
      const holds = stamps === undefined ? false : stamps.holdsIfStatTaken(path, content);
      if (holds === undefined) later.push([path, content]);
      else compare(path, content, holds);
    }
  });
  for (let i = later.length - 1; i >= 0; i -= 1) {
    const [path, content] = later[i] as readonly [string, Content];
    compare(path, content, stamps?.holds(path, content) === true);
  }
  const keptNow = kept;
  const emptied = (existing?.folders ?? []).filter((folder) => !keptNow.has(folder)).sort(byCodeUnit).reverse();
  for (const list of [added, changed, removed, unchanged]) list.sort(byCodeUnit);
  return { changes: { added, changed, removed, unchanged }, emptied, fresh: existing === undefined };
}
