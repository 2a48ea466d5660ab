// The cached build of the program (bin/program.ts with lib/, charts/, imports/ and the packages
// they import, which package-lock.json pins and the sources hash covers): one esbuild
// bundle per sources hash, in node_modules/.cache/twinops/ (never committed, never in the
// project's own folders). Plain JavaScript: bin/twinops.mjs calls it before any TypeScript can
// be loaded. Types: ./program-cache.d.mts.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** Where the bundles live, relative to the project root (shared with the type-check stamp). */
export const PROGRAM_CACHE_DIR = join('node_modules', '.cache', 'twinops');

/** The module the bundle starts from: it exports `runProgram`. */
const ENTRY = join('bin', 'program.ts');

/**
 * `program-<key>.cjs`, its map and its code cache (`.v8`): the name says which sources it was
 * built from. Bundles of the ES-module format earlier versions built (`.mjs`) are removed too.
 */
const BUNDLE_NAME = /^program-[0-9a-f]{16}\.[cm]js(\.map|\.v8)?$/;

/** The errors that mean "this folder cannot be written", as opposed to a bug. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR']);

/**
 * The bundle of the program in `root` whose sources hash to `sources`. The project's path and
 * Node's version are part of the key: the bundle holds the sources' absolute URLs (for
 * `import.meta.url`) and is built for the running Node.
 */
export function bundleFile(root, sources) {
  const key = createHash('sha256').update(`${sources}\0${root}\0${process.version}`).digest('hex').slice(0, 16);
  return join(root, PROGRAM_CACHE_DIR, `program-${key}.cjs`);
}

/**
 * The cached bundle for `sources`, built (with esbuild's JS API) when there is none:
 * `{ status: 'cached' | 'built', file }`, or `{ status: 'unwritable', reason }` when the cache
 * folder cannot be written. Throws esbuild's error when the sources do not build (a syntax error).
 * `sources` must be hashed before this is called: a file saved during the build then leaves a
 * key that no longer matches, and the next run builds again.
 */
export async function cachedProgram(root, sources) {
  const file = bundleFile(root, sources);
  if (existsSync(file)) return { status: 'cached', file };
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, ENTRY)],
    outfile: file,
    bundle: true,
    platform: 'node',
    // CommonJS, so that it can be compiled with V8's code cache (`loadProgram`): Node 20 keeps
    // none for ES modules, and compiling the bundle was 0.13 s of every run.
    format: 'cjs',
    target: `node${process.versions.node}`,
    // The packages are bundled too: loading them from node_modules, file by file through Node's
    // resolver and (for CommonJS) its export scan, was 0.2-0.3 s of every run of the 0.8 s a
    // warm synth took (--cpu-prof); the one bundle of them all runs it in 0.6 s.
    // Identifiers stay as written, so functions and classes keep their names (`--verbose` stack
    // traces, through the source map, name them as the sources do; only a class whose static
    // members refer to it, which esbuild lowers to `X = class _X`, is named `_X`, as in a
    // message of the constructs library naming a generated import class) without `keepNames`: that
    // wraps every named closure in a call defining its `name` each time the closure is made,
    // 70-80 ms of a fresh render of the bench fleet (--cpu-prof), 0.1-0.2 s of its 4.5 s with the
    // garbage (measured, 3 runs each). Whitespace and syntax are still minified: 2.2 MB against
    // 1.6 MB fully minified, read with V8's code cache, so a synth with nothing to change takes
    // the same 0.30-0.32 s.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    logLevel: 'silent',
    write: false,
    plugins: [sourceModuleUrls(root)],
  });
  try {
    mkdirSync(join(root, PROGRAM_CACHE_DIR), { recursive: true });
    // The map first, the bundle last: a bundle that exists is complete.
    const outputs = [...result.outputFiles].sort((a, b) => Number(a.path === file) - Number(b.path === file));
    for (const output of outputs) {
      writeFileSync(`${output.path}.${process.pid}`, output.contents);
      renameSync(`${output.path}.${process.pid}`, output.path);
    }
  } catch (error) {
    if (UNWRITABLE.has(error?.code)) return { status: 'unwritable', reason: `${error.code} on ${join(root, PROGRAM_CACHE_DIR)}` };
    throw error;
  }
  removeOtherBundles(root, file);
  return { status: 'built', file };
}

/**
 * Each source file keeps its own `import.meta.url` inside the bundle (lib/render/validate.ts
 * finds imports/schemas/ from it, typecheck.ts the project root), so a bundled module reads the
 * same files as the module under tsx.
 */
function sourceModuleUrls(root) {
  const project = pathToFileURL(root).href;
  return {
    name: 'twinops-source-module-urls',
    setup(build) {
      build.onLoad({ filter: /\.(m?ts|mjs)$/ }, args => {
        const url = pathToFileURL(args.path).href;
        if (!url.startsWith(`${project}/`) || url.includes('/node_modules/')) return undefined;
        const source = readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(url));
        return { contents: source, loader: args.path.endsWith('.mjs') ? 'js' : 'ts' };
      });
    },
  };
}

/**
 * The bundle's exports, compiled with the V8 code cache kept beside it (`<bundle>.v8`) when
 * there is one that fits this bundle and this Node; `save` writes the cache after a run when
 * there was none or V8 rejected it (a cache made after the run holds the functions it compiled,
 * not only the top level). Measured on the 2-core development machine, examples, nothing to
 * change: loading the bundle 0.13 s → 0.11 s with the reading, its top level 0.15 → 0.12 s.
 * With `sourceMaps` (--verbose), Node's own loader runs it, which maps stack traces to the
 * sources (V8's cache does not go through it).
 */
export function loadProgram(file, sourceMaps = false) {
  if (sourceMaps) return { exports: createRequire(import.meta.url)(file), save: () => undefined };
  const cacheFile = `${file}.v8`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const save = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    try {
      // Written whole then renamed: a reader never finds half a cache (V8 would reject it anyway).
      writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
      renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    } catch {
      // A cache that cannot be written costs the next run its compile, nothing else.
      rmSync(`${cacheFile}.${process.pid}`, { force: true });
    }
  };
  return { exports: module.exports, save };
}

/** Bundles of older sources: one is kept, not one per edit. A process still running one has it loaded already. */
function removeOtherBundles(root, keep) {
  const folder = join(root, PROGRAM_CACHE_DIR);
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (BUNDLE_NAME.test(name) && path !== keep && path !== `${keep}.map` && path !== `${keep}.v8`) rmSync(path, { force: true });
  }
}
