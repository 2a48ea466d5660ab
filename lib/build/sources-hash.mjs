// The fast hash of the program that renders, shared by the type check (lib/cli/typecheck.ts)
// and the build cache (./program-cache.mjs). Plain JavaScript: bin/twinops.mjs runs it before
// any TypeScript can be loaded. Types: ./sources-hash.d.mts.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { racy } from '../render/racy.mjs';

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
 * development machine: 40 to 60 ms (the first run of a cold process the slowest) for the 312
 * files (3.4 MB, most of it imports/) of this repository, against about 3 s for tsc with nothing
 * to re-check and 6.5 s for a full check; `stampedSourcesHash` answers from the files' stats.
 */
export function sourcesHash(root) {
  return hashOf(root, sourcePaths(root));
}

/** Every file the hash covers, in the order it hashes them: the source files, then the settings files. */
function sourcePaths(root) {
  return [...SOURCE_FOLDERS.flatMap((folder) => sourceFiles(root, folder)), ...SETTINGS_FILES];
}

function hashOf(root, paths) {
  const hash = createHash('sha256');
  const add = (path, content) => hash.update(`${path}\0${content.length}\0`).update(content);
  for (const path of paths) {
    // A missing settings file hashes differently from an empty one, so creating it re-checks.
    add(path, existsSync(join(root, path)) ? readFileSync(join(root, path)) : '\0missing');
  }
  return hash.digest('hex');
}

/** Where `stampedSourcesHash` keeps the last hash and the stat of each file it covered, relative to the project root. */
export const SOURCES_STAMPS_FILE = join('node_modules', '.cache', 'twinops-sources.json');

/**
 * `sourcesHash(root)`, answered without reading the files when every one still has the stat it
 * had when they were last hashed (size, modification and change times, inode), as git's index
 * answers `git status`; else hashed, and the stats kept unless a file changed too recently for
 * its stat to be trusted (../render/racy.mjs). An edit changes the change time, which no tool
 * sets back, and a file added or removed changes the list. Reading and hashing the 3.4 MB of
 * this repository's 312 files took 40-60 ms of every run; listing and stat-ing them 5-8 ms
 * (measured). The launcher's hash; the type check's tests hash the files themselves.
 */
export function stampedSourcesHash(root) {
  const paths = sourcePaths(root);
  const taken = Date.now();
  const stats = paths.map((path) => {
    const stat = statSync(join(root, path), { throwIfNoEntry: false });
    return stat === undefined ? null : [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
  });
  const file = join(root, SOURCES_STAMPS_FILE);
  const known = readStamps(file);
  if (known !== undefined && known.paths.length === paths.length && paths.every((path, i) => path === known.paths[i] && sameStat(stats[i], known.stats[i]))) return known.hash;
  const hash = hashOf(root, paths);
  const trusted = stats.every((stat) => stat === null || !racy({ mtimeMs: stat[1], ctimeMs: stat[2] }, taken));
  if (trusted) writeStamps(file, { hash, paths, stats });
  return hash;
}

const sameStat = (a, b) => (a === null ? b === null : Array.isArray(b) && a.every((value, i) => value === b[i]));

function readStamps(file) {
  try {
    const known = JSON.parse(readFileSync(file, 'utf8'));
    return typeof known?.hash === 'string' && Array.isArray(known.paths) && Array.isArray(known.stats) ? known : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole then renamed; a cache that cannot be written costs the next run a hash, nothing else. */
function writeStamps(file, stamps) {
  const temporary = `${file}.${process.pid}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, JSON.stringify(stamps));
    renameSync(temporary, file);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written where nothing can be.
    }
  }
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
