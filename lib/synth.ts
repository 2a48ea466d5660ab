/**
 * The render pipeline (DESIGN.md "Flow"): load and validate every environment, compose its
 * units, check every object against its schema and the estate policies, lay the files out and
 * write them into `dist/` (only what changed, crash-safe, under its lock: `render/write.ts`).
 * Any problem stops the run before a single file is written.
 */
import { join, relative } from 'node:path';
import { timePhase } from './bench/phases';
import type { AppCatalogEntry } from './config/catalog';
import { ConfigError, type ConfigProblem } from './config/errors';
import type { Environment } from './config/environment';
import { discoverEnvironments } from './config/discover';
import { loadEnvironment, type ParsedEnvironments } from './config/load';
import { checkEstate } from './config/semantic-estate';
import type { DrState } from './config/schema';
import { withStateEverywhere } from './config/state';
import type { ComposedEnvironment, RenderedEnvironment } from './model';
import { entryPath } from './plan';
import type { PolicyProblem } from './render/policies';
import type { Content } from './render/content';
import { heapGrowthFor } from './render/heap-growth';
import { renderEnvironment } from './render/render-environment';
import type { UnitCache } from './render/unit-cache';
import type { ValidationProblem } from './render/validate';
import { faultsFromEnvironment, type Faults } from './render/faults';
import { withOutputLock } from './render/lock';
import { checkOutputFolder } from './render/output-folder';
import { findOrphanedBootstraps, orphanedBootstrapWarning } from './render/orphans';
import { refuseProtectedRemovals } from './render/protected-removal';
import { realOutputPath } from './render/output-paths';
import { writeTree } from './render/write';

/** How an Environment becomes units; the entry point passes the charts' composition root. */
export type Compose = (env: Environment) => ComposedEnvironment;

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
  /** Called before each unit of an environment is rendered or taken from the cache, and once after the last. Default: silent. */
  readonly onUnit?: UnitProgress;
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
   * Runs after the render, before anything is written; throws to stop the write (synth settles
   * the type check that ran beside the render here). Default: nothing.
   */
  readonly beforeWrite?: () => void;
  /**
   * Crash points of the writer, for tests. Default: none, unless the test hook
   * `TWINOPS_FAULT_KILL_AT=N` is set in the process environment (SIGKILL before step N).
   */
  readonly faults?: Faults;
  /**
   * The render cache (./render/unit-cache.ts): units whose reads of their environment still hold
   * are taken from it, and the writer trusts its stamps of unchanged files. It is updated by the
   * render. Default: none, every unit rendered and every existing file read back.
   */
  readonly cache?: UnitCache;
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
export function loadEnvironments(files: readonly string[], catalog: ReadonlyMap<string, AppCatalogEntry>, parsed?: ParsedEnvironments): Environment[] {
  return timePhase('load', () => loadEnvironmentsUntimed(files, catalog, parsed));
}

function loadEnvironmentsUntimed(files: readonly string[], catalog: ReadonlyMap<string, AppCatalogEntry>, parsed: ParsedEnvironments | undefined): Environment[] {
  const problems: ConfigProblem[] = [];
  const environments: Environment[] = [];
  for (const file of files) {
    try {
      environments.push(loadEnvironment(file, { knownApps: catalog, ...(parsed === undefined ? {} : { parsed }) }));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  const estate = checkEstate(environments);
  // An estate problem points into every file it involves, and positions come from parsing: an
  // environment taken from the render cache has none. So such a load is done again, parsing all.
  if (estate.length > 0 && parsed !== undefined) return loadEnvironmentsUntimed(files, catalog, undefined);
  problems.push(...estate);
  if (problems.length > 0) throw new ConfigError(problems);
  return environments;
}

export { BOOTSTRAP_FOLDER } from './render/render-environment';
/** Files below a cluster entry's flux-system/: preserved by the writer, so neither written nor compared (`check`). */
export const isBootstrapFile = (path: string) => /^[^/]+\/clusters\/[^/]+\/flux-system\//.test(path);

/**
 * Renders environments into files without writing them: the pure half of `synth`, shared by
 * `dr plan`, `check`, `diff` and `bench`. With `cache`, units whose reads of their environment
 * still hold are taken from it (./render/unit-cache.ts); the files are the same either way.
 * Its phases are timed when `bench` installs a clock (`bench/phases.ts`).
 */
/** How far the render of `environment` is: `done` of its `total` units. */
export type UnitProgress = (environment: string, done: number, total: number) => void;

export function renderFiles(
  environments: readonly Environment[],
  compose: Compose,
  distDir: string,
  onProgress?: (line: string) => void,
  cache?: UnitCache,
  onUnit?: UnitProgress,
) {
  const byEnvironment: ReadonlyMap<string, Content>[] = [];
  const rendered: RenderedEnvironment[] = [];
  const validation: ValidationProblem[] = [];
  const policyProblems: PolicyProblem[] = [];
  let units = 0;
  let objects = 0;
  // Nothing cached: every unit renders, and the heap is kept closer to what the render keeps.
  heapGrowthFor(cache === undefined || cache.environments.size === 0);
  if (cache !== undefined) {
    cache.lastRendered = [];
    cache.lastReused = 0;
    cache.lastBlocksWritten = [];
    cache.lastBlocksReused = 0;
  }
  for (const env of environments) {
    // The render's own bookkeeping between its phases counts as composing (nested phases are
    // taken out of it): the bench's phases then add up to the whole render.
    const result = timePhase('compose', () => renderEnvironment(env, compose, distDir, cache, onUnit === undefined ? undefined : (done, total) => onUnit(env.name, done, total)));
    byEnvironment.push(result.files);
    rendered.push({ environment: env.name, units: result.units, documents: [] });
    validation.push(...result.validation);
    policyProblems.push(...result.policies);
    units += result.units.length;
    objects += result.objects;
    const reused = result.units.length - result.rendered;
    onProgress?.(`${env.name}: ${result.units.length} units, ${result.objects} objects${reused > 0 ? ` (${reused} unchanged, from the render cache)` : ''}`);
  }
  const problems = [...validation, ...policyProblems];
  if (problems.length > 0) throw new RenderError(problems);
  // One environment (a fleet in one file) keeps its map: copying 22,756 entries cost 10-20 ms of a one-app change.
  const files = byEnvironment.length === 1 ? (byEnvironment[0] as ReadonlyMap<string, Content>) : new Map(byEnvironment.flatMap((map) => [...map]));
  return { files, units, objects, rendered };
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
    const stamps = options.cache?.stamps(realOutputPath(options.distDir));
    // The stats of dist/'s files are taken on another core while the render runs (render/stat-prefetch.ts).
    stamps?.prefetch();
    const loaded = loadEnvironments(environmentFiles(options.environmentsDir), options.catalog, options.cache);
    const { stateOverride } = options;
    const environments = stateOverride === undefined ? loaded : loaded.map((env) => withStateEverywhere(env, stateOverride));
    const { files, units, objects } = renderFiles(environments, options.compose, options.distDir, options.onProgress, options.cache, options.onUnit);
    options.beforeWrite?.();
    refuseProtectedRemovals(options.distDir, files);
    const faults = options.faults ?? faultsFromEnvironment(process.env);
    const result = timePhase('write', () =>
      writeTree(options.distDir, files, {
        preserve: isBootstrapFile,
        ...(options.onNotice ? { onNotice: options.onNotice } : {}),
        ...(faults ? { faults } : {}),
        ...(stamps ? { stamps } : {}),
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
