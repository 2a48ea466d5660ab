/**
 * The typed, defaulted environment every later stage reads. Types are derived from the schema
 * (`./schema.ts`); this module only fills in the defaults the schema's descriptions promise, in
 * one place, so no other module guesses a default.
 */
import type {
  AppDrSpec,
  AppPlacementSpec,
  ClusterSpec,
  DatastoreSpec,
  DrState,
  EnvironmentSpec,
  GitOpsSpec,
  NodeSpec,
  StorageClassSpec,
} from './schema';
import type { DATASTORE_KINDS } from './schema';
import { DEFAULT_CAPI_VERSIONS, type CapiVersionsSpec, type ClusterCapiSpec, type OpenStackSpec } from './schema-capi';
import type { AddonsSpec } from './schema-addons';
import type { AcmeSpec, AddressPlanSpec, EdgeSpec, TraefikInstanceSpec } from './schema-edge';

type Defaulted<T, K extends keyof T> = Omit<T, K> & { readonly [P in K]-?: Exclude<T[P], undefined> };

export type Node = Defaulted<NodeSpec, 'labels' | 'taints' | 'addresses' | 'controlPlane'>;
export type AddressPlan = AddressPlanSpec;
export type TraefikInstance = Defaulted<TraefikInstanceSpec, 'name' | 'externalDns'>;
export type Acme = Defaulted<AcmeSpec, 'challenge'>;
export type Edge = Defaulted<
  Omit<EdgeSpec, 'prod' | 'dr' | 'acme'>,
  'namespace' | 'chartVersion' | 'repository' | 'provider' | 'publicDns' | 'dnsTtl'
> & { readonly acme: Acme; readonly prod: TraefikInstance; readonly dr: TraefikInstance };
export type StorageClass = Defaulted<StorageClassSpec, 'parameters' | 'reclaimPolicy' | 'volumeBindingMode'>;
export type AppDr = Defaulted<Omit<AppDrSpec, 'enabled'>, 'identity'> & { readonly enabled: boolean };
export type AppPlacement = Defaulted<Omit<AppPlacementSpec, 'dr'>, 'namespace' | 'replicas' | 'storageRoles'> & { readonly dr: AppDr };
/** The cluster's datastore with k3s's defaults applied; `snapshots` absent only where the semantic check reports it. */
export type Datastore = Omit<DatastoreSpec, 'kind'> & { readonly kind: DatastoreKind };
export type DatastoreKind = (typeof DATASTORE_KINDS)[number];
/** Where a cluster's twins run: a node of the cluster, or another cluster (exactly one). */
export type ClusterDr =
  | { readonly node: string; readonly cluster?: undefined }
  | { readonly cluster: string; readonly node?: undefined };
export type OpenStack = Defaulted<OpenStackSpec, 'caCert' | 'dnsNameservers'>;
/** A Cluster API cluster's block with its defaults; `openstack` present exactly with `infrastructure: openstack` (checked). */
export type ClusterCapi = Defaulted<Omit<ClusterCapiSpec, 'openstack'>, 'controlPlaneReplicas' | 'workers' | 'cni' | 'namespace' | 'pivoted'> & {
  readonly openstack?: OpenStack;
};
/** Provider versions; `cilium` absent unless given (required, and checked, when a cluster uses Cilium). */
export type CapiVersions = Defaulted<CapiVersionsSpec, keyof typeof DEFAULT_CAPI_VERSIONS>;
export type ClusterRole = NonNullable<ClusterSpec['role']>;
export type Cluster = Omit<ClusterSpec, 'nodes' | 'storageClasses' | 'storageRoles' | 'apps' | 'edge' | 'datastore' | 'dr' | 'capi' | 'role' | 'protect'> & {
  /** workload (default) or management: the one that runs the Cluster API providers. */
  readonly role: ClusterRole;
  /** Destroy protection of the cluster's Cluster API objects; default true. */
  readonly protect: boolean;
  /** Absent for a cluster that exists already (it lists its `nodes`). */
  readonly capi?: ClusterCapi;
  /** Absent when the cluster's apps have no twins, or each app names its DR cluster. */
  readonly dr?: ClusterDr;
  /** Absent when the environment does not say: the runbook then asks for it instead of guessing. */
  readonly datastore?: Datastore;
  /** Absent when the cluster declares no edge: its apps get no routes, balancers or DNS records. */
  readonly edge?: Edge;
  /** Empty for a Cluster API cluster (its machines are its nodes). */
  readonly nodes: readonly Node[];
  readonly storageClasses: readonly StorageClass[];
  /** Storage role → class; empty when the cluster maps none. */
  readonly storageRoles: Readonly<Record<string, string>>;
  readonly apps: readonly AppPlacement[];
};
/** `repoURL` absent unless given (required, and checked, with Argo CD). */
export type GitOps = Defaulted<GitOpsSpec, Exclude<keyof GitOpsSpec, 'repoURL'>>;
export type SecretStore = Required<NonNullable<EnvironmentSpec['secrets']>>;
export type DrRules = Required<NonNullable<EnvironmentSpec['dr']>>;

/** A loaded environment: its name (the file's base name), its file, and its defaulted content. */
export interface Environment {
  /** Environment name: the file name without `.yaml`; also the folder `dist/<name>`. */
  readonly name: string;
  /** Path of the environment file, as given to the loader. */
  readonly file: string;
  readonly description?: string;
  readonly gitops: GitOps;
  /** Absent when no app needs credentials. */
  readonly secrets?: SecretStore;
  readonly dr: DrRules;
  /** Cluster API provider versions, defaulted whether or not a cluster uses Cluster API. */
  readonly capi: CapiVersions;
  /** Platform add-ons: which are installed already, and external-dns's settings. Empty: render every needed one. */
  readonly addons: AddonsSpec;
  readonly clusters: readonly Cluster[];
}

export const DEFAULT_DR_SUFFIX = '-dr';

function node(spec: NodeSpec): Node {
  return {
    ...spec,
    labels: spec.labels ?? { 'kubernetes.io/hostname': spec.name },
    taints: spec.taints ?? [],
    addresses: spec.addresses ?? [],
    controlPlane: spec.controlPlane ?? false,
  };
}

export const DEFAULT_TRAEFIK_CHART = { repository: 'https://traefik.github.io/charts', version: '41.3.0' } as const;

function instance(spec: TraefikInstanceSpec | undefined, name: string): TraefikInstance {
  return { ...spec, name: spec?.name ?? name, externalDns: spec?.externalDns ?? true };
}

function edge(spec: EdgeSpec): Edge {
  return {
    ...spec,
    namespace: spec.namespace ?? 'traefik-external',
    chartVersion: spec.chartVersion ?? DEFAULT_TRAEFIK_CHART.version,
    repository: spec.repository ?? DEFAULT_TRAEFIK_CHART.repository,
    provider: spec.provider ?? 'calico',
    publicDns: spec.publicDns ?? false,
    dnsTtl: spec.dnsTtl ?? 300,
    acme: { ...spec.acme, challenge: spec.acme?.challenge ?? 'tls' },
    prod: instance(spec.prod, 'traefik-external'),
    dr: instance(spec.dr, 'traefik-dr'),
  };
}

/** Where k3s keeps its embedded etcd snapshots, and its default schedule (`k3s server --help`). */
export const K3S_ETCD_SNAPSHOTS = { path: '/var/lib/rancher/k3s/server/db/snapshots', schedule: '0 */12 * * *' } as const;

function datastore(spec: DatastoreSpec): Datastore {
  if (spec.kind !== 'k3s-etcd') return { ...spec, kind: spec.kind };
  return { ...spec, kind: spec.kind, snapshots: spec.snapshots ?? K3S_ETCD_SNAPSHOTS.path, schedule: spec.schedule ?? K3S_ETCD_SNAPSHOTS.schedule };
}

function storageClass(spec: StorageClassSpec): StorageClass {
  return {
    ...spec,
    parameters: spec.parameters ?? {},
    reclaimPolicy: spec.reclaimPolicy ?? 'Retain',
    volumeBindingMode: spec.volumeBindingMode ?? 'WaitForFirstConsumer',
  };
}

function appDr(spec: AppPlacementSpec['dr']): AppDr {
  if (spec === undefined || spec === false) return { enabled: false, identity: 'own' };
  if (spec === true) return { enabled: true, identity: 'own' };
  const { enabled, identity, ...rest } = spec;
  return { ...rest, enabled: enabled ?? true, identity: identity ?? 'own' };
}

function clusterDr(spec: ClusterSpec['dr']): ClusterDr | undefined {
  if (spec?.node !== undefined) return { node: spec.node };
  // The schema lets through exactly one key, so without `node` there is `cluster`.
  return spec?.cluster === undefined ? undefined : { cluster: spec.cluster };
}

function capi(spec: ClusterCapiSpec, clusterName: string): ClusterCapi {
  const { openstack, ...rest } = spec;
  return {
    ...rest,
    controlPlaneReplicas: spec.controlPlaneReplicas ?? 1,
    workers: spec.workers ?? 1,
    cni: spec.cni ?? 'cilium',
    namespace: spec.namespace ?? clusterName,
    pivoted: spec.pivoted ?? false,
    ...(openstack ? { openstack: { ...openstack, caCert: openstack.caCert ?? false, dnsNameservers: openstack.dnsNameservers ?? [] } } : {}),
  };
}

function cluster(spec: ClusterSpec): Cluster {
  const { edge: edgeSpec, datastore: datastoreSpec, capi: capiSpec, dr: drSpec, ...rest } = spec;
  const dr = clusterDr(drSpec);
  return {
    ...rest,
    role: spec.role ?? 'workload',
    protect: spec.protect ?? true,
    ...(capiSpec ? { capi: capi(capiSpec, spec.name) } : {}),
    ...(dr ? { dr } : {}),
    ...(edgeSpec ? { edge: edge(edgeSpec) } : {}),
    ...(datastoreSpec ? { datastore: datastore(datastoreSpec) } : {}),
    nodes: (spec.nodes ?? []).map(node),
    storageClasses: (spec.storageClasses ?? []).map(storageClass),
    storageRoles: spec.storageRoles ?? {},
    apps: (spec.apps ?? []).map(placement),
  };
}

function gitops(spec: GitOpsSpec = {}): GitOps {
  const engine = spec.engine ?? 'flux';
  return {
    ...spec,
    engine,
    revision: spec.revision ?? 'main',
    project: spec.project ?? 'default',
    sourceName: spec.sourceName ?? 'flux-system',
    namespace: spec.namespace ?? (engine === 'argocd' ? 'argocd' : 'flux-system'),
    interval: spec.interval ?? '10m',
    retryInterval: spec.retryInterval ?? '1m',
    timeout: spec.timeout ?? '5m',
    pathPrefix: spec.pathPrefix ?? './dist',
  };
}

function placement(spec: AppPlacementSpec): AppPlacement {
  return {
    ...spec,
    namespace: spec.namespace ?? spec.app,
    replicas: spec.replicas ?? 1,
    storageRoles: spec.storageRoles ?? {},
    dr: appDr(spec.dr),
  };
}

/** Applies every documented default to a schema-valid environment document. */
export function withDefaults(name: string, file: string, spec: EnvironmentSpec): Environment {
  const env: Environment = {
    name,
    file,
    gitops: gitops(spec.gitops),
    dr: {
      state: spec.dr?.state ?? 'standby',
      suffix: spec.dr?.suffix ?? DEFAULT_DR_SUFFIX,
      storageClasses: spec.dr?.storageClasses ?? {},
      namespace: spec.dr?.namespace ?? 'same',
    },
    capi: { ...DEFAULT_CAPI_VERSIONS, ...spec.capi },
    addons: spec.addons ?? {},
    clusters: spec.clusters.map(cluster),
  };
  const withDescription = spec.description === undefined ? env : { ...env, description: spec.description };
  return spec.secrets === undefined
    ? withDescription
    : {
        ...withDescription,
        secrets: {
          kind: spec.secrets.kind ?? 'ClusterSecretStore',
          name: spec.secrets.name,
          refreshInterval: spec.secrets.refreshInterval ?? '1h',
        },
      };
}

/** The DR state in force for one app: its own override, else the environment's. */
export function appState(env: Environment, app: AppPlacement): DrState {
  return app.dr.state ?? env.dr.state;
}

/**
 * The cluster an app's twin runs on: the app's `dr.cluster`, else its cluster's `dr.cluster`,
 * else its own cluster (on the DR node); undefined when the app has no twin or nowhere to run it.
 */
export function twinClusterOf(cluster: Cluster, app: AppPlacement): string | undefined {
  if (!app.dr.enabled) return undefined;
  if (app.dr.cluster !== undefined) return app.dr.cluster;
  if (cluster.dr?.cluster !== undefined) return cluster.dr.cluster;
  return cluster.dr?.node === undefined ? undefined : cluster.name;
}
