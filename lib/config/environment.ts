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
  NodeSpec,
  StorageClassSpec,
} from './schema';
import type { DATASTORE_KINDS } from './schema';
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
export type Cluster = Omit<ClusterSpec, 'nodes' | 'storageClasses' | 'storageRoles' | 'apps' | 'edge' | 'datastore'> & {
  /** Absent when the environment does not say: the runbook then asks for it instead of guessing. */
  readonly datastore?: Datastore;
  /** Absent when the cluster declares no edge: its apps get no routes, balancers or DNS records. */
  readonly edge?: Edge;
  readonly nodes: readonly Node[];
  readonly storageClasses: readonly StorageClass[];
  /** Storage role → class; empty when the cluster maps none. */
  readonly storageRoles: Readonly<Record<string, string>>;
  readonly apps: readonly AppPlacement[];
};
export type GitOps = Required<NonNullable<EnvironmentSpec['gitops']>>;
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
    gitops: {
      sourceName: spec.gitops?.sourceName ?? 'flux-system',
      namespace: spec.gitops?.namespace ?? 'flux-system',
      interval: spec.gitops?.interval ?? '10m',
      retryInterval: spec.gitops?.retryInterval ?? '1m',
      timeout: spec.gitops?.timeout ?? '5m',
      pathPrefix: spec.gitops?.pathPrefix ?? './dist',
    },
    dr: {
      state: spec.dr?.state ?? 'standby',
      suffix: spec.dr?.suffix ?? DEFAULT_DR_SUFFIX,
      storageClasses: spec.dr?.storageClasses ?? {},
      namespace: spec.dr?.namespace ?? 'same',
    },
    clusters: spec.clusters.map(({ edge: edgeSpec, datastore: datastoreSpec, ...cluster }) => ({
      ...cluster,
      ...(edgeSpec ? { edge: edge(edgeSpec) } : {}),
      ...(datastoreSpec ? { datastore: datastore(datastoreSpec) } : {}),
      nodes: cluster.nodes.map(node),
      storageClasses: (cluster.storageClasses ?? []).map(storageClass),
      storageRoles: cluster.storageRoles ?? {},
      apps: (cluster.apps ?? []).map(placement),
    })),
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
