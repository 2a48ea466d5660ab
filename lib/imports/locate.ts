/**
 * Offline imports: maps each source URL to a file of a local folder (a mirror such as
 * `../shared/crds`) by the longest common path suffix, so the folder's own layout does not matter.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compareCodePoints } from './stable-json';

/** Thrown when some URLs have no (or no unambiguous) local file; lists every one of them. */
export class UnresolvedSourcesError extends Error {
  constructor(
    readonly folder: string,
    readonly misses: readonly string[],
  ) {
    super(`no file in ${folder} matches ${misses.length === 1 ? 'this source' : `these ${misses.length} sources`}: ${misses.join(', ')}`);
    this.name = 'UnresolvedSourcesError';
  }
}

/**
 * The local file for each URL (absolute paths, keyed by URL). Every URL must match; otherwise an
 * UnresolvedSourcesError lists all misses at once. `localNames` gives, for a URL whose file name
 * upstream is shared by many sources (every chart's `values.schema.json`), the path a mirror
 * stores it under instead; that path is matched the same way.
 */
export async function resolveLocalSources(
  urls: readonly string[],
  folder: string,
  localNames: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, string>> {
  const files = await listFiles(folder);
  const resolved = new Map<string, string>();
  const misses: string[] = [];
  for (const url of urls) {
    const localName = localNames.get(url);
    const match = matchLocalFile(localName ?? url, files);
    const wanted = localName === undefined ? url : `${url} (as ${localName})`;
    if (typeof match === 'string') resolved.set(url, join(folder, ...match.split('/')));
    else misses.push(match.ambiguous.length > 0 ? `${wanted} (ambiguous: ${match.ambiguous.join(', ')})` : wanted);
  }
  if (misses.length > 0) throw new UnresolvedSourcesError(folder, misses);
  return resolved;
}

/**
 * The file (a `/`-separated path relative to the folder) sharing the longest path suffix with the
 * URL's path; at least the file name must match. A tie between the best files is ambiguous.
 */
export function matchLocalFile(
  url: string,
  files: readonly string[],
): string | { readonly ambiguous: readonly string[] } {
  const wanted = segmentsOf(url);
  let best: string[] = [];
  let bestLength = 0;
  for (const file of files) {
    const length = commonSuffixLength(wanted, file.split('/'));
    if (length === 0 || length < bestLength) continue;
    if (length > bestLength) best = [];
    best.push(file);
    bestLength = length;
  }
  if (best.length === 1 && best[0] !== undefined) return best[0];
  return { ambiguous: best };
}

/** Every file under `folder`, as sorted `/`-separated relative paths. */
export async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter(entry => entry.isFile())
    .map(entry => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort(compareCodePoints);
}

function segmentsOf(url: string): string[] {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url; // a plain path is matched the same way
  }
  return path.split('/').filter(s => s !== '').map(decodeURIComponent);
}

function commonSuffixLength(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
