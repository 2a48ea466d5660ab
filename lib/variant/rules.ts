/**
 * The variant engine: the one module that knows what a `-dr` twin is (DESIGN.md, "Variant
 * rules"). Charts and constructs ask a `Variant` for names, storage classes, placement, labels,
 * hosts and replica counts; none of them branches on prod versus DR itself.
 */
import { recordedMemo, type ReadSet } from '../cache/reads';
import type { AppPlacement, Cluster, Environment } from '../config/environment';
import { appState, twinClusterOf } from '../config/environment';
import { defaultDrHost } from '../config/hosts';
import { prodStorageClass } from '../config/storage-roles';
import type { DrState } from '../config/schema';
import { drEdge, prodEdge, type EdgeView } from './edge';

export type VariantKind = 'prod' | 'dr';
export const VARIANT_KINDS: readonly VariantKind[] = ['prod', 'dr'];

/** A pod toleration, in the API's shape. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Where a variant's pods run. Empty for prod: the DR node's taint keeps prod pods off it. */
export interface Placement {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
}

/** Label keys twinops sets; the instance label is what keeps prod and DR selectors apart. */
export const LABEL = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  variant: 'twinops.dev/variant',
  /** The app (registry name) an object belongs to, stamped on every object and pod of its variants. */
  app: 'twinops.dev/app',
} as const;

/** Everything that differs between an app's prod object and its twin, answered for one variant. */
export interface Variant {
  /** Which variant this is: for layout, labels and reports, never for a chart to branch on. */
  readonly kind: VariantKind;
  /** The app this variant belongs to (its chart name). */
  readonly app: string;
  /** Namespace of the variant's objects. */
  readonly namespace: string;
  /** The cluster the variant runs on: prod's own, a twin's DR cluster (its own cluster when DR is a node). */
  readonly cluster: string;
  /** Name of the variant's copy of the prod object called `base`. */
  name(base: string): string;
  /**
   * Storage class of the variant's claims for the storage `role` a chart asks for: the class the
   * placement (else the cluster) maps the role to, or the cluster's only class; a twin gets that
   * class's DR class.
   */
  storageClass(role: string): string;
  /** Node placement of every pod of the variant. */
  readonly placement: Placement;
  /** Labels of the variant's copy of the prod object `base` (also its pods' labels). */
  labels(base: string): Record<string, string>;
  /** The subset of `labels(base)` that selects the variant's pods, and never the other variant's. */
  selector(base: string): Record<string, string>;
  /** The host name the app believes it has (its identity config), if it serves HTTP. */
  readonly identityHost: string | undefined;
  /** The host names the variant's route answers: prod its own; DR its own and prod's. */
  readonly routeHosts: readonly string[];
  /** The host the variant's own DNS records publish: prod's host, or the twin's DR host. */
  readonly ownHost: string | undefined;
  /** Replica count of each workload of the variant. */
  readonly replicas: number;
  /** The DR state the variant was derived for. */
  readonly state: DrState;
  /**
   * Whether objects shared by both variants (credentials) are rendered by this variant: prod
   * always, a twin only when it lives in a namespace of its own.
   */
  readonly ownsSharedObjects: boolean;
  /** How the variant meets the world; absent on a cluster without an edge. */
  readonly edge?: EdgeView;
}

/** The DR rules of an environment applied to names: `wordpress` → `wordpress-dr`. */
export function drName(env: Environment, base: string): string {
  return `${base}${env.dr.suffix}`;
}

/** The DR class of a prod storage class: the environment's map, else `<class><suffix>`. */
export function drStorageClass(env: Environment, prodClass: string): string {
  return env.dr.storageClasses[prodClass] ?? `${prodClass}${env.dr.suffix}`;
}

/** The DR namespace of a prod namespace. */
export function drNamespace(env: Environment, namespace: string): string {
  return env.dr.namespace === 'same' ? namespace : `${namespace}${env.dr.suffix}`;
}

/** The DR node of a cluster, or an error naming the cluster (the loader has checked it exists). */
export function drNode(cluster: Cluster) {
  const name = cluster.dr?.node;
  const node = cluster.nodes.find((candidate) => candidate.name === name);
  if (!node) throw new Error(`cluster ${cluster.name} has no DR node`);
  return node;
}

const clustersByNameOf = new WeakMap<Environment, { readonly value: ReadonlyMap<string, Cluster>; readonly reads: ReadSet }>();

/** The clusters by name, built once per environment: a scan per app makes a fleet quadratic. */
function clustersByName(env: Environment): ReadonlyMap<string, Cluster> {
  // The first cluster of a name wins, as `find` did (the loader refuses two anyway).
  return recordedMemo(clustersByNameOf, env, () => new Map([...env.clusters].reverse().map((cluster) => [cluster.name, cluster])));
}

/** The cluster of that name, or undefined; from the index above, so asking once per cluster stays linear. */
export function clusterByName(env: Environment, name: string): Cluster | undefined {
  return clustersByName(env).get(name);
}

/**
 * The cluster an app's twin runs on: another cluster when the app or its cluster names one
 * (`dr.cluster`), else its own cluster, on the DR node. The loader has checked that it exists.
 */
export function twinHome(env: Environment, cluster: Cluster, app: AppPlacement): Cluster {
  const name = twinClusterOf(cluster, app) ?? cluster.name;
  const home = clustersByName(env).get(name);
  if (home === undefined) throw new Error(`the twin of ${app.app} on cluster ${cluster.name} names cluster ${name}, which the environment lacks`);
  return home;
}

/** A twin that runs on another cluster than its prod: the app as its prod cluster places it. */
export interface HostedTwin {
  /** The prod cluster, which places the app. */
  readonly origin: Cluster;
  readonly placement: AppPlacement;
}

/**
 * Every twin of an environment by the name of the cluster it runs on, in environment order,
 * built once per environment: the plan, the policies and the runbook ask for each cluster, and a
 * scan of the estate per cluster makes a fleet quadratic.
 */
const twinsByHome = new WeakMap<Environment, { readonly value: ReadonlyMap<string, readonly HostedTwin[]>; readonly reads: ReadSet }>();

function twinsByHomeOf(env: Environment): ReadonlyMap<string, readonly HostedTwin[]> {
  // Recorded: a unit that asks depends on every cluster's twin settings, whoever built the index.
  return recordedMemo(twinsByHome, env, () => {
    const index = new Map<string, HostedTwin[]>();
    for (const origin of env.clusters) {
      for (const placement of origin.apps) {
        const home = twinClusterOf(origin, placement);
        if (home === undefined) continue;
        const twins = index.get(home) ?? [];
        twins.push({ origin, placement });
        index.set(home, twins);
      }
    }
    return index;
  });
}

/** The twins other clusters send to `cluster` (`dr: { cluster: <it> }`), in environment order. */
export function hostedTwins(env: Environment, cluster: Cluster): HostedTwin[] {
  return (twinsByHomeOf(env).get(cluster.name) ?? []).filter((twin) => twin.origin !== cluster);
}

/** Whether a cluster runs twins: on its DR node, or for another cluster. */
export function runsTwins(env: Environment, cluster: Cluster): boolean {
  return cluster.dr?.node !== undefined || hostedTwins(env, cluster).length > 0;
}

/**
 * Where the twins a cluster runs are placed: on its DR node when it has one (every twin of the
 * cluster, its own and other clusters'), else anywhere: the whole cluster is the DR side.
 */
export function twinPlacement(home: Cluster): Placement {
  return home.dr?.node === undefined ? {} : drPlacement(home);
}

/** Placement of DR pods: the DR node's labels as nodeSelector, a toleration per taint. */
export function drPlacement(cluster: Cluster): Placement {
  const node = drNode(cluster);
  return {
    nodeSelector: { ...node.labels },
    tolerations: node.taints.map((taint) =>
      taint.value === undefined
        ? { key: taint.key, operator: 'Exists' as const, effect: taint.effect }
        : { key: taint.key, operator: 'Equal' as const, value: taint.value, effect: taint.effect },
    ),
  };
}

/** The DR host of an app: its explicit `dr.host`, else derived from the prod host. */
export function drHost(env: Environment, app: AppPlacement): string | undefined {
  if (app.dr.host !== undefined) return app.dr.host;
  return app.host === undefined ? undefined : defaultDrHost(app.host, env.dr.suffix);
}

function labelsFor(kind: VariantKind, app: string, base: string, instance: string): Record<string, string> {
  return {
    [LABEL.name]: base,
    [LABEL.instance]: instance,
    [LABEL.partOf]: app,
    [LABEL.managedBy]: 'twinops',
    [LABEL.variant]: kind,
  };
}

/*
 * Variants are classes: the plan builds one or two per placed app on every render, and as object
 * literals with getters and closures each cost ~8 KB of small objects (a one-app change on the
 * bench fleet made 12 MB of them). The getters stay getters: the plan builds every variant, but
 * only the unit that renders one reads these, so the render cache (lib/cache/reads.ts) sees a
 * host or replica change in that unit only. Methods are on the prototype: call them on the
 * variant (`variant.name(base)`), never detached.
 */
class ProdVariant implements Variant {
  public readonly kind = 'prod';
  public readonly app: string;
  public readonly namespace: string;
  public readonly cluster: string;
  public readonly placement: Placement = {};
  public readonly ownsSharedObjects = true;
  declare public readonly edge?: EdgeView;
  readonly #cluster: Cluster;
  readonly #app: AppPlacement;

  public constructor(env: Environment, cluster: Cluster, app: AppPlacement, public readonly state: DrState) {
    const twinElsewhere = app.dr.enabled && twinHome(env, cluster, app) !== cluster;
    const edge = prodEdge(cluster, state, twinElsewhere);
    if (edge) this.edge = edge;
    this.app = app.app;
    this.namespace = app.namespace;
    this.cluster = cluster.name;
    this.#cluster = cluster;
    this.#app = app;
  }

  public name(base: string): string {
    return base;
  }

  public storageClass(role: string): string {
    return prodStorageClass(this.#cluster, this.#app, role);
  }

  public labels(base: string): Record<string, string> {
    return labelsFor('prod', this.app, base, base);
  }

  public selector(base: string): Record<string, string> {
    return { [LABEL.name]: base, [LABEL.instance]: base };
  }

  public get identityHost(): string | undefined {
    return this.#app.host;
  }

  public get routeHosts(): readonly string[] {
    return this.#app.host === undefined ? [] : [this.#app.host];
  }

  public get ownHost(): string | undefined {
    return this.#app.host;
  }

  public get replicas(): number {
    return this.#app.replicas;
  }
}

/** Replicas of a twin per state: held at zero while syncing, one warm pod in standby. */
export function drReplicas(state: DrState, prodReplicas: number): number {
  if (state === 'syncing') return 0;
  if (state === 'active') return prodReplicas;
  return Math.min(prodReplicas, 1);
}

/** The identity a twin answers to: production's when active or when it never has its own. */
function drIdentity(env: Environment, app: AppPlacement, state: DrState): string | undefined {
  if (app.dr.identity === 'production' || state === 'active') return app.host;
  return drHost(env, app);
}

class TwinVariant implements Variant {
  public readonly kind = 'dr';
  public readonly app: string;
  public readonly namespace: string;
  public readonly cluster: string;
  public readonly placement: Placement;
  public readonly ownsSharedObjects: boolean;
  declare public readonly edge?: EdgeView;
  readonly #env: Environment;
  readonly #cluster: Cluster;
  readonly #app: AppPlacement;

  public constructor(env: Environment, cluster: Cluster, app: AppPlacement, public readonly state: DrState) {
    const namespace = drNamespace(env, app.namespace);
    const home = twinHome(env, cluster, app);
    // Active on another cluster, the twin publishes prod's host too: the record moves with it.
    const edge = home !== cluster && state === 'active' ? drEdge(home, app.host) : drEdge(home, undefined);
    if (edge) this.edge = edge;
    this.app = app.app;
    this.namespace = namespace;
    this.cluster = home.name;
    this.placement = twinPlacement(home);
    // In another cluster nothing of prod's is at hand: the twin renders its own credentials.
    this.ownsSharedObjects = namespace !== app.namespace || home !== cluster;
    this.#env = env;
    this.#cluster = cluster;
    this.#app = app;
  }

  public name(base: string): string {
    return drName(this.#env, base);
  }

  public storageClass(role: string): string {
    return drStorageClass(this.#env, prodStorageClass(this.#cluster, this.#app, role));
  }

  public labels(base: string): Record<string, string> {
    return labelsFor('dr', this.app, base, this.name(base));
  }

  public selector(base: string): Record<string, string> {
    return { [LABEL.name]: base, [LABEL.instance]: this.name(base) };
  }

  // Getters, as for prod: read by the unit that renders the twin.
  public get identityHost(): string | undefined {
    return drIdentity(this.#env, this.#app, this.state);
  }

  public get routeHosts(): readonly string[] {
    return [drHost(this.#env, this.#app), this.#app.host].filter((host): host is string => host !== undefined);
  }

  public get ownHost(): string | undefined {
    return drHost(this.#env, this.#app);
  }

  public get replicas(): number {
    return drReplicas(this.state, this.#app.replicas);
  }
}

/** The variants of one placed app: prod, and its twin when DR is enabled for it. */
export function variantsOf(env: Environment, cluster: Cluster, app: AppPlacement): Variant[] {
  const state = appState(env, app);
  const prod = new ProdVariant(env, cluster, app, state);
  return app.dr.enabled ? [prod, new TwinVariant(env, cluster, app, state)] : [prod];
}

/** Every variant that runs on `cluster`: its apps' prod and the twins it runs, its own and other clusters'. */
export function variantsRunningOn(env: Environment, cluster: Cluster): Variant[] {
  const own = cluster.apps.flatMap((app) => variantsOf(env, cluster, app));
  const hosted = hostedTwins(env, cluster).flatMap(({ origin, placement }) => variantsOf(env, origin, placement));
  return [...own, ...hosted].filter((variant) => variant.cluster === cluster.name);
}
