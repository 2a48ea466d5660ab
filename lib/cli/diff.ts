/** `twinops diff`: what a change does to the rendered tree, DR-aware, for review and pull requests. */
import { resolve } from 'node:path';
import { formatJson } from '../diff/format-json';
import { formatMarkdown } from '../diff/format-markdown';
import { formatText } from '../diff/format-text';
import { hasDifferences, type DiffReport } from '../diff/report';
import { semanticDiff } from '../diff/run';
import { parseCommandLine, usageOf, UsageError, type CommandSpec } from './args';
import { reportError } from './errors';
import type { Io } from './io';
import { FOLDER_OPTIONS, noteIgnoredFiles, type RenderDeps } from './synth';

/** Exit codes of `diff`, as `diff(1)` and `git diff --exit-code` have them. */
export const EXIT_NO_DIFFERENCE = 0;
export const EXIT_DIFFERENCES = 1;
export const EXIT_DIFF_ERROR = 2;

const FORMATS: Readonly<Record<string, (report: DiffReport) => string>> = { text: formatText, markdown: formatMarkdown, json: formatJson };

const DIFF_OPTIONS = {
  base: { type: 'string', placeholder: 'REF', default: 'HEAD', description: 'the git commit, branch or tag to compare with' },
  format: { type: 'string', placeholder: 'FORMAT', default: 'text', description: `${Object.keys(FORMATS).join(', ')} (markdown: a pull-request comment)` },
  objects: { type: 'boolean', description: 'add a unified YAML diff per changed object' },
  environments: FOLDER_OPTIONS.environments,
  out: { ...FOLDER_OPTIONS.out, description: 'the rendered tree, as committed at the base (read through git, never written)' },
} as const;

const DIFF: CommandSpec<typeof DIFF_OPTIONS> = {
  name: 'diff',
  synopsis: '[options]',
  description: `Renders the working tree's environments in memory (nothing is written) and compares the
objects with the output folder committed at the base, read through git (no checkout).
The summary comes first: DR transitions (and whether each is exactly the documented change set),
stateful objects and immutable fields (will be refused or will recreate), prune protection
removed, objects that move between units or clusters. Secret-like values are masked.
Exit code: 0 no difference, 1 differences, 2 error.`,
  options: DIFF_OPTIONS,
};

export function runDiff(argv: readonly string[], io: Io, deps: RenderDeps): number {
  let verbose = argv.includes('--verbose');
  try {
    const { values, help, ...line } = parseCommandLine(DIFF, argv);
    verbose = line.verbose;
    if (help) {
      io.stdout.write(usageOf(DIFF));
      return EXIT_NO_DIFFERENCE;
    }
    const format = FORMATS[values.format];
    if (format === undefined) {
      throw new UsageError('diff', `unknown format; expected one of ${Object.keys(FORMATS).join(', ')}; given "${values.format}"`);
    }
    const environmentsDir = resolve(io.cwd, values.environments);
    noteIgnoredFiles(io, 'diff', environmentsDir);
    deps.typecheck?.(io, 'diff').settle();
    const report = semanticDiff({
      cwd: io.cwd,
      environmentsDir,
      distDir: resolve(io.cwd, values.out),
      base: values.base,
      compose: deps.compose,
      catalog: deps.catalog,
      unified: values.objects,
    });
    io.stdout.write(format(report));
    return hasDifferences(report) ? EXIT_DIFFERENCES : EXIT_NO_DIFFERENCE;
  } catch (error) {
    reportError(io, 'diff', error, verbose);
    // 1 means "differences" here: every failure is 2.
    return EXIT_DIFF_ERROR;
  }
}
