// The cached build of the program (bin/program.ts with lib/, charts/ and imports/): one esbuild
// bundle per sources hash, in node_modules/.cache/twinops/ (never committed, never in the
// project's own folders). Plain JavaScript: bin/twinops.mjs calls it before any TypeScript can
// be loaded. Types: ./program-cache.d.mts.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the bundles live, relative to the project root (shared with the type-check stamp). */
export const PROGRAM_CACHE_DIR = join('node_modules', '.cache', 'twinops');

/** The module the bundle starts from: it exports `runProgram`. */
const ENTRY = join('bin', 'program.ts');

/** `program-<key>.mjs`: the name says which sources it was built from. */
const BUNDLE_NAME = /^program-[0-9a-f]{16}\.mjs(\.map)?$/;

/** The errors that mean "this folder cannot be written", as opposed to a bug. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR']);

/**
 * The bundle of the program in `root` whose sources hash to `sources`. The project's path and
 * Node's version are part of the key: the bundle holds the sources' absolute URLs (for
 * `import.meta.url`) and is built for the running Node.
 */
export function bundleFile(root, sources) {
  const key = createHash('sha256').update(`${sources}\0${root}\0${process.version}`).digest('hex').slice(0, 16);
  return join(root, PROGRAM_CACHE_DIR, `program-${key}.mjs`);
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
    format: 'esm',
    target: `node${process.versions.node}`,
    // node_modules/.cache/twinops/ resolves packages from the project's node_modules, as the sources do.
    packages: 'external',
    // The commands' messages and `--verbose` stack traces name functions and classes as written.
    keepNames: true,
    sourcemap: 'linked',
    // The `require` the CommonJS packages are loaded with (commonJsByRequire).
    banner: { js: "import { createRequire as __twinopsCreateRequire } from 'node:module'; const __twinopsRequire = __twinopsCreateRequire(import.meta.url);" },
    logLevel: 'silent',
    write: false,
    plugins: [sourceModuleUrls(root), commonJsByRequire(), fullySpecifiedPackageFiles()],
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
 * CommonJS packages (cdk8s, cdk8s-plus-28, ajv, yaml, …) are loaded with `require`, not `import`:
 * Node's ESM loader scans a CommonJS module's source for its export names before running it
 * (cjs-module-lexer, following every re-export), which cost ~0.2 s of each run for
 * cdk8s-plus-28's generated API alone (measured with --cpu-prof: cjsPreparseModuleExports). The
 * import becomes a tiny module that requires the file the package resolves to from the importing
 * source, and esbuild's CommonJS interop gives the named imports. ES-module-only packages
 * (@marcbachmann/cel-js) and Node's built-ins stay ordinary imports.
 */
function commonJsByRequire() {
  return {
    name: 'twinops-commonjs-by-require',
    setup(build) {
      build.onResolve({ filter: /^(@[^/]+\/)?[^./@:][^:]*$/ }, args => {
        if (args.kind !== 'import-statement' || args.namespace !== 'file') return undefined;
        let resolved;
        try {
          resolved = createRequire(args.importer).resolve(args.path);
        } catch {
          return undefined; // an ES-module-only package has no require condition: it stays an import
        }
        if (!isAbsolute(resolved) || !isCommonJs(resolved)) return undefined;
        return { path: resolved, namespace: 'twinops-require' };
      });
      build.onLoad({ filter: /.*/, namespace: 'twinops-require' }, args => ({
        contents: `module.exports = __twinopsRequire(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/** Whether the package file `path` is CommonJS: `.cjs`, or `.js` in a package that is not `"type": "module"`. */
function isCommonJs(path) {
  if (path.endsWith('.cjs')) return true;
  if (!path.endsWith('.js')) return false;
  for (let folder = dirname(path); folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type !== 'module';
  }
  return true;
}

/**
 * `ajv/dist/2020` resolves under tsx and CommonJS, but Node's ESM loader wants the file a
 * package without an `exports` map means: `ajv/dist/2020.js`. Subpaths of packages keep their
 * specifier (and stay external) when they already resolve as ESM.
 */
function fullySpecifiedPackageFiles() {
  return {
    name: 'twinops-fully-specified-package-files',
    setup(build) {
      build.onResolve({ filter: /^(@[^/]+\/)?[^./@][^/]*\/.+/ }, args => {
        if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
        if (/\.[cm]?js$/.test(args.path)) return undefined;
        let resolved;
        try {
          resolved = createRequire(args.importer).resolve(args.path);
        } catch {
          return undefined; // esbuild reports it
        }
        for (const suffix of ['.js', '/index.js']) {
          if (resolved.endsWith(`${args.path}${suffix}`.split('/').join(sep))) return { path: `${args.path}${suffix}`, external: true };
        }
        return undefined;
      });
    },
  };
}

/** Bundles of older sources: one is kept, not one per edit. A process still running one has it loaded already. */
function removeOtherBundles(root, keep) {
  const folder = join(root, PROGRAM_CACHE_DIR);
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (BUNDLE_NAME.test(name) && path !== keep && path !== `${keep}.map`) rmSync(path, { force: true });
  }
}
