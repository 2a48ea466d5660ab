/**
 * Obtains the text of every import source: from a local mirror folder when one is given
 * (offline, e.g. TWINOPS_CRD_DIR), otherwise by downloading it.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { resolveLocalSources } from './locate';

export interface ObtainedSource {
  readonly url: string;
  readonly text: string;
  /** Where the text came from: the local file, or the URL itself. */
  readonly origin: string;
}

export interface ObtainOptions {
  /** A local folder mirroring the sources; when absent, sources are downloaded. */
  readonly localFolder?: string;
  /** URL → the path a local folder stores it under, where not its URL's file name (default: none). */
  readonly localNames?: ReadonlyMap<string, string>;
  /** Called once per source, after it was obtained. */
  readonly onSource?: (source: ObtainedSource, index: number, total: number) => void;
  /** Download timeout per source, in milliseconds (default 60 s). */
  readonly timeoutMs?: number;
}

/** The sources' texts, in the order of `urls`. All local misses are reported at once. */
export async function obtainSources(
  urls: readonly string[],
  options: ObtainOptions = {},
): Promise<ObtainedSource[]> {
  const { localFolder } = options;
  const local = localFolder === undefined ? undefined : await resolveLocalSources(urls, localFolder, options.localNames);
  const obtained: ObtainedSource[] = [];
  for (const [index, url] of urls.entries()) {
    const file = local?.get(url);
    const source =
      file === undefined || localFolder === undefined
        ? { url, text: await download(url, options.timeoutMs ?? 60_000), origin: url }
        : { url, text: await readFile(file, 'utf8'), origin: relative(localFolder, file) };
    obtained.push(source);
    options.onSource?.(source, index, urls.length);
  }
  return obtained;
}

async function download(url: string, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    // fetch's own message is just "fetch failed"; the reason is in its cause.
    const reason = (cause as Error).cause instanceof Error ? ` (${((cause as Error).cause as Error).message})` : '';
    throw new Error(
      `cannot download ${url}: ${(cause as Error).message}${reason}; offline? set TWINOPS_CRD_DIR to a local copy`,
      { cause },
    );
  }
  if (!response.ok) throw new Error(`cannot download ${url}: HTTP ${response.status} ${response.statusText}`);
  return response.text();
}
