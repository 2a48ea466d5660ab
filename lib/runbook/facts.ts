/**
 * What the runbook knows of one cluster, gathered once: the plan's units (paths, Flux names),
 * each app's variants and the objects rendered for them, the storage classes with their twins.
 * Every section reads these facts; none of them recomputes a rule of the variant engine.
 */
import { noteUnitRead, ReadSet, recordedMemo, type MemoStore } from '../cache/reads';
import type { AppPlacement, Cluster, Environment, Node } from '../config/environment';
import type { DrState } from '../config/schema';
import { appState } from '../config/environment';
import type { ApiObjectJson, RenderedEnvironment, RenderedUnit } from '../model';
import { planEnvironment, type AppUnit, type EnvironmentPlan } from '../plan';
import { drReplicas, type Variant } from '../variant/rules';
import { storageClassesOf, type StorageClassPlan } from '../variant/storage';

/** One variant of an app as rendered: its unit and its objects. */
export interface VariantFacts {
  readonly variant: Variant;
  /** Name of the unit's Flux Kustomization. */
  readonly fluxName: string;
  /** Unit folder relative to `dist/`. */
  readonly path: string;
  readonly objects: readonly ApiObjectJson[];
}

export interface AppFacts {
  readonly placement: AppPlacement;
  /** The cluster that places the app: prod runs here. */
  readonly cluster: Cluster;
  /** The DR state in force for the app. */
  readonly state: DrState;
  readonly prod: VariantFacts;
  /** Absent when the app has no twin. */
  readonly twin?: VariantFacts;
  /** Where the twin runs: the prod cluster itself (a DR node), or another cluster. Absent without a twin. */
  readonly twinSite?: SiteFacts;
}

/** A cluster as a place variants run on: its nodes and storage classes. */
export interface SiteFacts {
  readonly cluster: Cluster;
  /** The node the twins run on; absent when the cluster has no DR node. */
  readonly drNode?: Node;
  /** Declared storage classes and their derived twins. */
  readonly storageClasses: readonly StorageClassPlan[];
}

export interface ClusterFacts extends SiteFacts {
  readonly env: Environment;
  /** The apps this cluster places (its prod), in environment order, each with its twin wherever it runs. */
  readonly apps: readonly AppFacts[];
}

/** An app that has a twin, with the twin's facts required. */
export type TwinnedApp = AppFacts & { readonly twin: VariantFacts; readonly twinSite: SiteFacts };

export function hasTwin(app: AppFacts): app is TwinnedApp {
  return app.twin !== undefined && app.twinSite !== undefined;
}

/** Whether the app's twin runs on another cluster than its prod (`dr: { cluster: … }`). */
export function twinElsewhere(app: AppFacts): app is TwinnedApp {
  return hasTwin(app) && app.twinSite.cluster !== app.cluster;
}

/** Plans per environment, shared by every section: paths and Flux names do not depend on the charts' dependencies. */
const plans: MemoStore<Environment, EnvironmentPlan> = new WeakMap();

/** The environment's plan as the runbook reads it (no chart dependencies), made once per environment. */
export function runbookPlan(env: Environment): EnvironmentPlan {
  return recordedMemo(plans, env, () => planEnvironment(env, () => []));
}

/**
 * The plan the units were composed from, as the runbook's: it differs from `runbookPlan`'s only
 * in the units' dependencies, which no section reads. Its reads are not the runbook's: the
 * render cache keeps runbook blocks in the environment's entry, which stands only while what
 * planning read holds.
 */
export function useComposedPlan(env: Environment, plan: EnvironmentPlan): void {
  plans.set(env, { value: plan, reads: new ReadSet() });
}

/*
 * Facts are classes, rebuilt on every render for every cluster: as object literals with getters
 * and spreads, the facts of the bench fleet's 185 clusters cost ~35 ms of every one-app change.
 */

/**
 * The objects come through a getter that notes which unit's were read: a kept runbook block
 * (`../cache/blocks.ts`) is reused only while those units' renders stand. Sections reach
 * rendered objects through these facts only.
 */
class RenderedVariant implements VariantFacts {
  readonly #rendered: RenderedUnit | undefined;

  public constructor(
    public readonly variant: Variant,
    public readonly fluxName: string,
    public readonly path: string,
    rendered: RenderedUnit | undefined,
  ) {
    this.#rendered = rendered;
  }

  /** Read from the unit when asked: a unit restored from the render cache file parses its objects then (../render/restored-unit.ts). */
  public get objects(): readonly ApiObjectJson[] {
    noteUnitRead(this.path);
    return this.#rendered?.objects ?? [];
  }
}

function variantFacts(unit: AppUnit, renderedByPath: ReadonlyMap<string, RenderedUnit>): VariantFacts {
  return new RenderedVariant(unit.variant, unit.fluxName, unit.path, renderedByPath.get(unit.path));
}

/**
 * A cluster as a place variants run on. Its storage classes are planned when a section first
 * asks, inside the block that asks: a one-app change recomputes the blocks of one cluster, and
 * the reads are that block's.
 */
class Site implements SiteFacts {
  declare public readonly drNode?: Node;
  readonly #env: Environment;
  #storageClasses: readonly StorageClassPlan[] | undefined;

  public constructor(
    env: Environment,
    public readonly cluster: Cluster,
  ) {
    const drNode = cluster.nodes.find((node) => node.name === cluster.dr?.node);
    if (drNode) this.drNode = drNode;
    this.#env = env;
  }

  public get storageClasses(): readonly StorageClassPlan[] {
    this.#storageClasses ??= storageClassesOf(this.#env, this.cluster);
    return this.#storageClasses;
  }
}

class ClusterSite extends Site implements ClusterFacts {
  public constructor(
    public readonly env: Environment,
    cluster: Cluster,
    public readonly apps: readonly AppFacts[],
  ) {
    super(env, cluster);
  }
}

function appFacts(placement: AppPlacement, cluster: Cluster, state: DrState, prod: VariantFacts, twin: { readonly twin: VariantFacts; readonly twinSite: SiteFacts } | undefined): AppFacts {
  return twin === undefined ? { placement, cluster, state, prod } : { placement, cluster, state, prod, twin: twin.twin, twinSite: twin.twinSite };
}

/**
 * The facts of every cluster of the environment, in environment order. An app's twin is looked
 * up in every cluster's plan: it is the unit of the cluster it runs on, which may be another one.
 */
export function clusterFacts(env: Environment, rendered: RenderedEnvironment): ClusterFacts[] {
  const plan = runbookPlan(env);
  const renderedByPath = new Map(rendered.units.map((unit) => [unit.path, unit]));
  const sites = new Map(env.clusters.map((cluster) => [cluster, new Site(env, cluster)]));
  // The first cluster of each name, as `find` gave it: one lookup per twin, not a scan of the estate.
  const clustersByName = new Map<string, Cluster>();
  for (const cluster of env.clusters) if (!clustersByName.has(cluster.name)) clustersByName.set(cluster.name, cluster);
  // Each app's units (prod, twin) wherever they run, found by the cluster and app that place them.
  const unitsByPlacement = new Map<Cluster, Map<string, AppUnit[]>>();
  for (const unit of plan.clusters.flatMap(({ units }) => units)) {
    if (unit.kind !== 'app') continue;
    const byApp = unitsByPlacement.get(unit.origin) ?? new Map<string, AppUnit[]>();
    byApp.set(unit.placement.app, [...(byApp.get(unit.placement.app) ?? []), unit]);
    unitsByPlacement.set(unit.origin, byApp);
  }
  return plan.clusters.map(({ cluster }) => {
    const apps = cluster.apps.flatMap((placement): AppFacts[] => {
      const mine = unitsByPlacement.get(cluster)?.get(placement.app) ?? [];
      const prod = mine.find((unit) => unit.variant.kind === 'prod');
      const twin = mine.find((unit) => unit.variant.kind === 'dr');
      if (prod === undefined) return [];
      const twinSite = twin === undefined ? undefined : sites.get(clustersByName.get(twin.variant.cluster) ?? cluster);
      const twinFacts = twin && twinSite ? { twin: variantFacts(twin, renderedByPath), twinSite } : undefined;
      return [appFacts(placement, cluster, appState(env, placement), variantFacts(prod, renderedByPath), twinFacts)];
    });
    return new ClusterSite(env, cluster, apps);
  });
}

/**
 * The twins other clusters' apps run on each cluster, in cluster then app order: indexed once,
 * since every cluster of a section asks (a scan of the estate per cluster was quadratic).
 */
export function hostedTwinsByCluster(clusters: readonly ClusterFacts[]): ReadonlyMap<Cluster, readonly TwinnedApp[]> {
  const hosted = new Map<Cluster, TwinnedApp[]>();
  for (const other of clusters) {
    for (const app of other.apps) {
      if (!twinElsewhere(app)) continue;
      const here = hosted.get(app.twinSite.cluster);
      if (here === undefined) hosted.set(app.twinSite.cluster, [app]);
      else here.push(app);
    }
  }
  return hosted;
}

/** The objects of a kind in a variant's unit, in rendered order. */
export function objectsOfKind(variant: VariantFacts, kind: string): ApiObjectJson[] {
  return variant.objects.filter((object) => object.kind === kind);
}

/** The workloads (Deployments, StatefulSets) of a variant, by name. */
export function workloadsOf(variant: VariantFacts): { readonly kind: string; readonly name: string; readonly namespace: string }[] {
  return variant.objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet')
    .map((object) => ({ kind: object.kind.toLowerCase(), name: object.metadata.name, namespace: object.metadata.namespace ?? variant.variant.namespace }));
}

/** The storage class plan named `name`, if the cluster has it. */
export function storageClassNamed(facts: SiteFacts, name: string): StorageClassPlan | undefined {
  return facts.storageClasses.find((plan) => plan.name === name);
}

/** A twin workload and its replica counts, read from the rendered objects. */
export interface TwinWorkload {
  /** `deployment` or `statefulset`, as kubectl names the kind. */
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Replicas of its prod original, as rendered. */
  readonly prodReplicas: number;
  /** Replicas of the twin in the render at hand (the state in force). */
  readonly replicas: number;
  /** Replicas the twin has in `state`: the variant engine's rule applied to the rendered prod count. */
  readonly inState: (state: DrState) => number;
}

const SCALABLE = new Set(['Deployment', 'StatefulSet']);

/** An object's `spec.replicas` as rendered; Kubernetes defaults an absent count to 1. */
function replicasOf(object: ApiObjectJson): number {
  const count = (object['spec'] as { replicas?: unknown } | undefined)?.replicas;
  return typeof count === 'number' ? count : 1;
}

/**
 * The twin's Deployments and StatefulSets with their counts: the current one read from the twin
 * as rendered, the one of any other state from `drReplicas` (the rule the twin transform applies)
 * on the prod original as rendered. Never a copy of the rule.
 */
export function twinWorkloads(app: TwinnedApp, suffix: string): TwinWorkload[] {
  const prodByName = new Map(app.prod.objects.filter((object) => SCALABLE.has(object.kind)).map((object) => [`${object.kind}/${object.metadata.name}${suffix}`, object]));
  return app.twin.objects
    .filter((object) => SCALABLE.has(object.kind))
    .flatMap((object) => {
      const prod = prodByName.get(`${object.kind}/${object.metadata.name}`);
      if (prod === undefined) return [];
      const prodReplicas = replicasOf(prod);
      return [
        {
          kind: object.kind.toLowerCase(),
          name: object.metadata.name,
          namespace: object.metadata.namespace ?? app.twin.variant.namespace,
          prodReplicas,
          replicas: replicasOf(object),
          inState: (state: DrState) => drReplicas(state, prodReplicas),
        },
      ];
    });
}
