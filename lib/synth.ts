/**
 * The render pipeline (DESIGN.md "Flow"): load and validate every environment, compose its
 * units, check every object against its schema and the estate policies, lay the files out and
 * write them into `dist/` (only what changed, crash-safe, under its lock: `render/write.ts`).
 * Any problem stops the run before a single file is written.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { timePhase } from './bench/phases';
import type { AppCatalogEntry } from './config/catalog';
import { ConfigError, type ConfigProblem } from './config/errors';
import type { Environment } from './config/environment';
import { discoverEnvironments } from './config/discover';
import { loadEnvironment } from './config/load';
import { checkEstate } from './config/semantic-estate';
import type { DrState } from './config/schema';
import { withStateEverywhere } from './config/state';
import type { RenderedEnvironment } from './model';
import { entryPath } from './plan';
import { layoutEnvironment, unitFileName } from './render/layout';
import { checkPolicies, type PolicyProblem } from './render/policies';
import { validateObjects, type ValidationProblem } from './render/validate';
import { faultsFromEnvironment, type Faults } from './render/faults';
import { withOutputLock } from './render/lock';
import { checkOutputFolder } from './render/output-folder';
import { findOrphanedBootstraps, orphanedBootstrapWarning } from './render/orphans';
import { refuseProtectedRemovals } from './render/protected-removal';
import { writeTree } from './render/write';
import { renderRunbook, runbookPath } from './runbook';

/** How an Environment becomes units; the entry point passes the charts' composition root. */
export type Compose = (env: Environment) => RenderedEnvironment;

export interface SynthOptions {
  /** Folder of the environment files. */
  readonly environmentsDir: string;
  /**
   * The rendered tree: absent, empty, or a previous render (see `checkOutputFolder`); may be a
   * symbolic link, which stays one (the folder it points to is written).
   */
  readonly distDir: string;
  readonly compose: Compose;
  /** What the loader must know of each chart. */
  readonly catalog: ReadonlyMap<string, AppCatalogEntry>;
  /** Progress lines for long work (one per environment). Default: silent. */
  readonly onProgress?: (line: string) => void;
  /**
   * Render every app of every environment in this DR state, whatever the files say: the one-run
   * preview of `TWINOPS_DR_STATE`. Default: the states the environment files set.
   */
  readonly stateOverride?: DrState;
  /**
   * The project folder: `distDir` may not be it or hold it (nor `environmentsDir`). Default:
   * the working directory.
   */
  readonly projectDir?: string;
  /**
   * One line per event the user should know of: waiting for another render's lock, a stale
   * lock taken over, an interrupted render finished or cleaned up, a `flux-system/` folder kept
   * in a cluster entry no environment renders any more (`render/orphans.ts`). Default: silent.
   */
  readonly onNotice?: (line: string) => void;
  /** How long to wait for another render of the same `distDir`, in milliseconds. Default: 60 000. */
  readonly lockTimeoutMs?: number;
  /**
   * Crash points of the writer, for tests. Default: none, unless the test hook
   * `TWINOPS_FAULT_KILL_AT=N` is set in the process environment (SIGKILL before step N).
   */
  readonly faults?: Faults;
}

export interface SynthSummary {
  readonly environments: number;
  readonly clusters: number;
  readonly units: number;
  readonly objects: number;
  readonly written: number;
  readonly removed: number;
}

/** Objects that fail their schema or an estate policy; the synth writes nothing. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
  public constructor(public readonly problems: readonly (ValidationProblem | PolicyProblem)[]) {
    super(`${problems.length} rendered object problem(s)`);
  }
}

/**
 * The environment files of a folder, in name order; throws a ConfigError for a folder that is
 * missing, holds none, or holds near misses (`home.yml`) or entries that are not regular files.
 */
export function environmentFiles(dir: string): string[] {
  return [...discoverEnvironments(dir).files];
}

/** Loads every environment; all problems of all files are reported together. */
export function loadEnvironments(files: readonly string[], catalog: ReadonlyMap<string, AppCatalogEntry>): Environment[] {
  return timePhase('load', () => loadEnvironmentsUntimed(files, catalog));
}

function loadEnvironmentsUntimed(files: readonly string[], catalog: ReadonlyMap<string, AppCatalogEntry>): Environment[] {
  const problems: ConfigProblem[] = [];
  const environments: Environment[] = [];
  for (const file of files) {
    try {
      environments.push(loadEnvironment(file, { knownApps: catalog }));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  problems.push(...checkEstate(environments));
  if (problems.length > 0) throw new ConfigError(problems);
  return environments;
}

/** Folders owned by `flux bootstrap` inside a cluster entry folder: kept and listed, never written. */
export const BOOTSTRAP_FOLDER = 'flux-system';
/** Files below a cluster entry's flux-system/: preserved by the writer, so neither written nor compared (`check`). */
export const isBootstrapFile = (path: string) => /^[^/]+\/clusters\/[^/]+\/flux-system\//.test(path);

/**
 * Renders environments into files without writing them: the pure half of `synth`, shared by
 * `dr plan` and `bench`. Its phases are timed when `bench` installs a clock (`bench/phases.ts`).
 */
export function renderFiles(environments: readonly Environment[], compose: Compose, distDir: string, onProgress?: (line: string) => void) {
  const files = new Map<string, string>();
  const items: { file: string; object: RenderedEnvironment['units'][number]['objects'][number] }[] = [];
  const policyProblems: PolicyProblem[] = [];
  let units = 0;
  for (const env of environments) {
    const composed = timePhase('compose', () => compose(env));
    // The runbook is written for the objects just rendered, beside them in dist/<env>/.
    const runbook = { path: runbookPath(env), content: timePhase('runbook', () => renderRunbook(env, composed)) };
    const rendered: RenderedEnvironment = { ...composed, documents: [...composed.documents, runbook] };
    // A cluster bootstrapped by Flux keeps its flux-system folder; the entry must keep listing it.
    timePhase('layout', () => {
      const withBootstrap: RenderedEnvironment = {
        ...rendered,
        units: rendered.units.map((unit) =>
          existsSync(join(distDir, unit.path, BOOTSTRAP_FOLDER)) && /\/clusters\/[^/]+$/.test(unit.path)
            ? { ...unit, include: [BOOTSTRAP_FOLDER] }
            : unit,
        ),
      };
      for (const [path, content] of layoutEnvironment(withBootstrap)) files.set(path, content);
      for (const unit of rendered.units) {
        for (const object of unit.objects) items.push({ file: `${unit.path}/${unitFileName(object)}`, object });
      }
    });
    policyProblems.push(...timePhase('policies', () => checkPolicies(rendered.units, env)));
    units += rendered.units.length;
    onProgress?.(`${env.name}: ${rendered.units.length} units, ${rendered.units.reduce((n, u) => n + u.objects.length, 0)} objects`);
  }
  const problems = [...timePhase('validate', () => validateObjects(items)), ...policyProblems];
  if (problems.length > 0) throw new RenderError(problems);
  return { files, units, objects: items.length };
}

/**
 * Runs `work` with the output folder checked (`checkOutputFolder`: never the project, the
 * environment files or a folder that is not a render) and locked, so that everything `work`
 * reads (environment files, dist/) and writes is one critical section. `dr activate` runs its
 * edit of the environment file and its render under it; the render inside re-enters the lock.
 */
export function withRenderLock<T>(options: Omit<SynthOptions, 'compose' | 'catalog'>, work: () => T): T {
  const out = checkOutputFolder({ out: options.distDir, cwd: options.projectDir ?? process.cwd(), environmentsDir: options.environmentsDir });
  return withOutputLock(out, work, {
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
  });
}

/** Renders every environment into `dist/`, or throws and leaves `dist/` untouched. */
export function synthesize(options: SynthOptions): SynthSummary {
  return withRenderLock(options, () => {
    const loaded = loadEnvironments(environmentFiles(options.environmentsDir), options.catalog);
    const { stateOverride } = options;
    const environments = stateOverride === undefined ? loaded : loaded.map((env) => withStateEverywhere(env, stateOverride));
    const { files, units, objects } = renderFiles(environments, options.compose, options.distDir, options.onProgress);
    refuseProtectedRemovals(options.distDir, files);
    const faults = options.faults ?? faultsFromEnvironment(process.env);
    const result = timePhase('write', () =>
      writeTree(options.distDir, files, {
        preserve: isBootstrapFile,
        ...(options.onNotice ? { onNotice: options.onNotice } : {}),
        ...(faults ? { faults } : {}),
      }),
    );
    const rendered = new Set(environments.flatMap((env) => env.clusters.map((cluster) => entryPath(env, cluster))));
    for (const orphan of findOrphanedBootstraps(options.distDir, rendered)) {
      options.onNotice?.(orphanedBootstrapWarning(relative(options.projectDir ?? process.cwd(), join(options.distDir, orphan))));
    }
    return {
      environments: environments.length,
      clusters: environments.reduce((n, env) => n + env.clusters.length, 0),
      units,
      objects,
      written: result.written,
      removed: result.removed.length,
    };
  });
}
