/**
 * One environment, from its composed units to its files and problems (DESIGN.md "Flow"): each
 * unit is rendered, validated, checked by the unit policies and laid out, or, when a render
 * cache is given and what the unit read of the environment still holds, taken from the cache;
 * then the cluster and pair policies, the runbook and the environment's layout. With or without
 * a cache the files and problems are the same, in the same order (test/render/unit-cache.test.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { timePhase } from '../bench/phases';
import { BlockCache } from '../cache/blocks';
import { ReadSet, trackReads, Verifier, withReads } from '../cache/reads';
import type { Environment } from '../config/environment';
import { sourceOf } from '../config/load';
import type { ComposedEnvironment, ComposedUnit, RenderedUnit } from '../model';
import { runbookParts, runbookPath } from '../runbook';
import { assembleLayout, layoutOfUnit, unitFileName } from './layout';
import { byCluster, type PolicyProblem } from './policies/problem';
import { parityPairs } from './policies/parity';
import { assemblePolicyProblems, clusterPolicyProblems, estateRenames, pairPolicyProblems, parityProblems, unitPolicyProblems, type CleanObjects } from './policies/scoped';
import { otherVariantPath } from './policies/variant-selectors';
import type { Content } from './content';
import { objectCount } from './restored-unit';
import { SubtreeTable } from './shared-subtrees';
import { EnvironmentEntry, type UnitCache, type UnitEntry } from './unit-cache';
import { validateObjects, type CheckedObjects, type ValidationProblem } from './validate';

/** Folders owned by `flux bootstrap` inside a cluster entry folder: kept and listed, never written. */
export const BOOTSTRAP_FOLDER = 'flux-system';

export interface EnvironmentRender {
  /** The environment's files, its runbook included, sorted by path. */
  readonly files: ReadonlyMap<string, Content>;
  readonly units: readonly RenderedUnit[];
  readonly objects: number;
  readonly validation: readonly ValidationProblem[];
  readonly policies: readonly PolicyProblem[];
  /** Units rendered this time; the others were taken from the cache. */
  readonly rendered: number;
}

/** A cluster bootstrapped by Flux keeps its flux-system folder; its entry must keep listing it. */
function includeOf(distDir: string, path: string): readonly string[] {
  return /\/clusters\/[^/]+$/.test(path) && existsSync(join(distDir, path, BOOTSTRAP_FOLDER)) ? [BOOTSTRAP_FOLDER] : [];
}

const NO_PROBLEMS: readonly ValidationProblem[] = Object.freeze([]);

/**
 * What the units of one environment's render share: each part of what they keep once
 * (./shared-subtrees.ts), and each of those objects checked against its schema and the object
 * policies once (an object the table gives is frozen to its leaves, so what checking it found
 * holds for good).
 */
interface SharedWork {
  readonly subtrees: SubtreeTable;
  readonly checked: CheckedObjects;
  readonly clean: CleanObjects;
}

/** Renders, validates, checks and lays out one unit. */
function renderUnit(env: Environment, composed: ComposedUnit, include: readonly string[], reads: ReadSet, { subtrees, checked, clean }: SharedWork): UnitEntry {
  const entry = withReads(reads, () => {
    const rendered = composed.render();
    // Kept by the render cache: each part once (the twin's changed paths repeat as its objects do).
    const shared: RenderedUnit = { ...rendered, objects: rendered.objects.map((object) => subtrees.share(object)), ...(rendered.twin ? { twin: subtrees.share(rendered.twin) } : {}) };
    const unit: RenderedUnit = include.length > 0 ? { ...shared, include } : shared;
    const validation = timePhase('validate', () => validateObjects(unit.objects.map((object) => ({ file: `${unit.path}/${unitFileName(object)}`, object })), checked));
    // Mostly a record of empty lists, the same for every unit: kept once.
    const policies = timePhase('policies', () => subtrees.share(unitPolicyProblems(unit, env, clean)));
    const layout = timePhase('layout', () => layoutOfUnit(env.name, unit, (names) => subtrees.share(names)));
    return { reads, include: JSON.stringify(include), unit, layout, validation: validation.length === 0 ? NO_PROBLEMS : validation, policies };
  });
  reads.shareLists((list) => subtrees.share(list));
  return entry;
}

/**
 * Each unit's entry: the one `cached` gives (still holding), or a new render, its parts shared
 * through `shared`.
 */
function renderUnits(
  units: readonly ComposedUnit[],
  shared: SharedWork,
  cached: (unit: ComposedUnit, include: readonly string[]) => UnitEntry | undefined,
  env: Environment,
  distDir: string,
  onUnit: ((done: number, total: number) => void) | undefined,
): UnitEntry[] {
  const entries: UnitEntry[] = [];
  // One phase around the loop: validate, policies and layout inside it are timed as themselves.
  timePhase('compose', () => {
    for (const unit of units) {
      onUnit?.(entries.length, units.length);
      const include = includeOf(distDir, unit.path);
      entries.push(cached(unit, include) ?? renderUnit(env, unit, include, new ReadSet(), shared));
    }
  });
  onUnit?.(entries.length, units.length);
  return entries;
}

/** The cache's entry of `env` when what planning read last time holds, else a new one holding `global`. */
function entryOf(cache: UnitCache, env: Environment, known: EnvironmentEntry | undefined, global: ReadSet): EnvironmentEntry {
  if (known !== undefined && known.global === global) return known;
  const fresh = new EnvironmentEntry(global);
  cache.environments.set(env.name, fresh);
  return fresh;
}

/**
 * Renders one environment with `compose`; with `cache`, reuses the units whose reads hold and
 * records the others. `distDir` is read for the flux-system folders of cluster entries only.
 */
export function renderEnvironment(
  given: Environment,
  compose: (env: Environment) => ComposedEnvironment,
  distDir: string,
  cache?: UnitCache,
  onUnit?: (done: number, total: number) => void,
): EnvironmentRender {
  // Sharing the unchanged parts with the last render's data is part of loading it.
  const env = cache === undefined ? given : timePhase('load', () => cache.share(given, sourceOf(given)));
  const verifier = new Verifier(env);
  // When what planning read last time holds, planning reads the same again: its reads are not
  // noted a second time (a quarter of the compose phase after a one-app change, and its garbage).
  const known = cache?.environments.get(env.name);
  const planned = known !== undefined && timePhase('compose', () => verifier.holds(known.global)) ? known.global : undefined;
  const global = planned ?? new ReadSet();
  // Without a cache nothing is tracked: the plain render, which the cache must reproduce.
  const seen = cache === undefined ? env : trackReads(env);
  let composed: ComposedEnvironment | undefined = timePhase('compose', () => withReads(cache === undefined || planned !== undefined ? undefined : global, () => compose(seen)));
  const entry = cache === undefined ? new EnvironmentEntry(global) : entryOf(cache, env, known, global);
  const previous = entry.units;
  const rendered: string[] = [];
  const { environment, plan } = composed;
  // Let go with the render.
  const shared: SharedWork = { subtrees: new SubtreeTable(), checked: new WeakMap(), clean: new WeakMap() };
  const { subtrees } = shared;
  const entries = renderUnits(
    composed.units,
    shared,
    (unit, include) => {
      const known = previous.get(unit.path);
      if (known !== undefined && known.include === JSON.stringify(include) && verifier.holds(known.reads)) return known;
      rendered.push(unit.path);
      return undefined;
    },
    seen,
    distDir,
    onUnit,
  );
  // Let go: the composed units close over what the charts kept while composing (the prod objects
  // each twin starts from, charts/estate.ts), some 18 MB at 40k objects, of no use from here on.
  composed = undefined;
  previous.clear();
  for (const unitEntry of entries) previous.set(unitEntry.unit.path, unitEntry);
  if (cache !== undefined) {
    cache.lastRendered.push(...rendered);
    cache.lastReused += entries.length - rendered.length;
  }

  const units = entries.map((unitEntry) => unitEntry.unit);
  const policies = timePhase('policies', () => estatePolicies(env, entry, entries));
  const byPath = new Map(entries.map((unitEntry) => [unitEntry.unit.path, unitEntry]));
  const blocks = cache === undefined ? undefined : new BlockCache(entry.runbook, verifier, (path) => byPath.get(path), (list) => subtrees.share(list));
  const runbook = { path: runbookPath(env), content: timePhase('runbook', () => runbookParts(seen, { environment, units, documents: [] }, { ...(blocks ? { blocks } : {}), ...(plan ? { plan } : {}) })) };
  if (cache !== undefined && blocks !== undefined) {
    cache.lastBlocksWritten.push(...blocks.computed.map((key) => key.replace('\u0000', '/')));
    cache.lastBlocksReused += blocks.reused;
  }
  const files = timePhase('layout', () =>
    assembleLayout(
      environment,
      entries.map((unitEntry) => unitEntry.layout),
      [runbook],
      cache === undefined ? undefined : entry.layout,
    ),
  );
  return {
    files,
    units,
    objects: units.reduce((n, unit) => n + objectCount(unit), 0),
    validation: entries.flatMap((unitEntry) => unitEntry.validation),
    policies,
    rendered: rendered.length,
  };
}

/** Every policy problem, the cluster and pair answers reused while their units' entries stand. */
function estatePolicies(env: Environment, entry: EnvironmentEntry, entries: readonly UnitEntry[]): PolicyProblem[] {
  const byPath = new Map(entries.map((unitEntry) => [unitEntry.unit.path, unitEntry]));
  const unitPaths = new Set(byPath.keys());
  const pathsKey = entry.sameKey('paths', [...unitPaths].join('\n'));
  const groups = byCluster(entries.map((unitEntry) => unitEntry.unit));
  const clusters = [...groups.entries()].map(([cluster, units]) => {
    const from = units.map((unit) => byPath.get(unit.path) as UnitEntry);
    return entry.derived(entry.clusters, cluster, from, pathsKey, () => clusterPolicyProblems(units, unitPaths));
  });
  const pairs = parityPairs(entries.map((unitEntry) => unitEntry.unit));
  const suffix = env.dr.suffix;
  const renames = estateRenames(
    pairs.map((pair) => pair.prod),
    suffix,
  );
  const renamesKey = entry.sameKey('renames', `${suffix}\n${[...renames.names].join('\n')}`);
  const parity = pairs.map(({ prod, dr }) =>
    entry.derived(entry.parity, dr.path, [byPath.get(prod.path) as UnitEntry, byPath.get(dr.path) as UnitEntry], renamesKey, () => parityProblems(prod, dr, suffix, renames)),
  );
  const selectors = entries.map((unitEntry) => {
    const other = byPath.get(otherVariantPath(unitEntry.unit) ?? '');
    if (other === undefined) return [];
    return entry.derived(entry.selectors, unitEntry.unit.path, [unitEntry, other], '', () => pairPolicyProblems(unitEntry.unit, other.unit));
  });
  // Answers for units and clusters that are gone would only hold memory.
  for (const name of entry.clusters.keys()) if (!groups.has(name)) entry.clusters.delete(name);
  for (const table of [entry.parity, entry.selectors]) for (const name of table.keys()) if (!unitPaths.has(name)) table.delete(name);
  return assemblePolicyProblems({ units: entries.map((unitEntry) => unitEntry.policies), clusters, parity, selectors });
}
