// The fast hash of the program that renders, shared by the type check (lib/cli/typecheck.ts)
// and the build cache (./program-cache.mjs). Plain JavaScript: bin/twinops.mjs runs it before
// any TypeScript can be loaded. Types: ./sources-hash.d.mts.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folders whose source files make up the program that renders. */
export const SOURCE_FOLDERS = ['bin', 'charts', 'lib', 'imports'];

/** Files outside those folders that change the verdict: the compiler settings and, through the lock, TypeScript, esbuild and the typings. */
export const SETTINGS_FILES = ['tsconfig.json', 'tsconfig.synth.json', 'package-lock.json'];

/** The source files: TypeScript, and the plain-JavaScript modules the program imports (this one). */
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.mjs'];

/**
 * Folders whose every file is part of the program: a chart may import or read a data file of
 * its own, and imports/ holds the schemas and CEL rules every render validates with. The render
 * cache keeps validation results under this hash, so a schema-only `npm run import` must change it.
 */
const WHOLE_FOLDERS = new Set(['charts', 'imports']);

/**
 * sha256 over the path and content of every source file of SOURCE_FOLDERS (every file of charts/
 * and imports/; TypeScript and JavaScript modules of the others), sorted, so that the order
 * the file system lists them in does not matter) and of SETTINGS_FILES. Measured on the 2-core
 * development machine: 5 to 20 ms (the first run of a cold process the slowest) for the ~150
 * files (1.5 MB) of this repository, against about 3 s for tsc with nothing to re-check and
 * 6.5 s for a full check.
 */
export function sourcesHash(root) {
  const hash = createHash('sha256');
  const add = (path, content) => hash.update(`${path}\0${content.length}\0`).update(content);
  for (const folder of SOURCE_FOLDERS) {
    for (const path of sourceFiles(root, folder)) add(path, readFileSync(join(root, path)));
  }
  for (const path of SETTINGS_FILES) {
    // A missing file hashes differently from an empty one, so creating it re-checks.
    add(path, existsSync(join(root, path)) ? readFileSync(join(root, path)) : '\0missing');
  }
  return hash.digest('hex');
}

/** The source files below `folder` (paths relative to `root`), sorted; none when the folder does not exist. */
function sourceFiles(root, folder) {
  const files = [];
  const walk = relativeFolder => {
    for (const entry of readdirSync(join(root, relativeFolder), { withFileTypes: true })) {
      const path = join(relativeFolder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && (WHOLE_FOLDERS.has(folder) || SOURCE_EXTENSIONS.some(extension => entry.name.endsWith(extension)))) files.push(path);
    }
  };
  if (existsSync(join(root, folder))) walk(folder);
  return files.sort();
}
