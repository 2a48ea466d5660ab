/**
 * The type check before a render. tsx strips types without checking them, so without this a
 * chart with a type error would render anyway. The check runs the project's own TypeScript
 * over the program that renders (bin/, charts/, lib/, imports/: `tsconfig.synth.json`, never the
 * tests), and a stamp of those sources skips it when nothing changed since the last check that
 * passed, so the common `npm run synth` pays only for hashing. When it does check, tsc runs
 * beside the render (../build/type-check.mjs), and its verdict is awaited before the write.
 *
 * The process boundary: this module reads the sources, starts `tsc` and writes the stamp.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourcesHash } from '../build/sources-hash.mjs';
import { CHECKING, NOT_TYPE_CHECKED, readStamp, STAMP_FILE, startTypeCheck, TYPE_CHECK_CACHE_DIR, type RunningTypeCheck, type TypeCheckResult } from '../build/type-check.mjs';
import { UserError } from '../errors';
import type { Io } from './io';

/** The repository of the program that runs (this file is `<root>/lib/cli/typecheck.ts`), whatever the working directory. */
export const PROGRAM_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

// The hash is plain JavaScript, shared with the build cache that bin/twinops.mjs checks before any TypeScript runs.
export { SETTINGS_FILES, SOURCE_FOLDERS, sourcesHash } from '../build/sources-hash.mjs';
// So is the check itself: the launcher starts it before it builds the program (../build/type-check.mjs).
export { NOT_TYPE_CHECKED, STAMP_FILE, type RunningTypeCheck, type TypeCheckResult };

/** Type-checks the program in `root`, start to verdict. */
export type TypeChecker = (root: string) => TypeCheckResult;

/** Written whole then renamed, so two renders at once never leave a torn stamp. */
function writeStamp(root: string, sources: string): void {
  const file = join(root, STAMP_FILE);
  mkdirSync(join(root, TYPE_CHECK_CACHE_DIR), { recursive: true });
  writeFileSync(`${file}.${process.pid}`, `${JSON.stringify({ sources }, null, 2)}\n`);
  renameSync(`${file}.${process.pid}`, file);
}

/** Where and how to check; by default tsc, started here. */
export interface TypeCheckOptions {
  /** The project whose sources are checked: it holds SOURCE_FOLDERS, the tsconfigs and node_modules. */
  readonly root: string;
  /** Where the progress line, the diagnostics and the notes go. */
  readonly io: Pick<Io, 'stderr'>;
  /** The command as the user typed it (`synth`, `dr activate`), for the notes. */
  readonly command: string;
  /** A checker run when the verdict is asked for, instead of tsc (the tests' own). */
  readonly check?: TypeChecker;
  /** `sourcesHash(root)` when the caller has just computed it (bin/twinops.mjs does, for its build cache); default: computed here. */
  readonly sources?: string;
  /** A check of exactly these `sources` that is already running (bin/twinops.mjs starts one before it builds the program). */
  readonly running?: RunningTypeCheck;
}

/**
 * A command's type check: started, or not needed. `settle()` waits for the verdict and returns
 * when the program type-checks (or when no TypeScript is installed, with a note); it prints tsc's
 * diagnostics once and throws a UserError, every time it is called, when it does not.
 */
export interface PendingTypeCheck {
  /** Whether the verdict is in (or no check was needed): settling will not wait, print or throw anything new. */
  readonly settled: boolean;
  settle(): void;
}

/** The sources are those of the last check that passed. */
const NOT_NEEDED: PendingTypeCheck = { settled: true, settle: () => undefined };

/**
 * Starts the check of the program in `root` unless its sources are those of the last check that
 * passed. A command renders while tsc runs and settles before it writes anything: tsc runs in a
 * process of its own, so the two take both cores.
 */
export function beginTypeCheck({ root, io, command, check, sources = sourcesHash(root), running }: TypeCheckOptions): PendingTypeCheck {
  // Hashed before the check (and before the build that runs it): a file saved while tsc runs
  // leaves a stamp that no longer matches.
  if (readStamp(root) === sources) return NOT_NEEDED;
  io.stderr.write(CHECKING);
  const underway = running ?? (check === undefined ? startTypeCheck(root) : { result: () => check(root) });
  let settled = false;
  let failure: UserError | undefined;
  return {
    get settled() {
      return settled;
    },
    settle() {
      if (failure !== undefined) throw failure;
      if (settled) return;
      const result = underway.result();
      settled = true;
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
          failure = new UserError(NOT_TYPE_CHECKED);
          throw failure;
      }
    },
  };
}

/** The check, start to verdict: returns when the program type-checks; see `PendingTypeCheck.settle`. */
export function ensureTypeChecked(options: TypeCheckOptions): void {
  beginTypeCheck(options).settle();
}

/**
 * The check of the program that runs, as bin/program.ts hands it to the commands that render.
 * `sources`: the hash of PROGRAM_ROOT's sources taken before this program was built; default:
 * hashed now. `running`: the launcher's check of those sources, when it started one.
 */
export function typeCheckProgram(io: Pick<Io, 'stderr'>, command: string, sources?: string, running?: RunningTypeCheck): PendingTypeCheck {
  return beginTypeCheck({ root: PROGRAM_ROOT, io, command, ...(sources === undefined ? {} : { sources }), ...(running === undefined ? {} : { running }) });
}
