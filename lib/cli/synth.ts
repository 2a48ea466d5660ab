/** `twinops synth`: render every environment into `dist/`. */
import { resolve } from 'node:path';
import type { AppCatalogEntry } from '../config/catalog';
import { discoverEnvironments } from '../config/discover';
import type { DrState } from '../config/schema';
import { parseDrState } from '../config/state';
import { UserError } from '../errors';
import { checkOutputFolder } from '../render/output-folder';
import { realOutputPath } from '../render/output-paths';
import { loadRenderCache, renderCacheFile, saveRenderCache } from '../render/unit-cache-file';
import { tidyRenderCaches } from '../render/cache-prune';
import { synthesize, type Compose, type SynthSummary } from '../synth';
import { parseCommandLine, usageOf, type CommandSpec } from './args';
import { CDK8S_OUTDIR_VARIABLE, cdk8sOutdir, leaveCdk8sNote } from './cdk8s-app';
import { reportError, shownPath } from './errors';
import { HeldLines, seconds, type Io } from './io';
import { LiveProgress } from './live-progress';
import { DEFAULT_OUT, type ReadAhead } from '../build/read-ahead.mjs';
import type { PendingTypeCheck } from './typecheck';

export interface RenderDeps {
  readonly compose: Compose;
  readonly catalog: ReadonlyMap<string, AppCatalogEntry>;
  /**
   * Starts the type check of a command that renders (`command`: `synth`, `dr activate`, …); the
   * command settles it before it writes anything, which throws when the program must not render
   * (its TypeScript does not type-check). bin/program.ts passes `typeCheckProgram`. Default: no
   * check (the tests run the commands in-process, and the suite type-checks on its own).
   */
  readonly typecheck?: (io: Io, command: string) => PendingTypeCheck;
  /**
   * Where `synth` keeps its render cache between runs (lib/render/unit-cache-file.ts), and the
   * program it belongs to (`code`: the sources' hash). Default: no cache, every render fresh.
   */
  readonly renderCache?: {
    readonly folder: string;
    readonly code: string;
    /** The cache file the launcher started reading (../build/read-ahead.mjs): used when it is this render's. */
    readonly readAhead?: ReadAhead;
  };
}

/** The variable that previews a DR state for one run: every app of every environment in it. */
export const STATE_OVERRIDE_VARIABLE = 'TWINOPS_DR_STATE';

/** The folder options synth and dr share. */
export const FOLDER_OPTIONS = {
  environments: { type: 'string', placeholder: 'DIR', default: 'environments', description: 'folder of the environment files' },
  // Never CDK8S_OUTDIR: that is cdk8s-cli's own scratch folder, which it empties before each run.
  out: { type: 'string', placeholder: 'DIR', default: DEFAULT_OUT, description: 'the rendered tree, a previous render or an empty folder' },
} as const;

type Flag = { readonly type: 'boolean'; readonly description: string };

const SYNTH: CommandSpec<typeof FOLDER_OPTIONS & { readonly cdk8s: Flag; readonly 'no-cache': Flag }> = {
  name: 'synth',
  synopsis: '[options]',
  description: `Renders every environment of the environments folder (each <name>.yaml) into the output folder.
${STATE_OVERRIDE_VARIABLE}=standby|syncing|active previews a DR state for one run, without changing the files.`,
  options: {
    ...FOLDER_OPTIONS,
    cdk8s: { type: 'boolean', description: `run as cdk8s.yaml's app: also leave cdk8s-cli a note in ${CDK8S_OUTDIR_VARIABLE}` },
    // The cache never changes the output; this is for measuring, and for doubting it.
    'no-cache': { type: 'boolean', description: 'render every unit, neither reading nor saving the render cache' },
  },
};

/** The override in `env`, if set (an empty value counts as unset); throws on an unknown state. */
export function stateOverride(env: Io['env']): DrState | undefined {
  const value = env[STATE_OVERRIDE_VARIABLE];
  if (value === undefined || value === '') return undefined;
  try {
    return parseDrState(value, STATE_OVERRIDE_VARIABLE);
  } catch (cause) {
    throw new UserError(`${cause instanceof Error ? cause.message : String(cause)}; nothing was written`, { cause });
  }
}

/** `synth: 1 environment(s), …; 0 file(s) written, 0 removed in 0.51s`: every render ends with it. */
export function synthSummaryLine(summary: SynthSummary, start: number): string {
  return (
    `synth: ${summary.environments} environment(s), ${summary.clusters} cluster(s), ${summary.units} unit(s), ` +
    `${summary.objects} object(s); ${summary.written} file(s) written, ${summary.removed} removed in ${seconds(start)}s`
  );
}

/** The output folder, refused before anything else if twinops must not replace it (the repository, environments/, …). */
export function checkedOutputFolder(io: Io, out: string, environmentsDir: string): string {
  const folder = resolve(io.cwd, out);
  checkOutputFolder({ out: folder, cwd: io.cwd, environmentsDir });
  return folder;
}

/** One note per file of the environments folder that is skipped but might have been meant as an environment. */
export function noteIgnoredFiles(io: Io, command: string, environmentsDir: string): void {
  for (const file of discoverEnvironments(environmentsDir).ignored) {
    io.stderr.write(`twinops ${command}: note: ${shownPath(io.cwd, file)} ignored: environment files are named <name>.yaml\n`);
  }
}

/** The render cache of `distDir`, and how to save it once the render is written. */
async function openRenderCache(where: NonNullable<RenderDeps['renderCache']>, distDir: string) {
  const real = realOutputPath(distDir);
  const file = renderCacheFile(where.folder, real);
  const read = where.readAhead?.file === file ? await where.readAhead.bytes : undefined;
  const cache = loadRenderCache(file, where.code, real, read);
  return {
    cache,
    save: () => {
      if (cache.changedSinceSave(real)) saveRenderCache(file, cache, real);
      // A save prunes too; without one, the files of output folders that are gone still go.
      else tidyRenderCaches(file);
    },
  };
}

export async function runSynth(argv: readonly string[], io: Io, deps: RenderDeps): Promise<number> {
  let verbose = argv.includes('--verbose');
  try {
    const { values, help, ...line } = parseCommandLine(SYNTH, argv);
    verbose = line.verbose;
    if (help) {
      io.stdout.write(usageOf(SYNTH));
      return 0;
    }
    const start = performance.now();
    const environmentsDir = resolve(io.cwd, values.environments);
    const distDir = checkedOutputFolder(io, values.out, environmentsDir);
    const override = stateOverride(io.env);
    const cdk8sFolder = values.cdk8s ? cdk8sOutdir(io) : undefined;
    noteIgnoredFiles(io, 'synth', environmentsDir);
    const live = new LiveProgress(io);
    // The render runs while tsc checks (on the other core); nothing is written before its verdict.
    const typeCheck = deps.typecheck?.(io, 'synth');
    const progress = new HeldLines(io, typeCheck?.settled === false);
    const settle = () => {
      live.clear();
      typeCheck?.settle();
      progress.release();
    };
    const cached = deps.renderCache === undefined || values['no-cache'] ? undefined : await openRenderCache(deps.renderCache, distDir);
    let summary: SynthSummary;
    try {
      summary = synthesize({
        environmentsDir,
        distDir,
        compose: deps.compose,
        catalog: deps.catalog,
        onProgress: (line) => {
          live.clear();
          progress.write(`  ${line}\n`);
        },
        onUnit: (environment, done, total) => live.units(environment, done, total),
        onNotice: (notice) => {
          live.clear();
          io.stderr.write(`twinops synth: ${notice}\n`);
        },
        projectDir: io.cwd,
        beforeWrite: () => {
          settle();
          live.step(`writing ${values.out}/…`);
        },
        ...(override === undefined ? {} : { stateOverride: override }),
        ...(cached === undefined ? {} : { cache: cached.cache }),
      });
    } catch (error) {
      // Code that does not type-check may fail to render too: tsc's diagnostics say why.
      settle();
      throw error;
    } finally {
      live.clear();
    }
    cached?.save();
    if (override !== undefined) {
      io.stderr.write(
        `twinops synth: warning: ${STATE_OVERRIDE_VARIABLE}=${override} is in effect: every app rendered as ${override}; ` +
          `${values.out}/ now differs from the environment files (unset it and run synth again)\n`,
      );
    }
    const summaryLine = synthSummaryLine(summary, start);
    io.stdout.write(`${summaryLine}\n`);
    if (cdk8sFolder !== undefined) leaveCdk8sNote(io, cdk8sFolder, values.out, summaryLine);
    return 0;
  } catch (error) {
    return reportError(io, 'synth', error, verbose);
  }
}
