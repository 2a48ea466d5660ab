/**
 * `twinops check`: what CI needs in one command. The environments load, every object passes its
 * schema and the estate policies, and the output folder (the committed `dist/`) is exactly what
 * `synth` would write now: the same pipeline (type check, loader, `renderFiles` with the runbook,
 * destroy protection), then the writer's own planner to compare, never a write. No lock is taken
 * (it is a file beside the folder): a render running at the same time can make the answer stale,
 * which CI, the one caller that must be right, never does.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareTree, isIdentical, requireFolderOrAbsent, type TreeDifference } from '../render/compare-tree';
import { realOutputPath, writerPaths } from '../render/output-paths';
import { refuseProtectedRemovals } from '../render/protected-removal';
import { environmentFiles, isBootstrapFile, loadEnvironments, renderFiles } from '../synth';
import { parseCommandLine, usageOf, type CommandSpec } from './args';
import { reportError, shownPath } from './errors';
import type { Io } from './io';
import { LiveProgress } from './live-progress';
import type { Content } from '../render/content';
import { FOLDER_OPTIONS, noteIgnoredFiles, STATE_OVERRIDE_VARIABLE, type RenderDeps } from './synth';

/** Exit codes: the folder is a fresh render, it is not, or nothing could be compared. */
export const EXIT_IDENTICAL = 0;
export const EXIT_DIFFERENT = 1;
export const EXIT_ERROR = 2;

const CHECK_OPTIONS = {
  environments: FOLDER_OPTIONS.environments,
  out: { type: 'string', placeholder: 'DIR', default: 'dist', description: 'the rendered tree to compare with (the committed render)' },
} as const;

const CHECK: CommandSpec<typeof CHECK_OPTIONS> = {
  name: 'check',
  synopsis: '[options]',
  description: `Renders every environment in memory exactly as synth would (type check, schemas, policies, runbook) and
compares the render with the output folder; lists each stale, missing and extra file. Writes nothing.
Exit code: 0 when the folder is exactly a fresh render, 1 when it is not, 2 on any error.
flux-system/ folders of cluster entries are flux bootstrap's: not compared. ${STATE_OVERRIDE_VARIABLE} is ignored.`,
  options: CHECK_OPTIONS,
};

/** One line per differing file, `stale: dist/home/…`, stale then missing then extra, each sorted. */
export function differenceLines(difference: TreeDifference, shown: (path: string) => string): string[] {
  return [
    ...difference.stale.map((path) => `stale: ${shown(path)}`),
    ...difference.missing.map((path) => `missing: ${shown(path)}`),
    ...difference.extra.map((path) => `extra: ${shown(path)}`),
  ];
}

/** The last line: the verdict with its counts. */
export function verdictLine(difference: TreeDifference, folder: string): string {
  if (isIdentical(difference)) return `check: ${folder}/ is a fresh render (${difference.identical} file(s) identical)`;
  const { stale, missing, extra } = difference;
  return (
    `check: ${folder}/ is not a fresh render: ${stale.length} stale, ${missing.length} missing, ${extra.length} extra file(s); ` +
    'run npm run synth and commit the result'
  );
}

export function runCheck(argv: readonly string[], io: Io, deps: RenderDeps): number {
  let verbose = argv.includes('--verbose');
  try {
    const { values, help, ...line } = parseCommandLine(CHECK, argv);
    verbose = line.verbose;
    if (help) {
      io.stdout.write(usageOf(CHECK));
      return EXIT_IDENTICAL;
    }
    const environmentsDir = resolve(io.cwd, values.environments);
    const distDir = resolve(io.cwd, values.out);
    const folder = shownPath(io.cwd, distDir);
    requireFolderOrAbsent(distDir, folder);
    const override = io.env[STATE_OVERRIDE_VARIABLE];
    if (override !== undefined && override !== '') {
      // The committed render must be the environment files' own; a preview is never committed.
      io.stderr.write(`twinops check: note: ${STATE_OVERRIDE_VARIABLE}=${override} ignored: check compares with the states the environment files set\n`);
    }
    // Synth would finish an interrupted write first; check does not write, so it only says so.
    const journal = writerPaths(realOutputPath(distDir)).journal;
    if (existsSync(journal)) {
      io.stderr.write(`twinops check: note: ${shownPath(io.cwd, journal)} is left by an interrupted render; the next synth finishes it\n`);
    }
    noteIgnoredFiles(io, 'check', environmentsDir);
    deps.typecheck?.(io, 'check').settle();
    const live = new LiveProgress(io);
    const environments = loadEnvironments(environmentFiles(environmentsDir), deps.catalog);
    const progress = (line: string) => {
      live.clear();
      io.stderr.write(`  ${line}\n`);
    };
    let files: ReadonlyMap<string, Content>;
    try {
      ({ files } = renderFiles(environments, deps.compose, distDir, progress, undefined, (environment, done, total) => live.units(environment, done, total)));
    } finally {
      live.clear();
    }
    refuseProtectedRemovals(distDir, files);
    const difference = compareTree(distDir, files, isBootstrapFile);
    const lines = [...differenceLines(difference, (path) => shownPath(io.cwd, join(distDir, path))), verdictLine(difference, folder)];
    io.stdout.write(`${lines.join('\n')}\n`);
    return isIdentical(difference) ? EXIT_IDENTICAL : EXIT_DIFFERENT;
  } catch (error) {
    // reportError's own code says failure or usage; for CI both are "could not check" (2), never
    // "the folder differs" (1).
    reportError(io, 'check', error, verbose);
    return EXIT_ERROR;
  }
}
