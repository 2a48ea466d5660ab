// The render cache file of a `synth`, read on libuv's thread pool while the launcher hashes the
// sources and loads the program (issue 11). Reading the bench fleet's 40 MB file cost 0.2-0.3 s
// of every CLI synth on the main thread (its pages are new to the process); the launcher's own
// work before the render needs the cache is 0.3-0.4 s, so the read is done, or nearly, when it
// is wanted. Plain JavaScript: bin/twinops.mjs runs it before any TypeScript can be loaded.
// Types: ./read-ahead.d.mts.
//
// Only a guess: the program uses the bytes only for the very file it would have read (the same
// name: lib/render/unit-cache-file.ts `renderCacheFile`, which is this module's), and reads the
// file itself otherwise. The file is only ever replaced by a rename, so the bytes are one whole
// version of it; a version one render older is a cache like any other (its reads and stamps are
// checked before anything is reused).
import { createHash } from 'node:crypto';
import { close, fstat, fstatSync, openSync, read, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Where a checkout keeps its render cache files: never committed. */
export const RENDER_CACHE_FOLDER = 'node_modules/.cache/twinops-render';

/** The output folder of `synth` and `dr` when `--out` is not given. */
export const DEFAULT_OUT = 'dist';

/** The cache file of the output folder whose real path is `real`, in `folder`. */
export function renderCacheFile(folder, real) {
  return join(folder, `${createHash('sha256').update(real).digest('hex').slice(0, 16)}.v8`);
}

/**
 * For `twinops synth …` run in `cwd` from the checkout `root`: starts reading the render cache
 * file of its output folder, and gives the file and a promise of its bytes (undefined when it
 * could not be read whole). Undefined for any other command, with `--no-cache` or `--help`, or
 * when the output folder or the file does not exist (nothing to read ahead).
 */
export function readAheadRenderCache(root, argv, cwd) {
  if (argv[0] !== 'synth') return undefined;
  let values;
  try {
    // Not strict: the program words every mistake of the command line itself.
    ({ values } = parseArgs({ args: argv.slice(1), options: { out: { type: 'string' }, 'no-cache': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true }));
  } catch {
    return undefined;
  }
  if (values['no-cache'] === true || values.help === true) return undefined;
  const out = typeof values.out === 'string' ? values.out : DEFAULT_OUT;
  let file;
  let fd;
  let before;
  try {
    file = renderCacheFile(join(root, RENDER_CACHE_FOLDER), realpathSync(resolve(cwd, out)));
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    before = fstatSync(fd);
  } catch {
    close(fd, () => undefined);
    return undefined;
  }
  const size = before.size;
  // One read of the whole file: one request on the pool, the copy and the page faults on its
  // thread. (readFile's callback form reads in steps, each waiting for the main thread.)
  const buffer = Buffer.allocUnsafeSlow(size);
  const bytes = new Promise((done) => {
    read(fd, buffer, 0, size, 0, (error, length) => {
      // Refused when the file changed during the read (../render/cache-file-bytes.ts says how it can).
      fstat(fd, (statError, after) => {
        close(fd, () => undefined);
        done(error === null && length === size && statError === null && sameFileStat(before, after) ? buffer : undefined);
      });
    });
  });
  return { file, bytes };
}

/**
 * Whether two stats of one open file show its bytes unchanged between them: the same size and
 * modification time. Not the change time: a save that replaces the file, or keeps it as its
 * spare, changes its link count and so that time, never its bytes.
 */
export function sameFileStat(before, after) {
  return before.size === after.size && before.mtimeMs === after.mtimeMs;
}
