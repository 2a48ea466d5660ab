/**
 * The type check before a render. tsx strips types without checking them, so without this a
 * chart with a type error would render anyway. The check runs the project's own TypeScript
 * over the program that renders (bin/, charts/, lib/, imports/: `tsconfig.synth.json`, never the
 * tests), and a stamp of those sources skips it when nothing changed since the last check that
 * passed, so the common `npm run synth` pays only for hashing.
 *
 * The process boundary: this module reads the sources, spawns `tsc` and writes the stamp.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourcesHash } from '../build/sources-hash.mjs';
import { UserError } from '../errors';
import type { Io } from './io';

/** The repository of the program that runs (this file is `<root>/lib/cli/typecheck.ts`), whatever the working directory. */
export const PROGRAM_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

// The hash is plain JavaScript, shared with the build cache that bin/twinops.mjs checks before any TypeScript runs.
export { SETTINGS_FILES, SOURCE_FOLDERS, sourcesHash } from '../build/sources-hash.mjs';

/** The tsconfig that includes only SOURCE_FOLDERS. */
const SYNTH_TSCONFIG = 'tsconfig.synth.json';

/** Never committed (node_modules is ignored), so a fresh clone checks once. */
const CACHE_DIR = join('node_modules', '.cache', 'twinops');

/** The hash of the sources at the last check that passed. */
export const STAMP_FILE = join(CACHE_DIR, 'typecheck.json');

/** tsc's incremental state: a re-check after a small change reuses what did not change. */
const BUILD_INFO_FILE = join(CACHE_DIR, 'tsbuildinfo');

/** The project's own TypeScript, not whatever `tsc` is on PATH. */
const TSC = join('node_modules', 'typescript', 'bin', 'tsc');

/** What the final error line says; the diagnostics come before it. */
export const NOT_TYPE_CHECKED = 'the charts do not type-check; nothing was written';

/** What a checker found. */
export type TypeCheckResult =
  | { readonly status: 'passed' }
  /** `diagnostics`: tsc's output, one `file(line,col): error TS…` per problem, paths relative to the root. */
  | { readonly status: 'failed'; readonly diagnostics: string }
  /** `reason`: why no check could run (no TypeScript installed). */
  | { readonly status: 'unavailable'; readonly reason: string };

/** Type-checks the program in `root`. */
export type TypeChecker = (root: string) => TypeCheckResult;

/** The hash of the last check that passed, or undefined (none yet, or a stamp that does not parse: check again). */
function readStamp(root: string): string | undefined {
  try {
    const stamp: unknown = JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8'));
    const sources = typeof stamp === 'object' && stamp !== null ? (stamp as { sources?: unknown }).sources : undefined;
    return typeof sources === 'string' ? sources : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole then renamed, so two renders at once never leave a torn stamp. */
function writeStamp(root: string, sources: string): void {
  const file = join(root, STAMP_FILE);
  mkdirSync(join(root, CACHE_DIR), { recursive: true });
  writeFileSync(`${file}.${process.pid}`, `${JSON.stringify({ sources }, null, 2)}\n`);
  renameSync(`${file}.${process.pid}`, file);
}

/** Runs `node_modules/typescript/bin/tsc` on `tsconfig.synth.json` in `root`, incrementally. */
export const runTsc: TypeChecker = (root) => {
  if (!existsSync(join(root, TSC))) return { status: 'unavailable', reason: `TypeScript is not installed (no ${TSC})` };
  const args = [TSC, '-p', SYNTH_TSCONFIG, '--noEmit', '--incremental', '--tsBuildInfoFile', BUILD_INFO_FILE, '--pretty', 'false'];
  // In `root`, so tsc prints the paths relative to the project: charts/apps/redis.ts(3,14).
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`cannot run ${TSC}: ${run.error.message}`, { cause: run.error });
  if (run.status === 0) return { status: 'passed' };
  if (run.status === null) throw new Error(`${TSC} was stopped by ${run.signal ?? 'a signal'} before it finished`);
  return { status: 'failed', diagnostics: `${run.stdout}${run.stderr}`.trimEnd() };
};

/** Where and how to check; `check` defaults to `runTsc`. */
export interface TypeCheckOptions {
  /** The project whose sources are checked: it holds SOURCE_FOLDERS, the tsconfigs and node_modules. */
  readonly root: string;
  /** Where the progress line, the diagnostics and the notes go. */
  readonly io: Pick<Io, 'stderr'>;
  /** The command as the user typed it (`synth`, `dr activate`), for the notes. */
  readonly command: string;
  /** The checker; default: `runTsc`. */
  readonly check?: TypeChecker;
  /** `sourcesHash(root)` when the caller has just computed it (bin/twinops.mjs does, for its build cache); default: computed here. */
  readonly sources?: string;
}

/**
 * Returns when the program in `root` type-checks (or when no TypeScript is installed, with a
 * note); prints tsc's diagnostics and throws a UserError when it does not. Skips the check when
 * the sources are those of the last check that passed.
 */
export function ensureTypeChecked({ root, io, command, check = runTsc, sources = sourcesHash(root) }: TypeCheckOptions): void {
  // Hashed before the check (and before the build that runs it): a file saved while tsc runs
  // leaves a stamp that no longer matches.
  if (readStamp(root) === sources) return;
  io.stderr.write('type-checking charts/ and lib/ (changed since the last check)…\n');
  const result = check(root);
  switch (result.status) {
    case 'passed':
      writeStamp(root, sources);
      return;
    case 'unavailable':
      // Render: TypeScript comes with tsx (both devDependencies), so this is an install without
      // them that runs the program another way; `npm test` still type-checks where they exist.
      io.stderr.write(`twinops ${command}: note: ${result.reason}; rendering without the type check\n`);
      return;
    case 'failed':
      io.stderr.write(`${result.diagnostics}\n`);
      throw new UserError(NOT_TYPE_CHECKED);
  }
}

/**
 * The check of the program that runs, as bin/program.ts hands it to the commands that render.
 * `sources`: the hash of PROGRAM_ROOT's sources taken before this program was built; default:
 * hashed now.
 */
export function typeCheckProgram(io: Pick<Io, 'stderr'>, command: string, sources?: string): void {
  ensureTypeChecked({ root: PROGRAM_ROOT, io, command, ...(sources === undefined ? {} : { sources }) });
}
