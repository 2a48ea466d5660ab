/**
 * Relative paths of `dist/` files, checked the same way by the layout (which makes them) and the
 * writer (which must never write outside its folder, whoever made the map).
 */

/** The most bytes a file or folder name may hold (NAME_MAX of Linux, macOS and Windows file systems). */
export const MAX_SEGMENT_BYTES = 255;

/** The start of a long segment, for messages. */
const opening = (segment: string) => (segment.length > 40 ? `${segment.slice(0, 40)}…` : segment);

/** What is wrong with `path` as a file path relative to `dist/`, or undefined when it is fine. */
export function relativePathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.includes('\\')) return 'contains a backslash; use /';
  if (path.includes('\0')) return 'contains a NUL character';
  if (path.startsWith('/')) return 'is absolute; expected a path relative to dist/';
  if (/^[A-Za-z]:/.test(path)) return 'starts with a drive letter; expected a path relative to dist/';
  for (const segment of path.split('/')) {
    if (segment === '') return 'has an empty segment (// or a leading or trailing /)';
    if (segment === '.' || segment === '..') return `has a "${segment}" segment`;
    const bytes = Buffer.byteLength(segment);
    if (bytes > MAX_SEGMENT_BYTES) {
      return `has a segment of ${bytes} bytes (${JSON.stringify(opening(segment))}); a file or folder name holds at most ${MAX_SEGMENT_BYTES}`;
    }
  }
  return undefined;
}

/** The folders above a relative path, nearest last: `a/b/c.yaml` → `a`, `a/b`. */
export function parentFolders(path: string): string[] {
  const folders: string[] = [];
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) folders.push(path.slice(0, at));
  return folders;
}

/** Code-unit order: the same on every machine, whatever its locale. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Paths of `paths` that are also used as a folder by another path (`a/b` and `a/b/c.yaml`), as
 * pairs [file, path below it].
 */
export function fileFolderClashes(paths: Iterable<string>): [string, string][] {
  const files = new Set(paths);
  if (!anyFolderIsAFile(files)) return [];
  const clashes: [string, string][] = [];
  for (const path of files) {
    for (const folder of parentFolders(path)) {
      if (files.has(folder)) clashes.push([folder, path]);
    }
  }
  return clashes.sort((a, b) => byCodeUnit(a[0], b[0]) || byCodeUnit(a[1], b[1]));
}

/**
 * Whether some folder of `files` is one of them: each distinct folder is looked at once, where
 * listing the pairs looks at every folder of every path (22k paths × 5 folders on the bench fleet,
 * for the usual answer "none").
 */
function anyFolderIsAFile(files: ReadonlySet<string>): boolean {
  const seen = new Set<string>();
  for (const path of files) {
    // The folders of one path, nearest first; a folder seen before has had all of its own checked.
    for (let at = path.lastIndexOf('/'); at >= 0; at = at === 0 ? -1 : path.lastIndexOf('/', at - 1)) {
      const folder = path.slice(0, at);
      if (seen.has(folder)) break;
      if (files.has(folder)) return true;
      seen.add(folder);
    }
  }
  return false;
}
