/**
 * The fleet's units on the management cluster, fixed before any object is built: the Cluster API
 * provider units in install order, each cluster's unit gated on its `Available` condition, and
 * the hub delivery of each workload cluster's entry. Pure functions of the environment's data;
 * folders and names follow the study's layout (fleet.md §D.1, §D.2).
 */
import type { FluxDependency, FluxKubeConfig } from './constructs/flux';
import type { CapiProvider, ProviderSource, ProviderVersions } from './constructs/capi-providers';
import { CAPI_PROVIDERS, providerSource } from './constructs/capi-providers';

export type InfrastructureProvider = 'docker' | 'openstack';
export type ControlPlaneProvider = 'kubeadm' | 'rke2';

/** What one Cluster API cluster asks of the management cluster's providers (its `capi` block). */
export interface ClusterProviderNeeds {
  readonly infrastructure: InfrastructureProvider;
  /** Its bootstrap and control-plane provider (they come in pairs). */
  readonly controlPlane: ControlPlaneProvider;
  /** `cilium`: installed by the Helm add-on provider's HelmChartProxy. */
  readonly cni: 'cilium' | 'none';
}

/** The providers the whole environment needs. */
export interface ProviderNeeds {
  readonly infrastructures: readonly InfrastructureProvider[];
  readonly controlPlanes: readonly ControlPlaneProvider[];
  /** Some cluster gets an add-on (Cilium) from the Helm add-on provider. */
  readonly addonHelm: boolean;
}

/** A unit of the management cluster: one folder, one Flux Kustomization in its entry. */
export interface FleetUnit {
  /** Name of the unit's Flux Kustomization. */
  readonly fluxName: string;
  /** Flux names of the units that must be ready first. */
  readonly dependsOn: readonly string[];
  /** How long Flux may take to apply the unit and see it ready. */
  readonly timeout: string;
}

export interface ProviderUnit extends FleetUnit {
  readonly provider: CapiProvider;
  /** Folder relative to the management cluster's folder `<env>/<mgmt>/`. */
  readonly folder: string;
  /** Where its manifests come from, pinned (rendered by `CapiProviderComponents`). */
  readonly source: ProviderSource;
}

export interface ClusterUnit extends FleetUnit {
  /** Folder relative to the management cluster's folder `<env>/<mgmt>/`. */
  readonly folder: string;
  /** The cluster is ready only once its Cluster is `Available`. */
  readonly healthCheckExprs: readonly ClusterHealthCheck[];
}

export interface DeliveryUnit extends FleetUnit {
  /** The workload cluster's entry folder, relative to `dist/`. */
  readonly path: string;
}

export interface ClusterHealthCheck {
  readonly apiVersion: string;
  readonly kind: string;
  readonly current: string;
}

/**
 * A v1beta2 Cluster is ready when its `Available` summary condition is true. Not the CEL cheat
 * sheet's v1beta1 check `filter(Ready).all(True)`: v1beta2 has no `Ready` condition, and `all`
 * over an empty list is true, so that check passes before the cluster exists (study §B.6).
 */
export const CLUSTER_AVAILABLE: ClusterHealthCheck = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  current: "status.conditions.exists(e, e.type == 'Available' && e.status == 'True')",
};

/** Provider units build controllers and webhooks: minutes, not the app default. */
export const PROVIDER_TIMEOUT = '10m';
/** Machines are created, booted and joined before a cluster is `Available`. */
export const CLUSTER_TIMEOUT = '30m';
/** Cluster API's kubeconfig Secret keeps the kubeconfig under this key (`util/secret/consts.go`). */
export const KUBECONFIG_KEY = 'value';

/** The install stages, clusterctl's order with cert-manager first; a stage waits on all of the one before. */
const STAGES: readonly (readonly CapiProvider[])[] = [
  ['cert-manager'],
  ['core'],
  ['bootstrap-kubeadm', 'bootstrap-rke2'],
  ['control-plane-kubeadm', 'control-plane-rke2'],
  ['infrastructure-docker', 'infrastructure-openstack'],
  ['addon-helm'],
];

export function providerFluxName(provider: CapiProvider): string {
  return `capi-${provider}`;
}

export function clusterFluxName(cluster: string): string {
  return `cluster-${cluster}`;
}

export function deliveryFluxName(cluster: string): string {
  return `delivery-${cluster}`;
}

/** The union of what the clusters need, in the order the providers install. */
export function providerNeeds(clusters: readonly ClusterProviderNeeds[]): ProviderNeeds {
  const has = <T>(all: readonly T[], pick: (c: ClusterProviderNeeds) => T) => all.filter((v) => clusters.some((c) => pick(c) === v));
  return {
    infrastructures: has<InfrastructureProvider>(['docker', 'openstack'], (c) => c.infrastructure),
    controlPlanes: has<ControlPlaneProvider>(['kubeadm', 'rke2'], (c) => c.controlPlane),
    addonHelm: clusters.some((c) => c.cni === 'cilium'),
  };
}

/** The providers `needs` installs, in install order; none when no cluster is a Cluster API one. */
export function neededProviders(needs: ProviderNeeds): CapiProvider[] {
  if (needs.infrastructures.length === 0 && needs.controlPlanes.length === 0) return [];
  const wanted = new Set<CapiProvider>(['cert-manager', 'core']);
  for (const controlPlane of needs.controlPlanes) {
    wanted.add(`bootstrap-${controlPlane}`);
    wanted.add(`control-plane-${controlPlane}`);
  }
  for (const infrastructure of needs.infrastructures) wanted.add(`infrastructure-${infrastructure}`);
  if (needs.addonHelm) wanted.add('addon-helm');
  return CAPI_PROVIDERS.filter((provider) => wanted.has(provider));
}

/**
 * The provider units `needs` installs, in install order: each depends on every unit of the stage
 * before it that is installed (cert-manager → core → bootstraps → control planes →
 * infrastructures → add-on). `sources` is every provider the folders serve (default: these
 * ones); pass the environment's when planning a smaller entry (the kind bootstrap cluster) that
 * reads the same folders.
 */
export function providerUnits(
  needs: ProviderNeeds,
  versions: ProviderVersions,
  sources: readonly CapiProvider[] = neededProviders(needs),
): ProviderUnit[] {
  const installed = new Set(neededProviders(needs));
  const units: ProviderUnit[] = [];
  let previous: readonly string[] = [];
  for (const stage of STAGES) {
    const present = stage.filter((provider) => installed.has(provider));
    if (present.length === 0) continue;
    for (const provider of present) {
      units.push({
        provider,
        fluxName: providerFluxName(provider),
        folder: `capi/providers/${provider}`,
        dependsOn: previous,
        timeout: PROVIDER_TIMEOUT,
        source: providerSource(provider, versions, sources),
      });
    }
    previous = present.map(providerFluxName);
  }
  return units;
}

/** The providers a cluster's own objects need (cert-manager and core come before those). */
export function clusterProviders(cluster: ClusterProviderNeeds): CapiProvider[] {
  const own: CapiProvider[] = [
    `bootstrap-${cluster.controlPlane}`,
    `control-plane-${cluster.controlPlane}`,
    `infrastructure-${cluster.infrastructure}`,
  ];
  if (cluster.cni === 'cilium') own.push('addon-helm');
  return own;
}

/** The unit holding a cluster's Cluster API objects: ready when the Cluster is `Available`. */
export function clusterUnit(cluster: { readonly name: string; readonly capi: ClusterProviderNeeds }): ClusterUnit {
  return {
    fluxName: clusterFluxName(cluster.name),
    folder: `capi/clusters/${cluster.name}`,
    dependsOn: clusterProviders(cluster.capi).map(providerFluxName),
    timeout: CLUSTER_TIMEOUT,
    healthCheckExprs: [CLUSTER_AVAILABLE],
  };
}

/**
 * The management cluster's unit applying a workload cluster's entry (`workloadEntryPath`, as
 * `entryPath` of lib/plan.ts gives it). It waits on the cluster unit: the entry's Kustomizations
 * live in the cluster's namespace, which that unit creates.
 */
export function deliveryUnit(cluster: { readonly name: string }, workloadEntryPath: string): DeliveryUnit {
  return {
    fluxName: deliveryFluxName(cluster.name),
    path: workloadEntryPath,
    dependsOn: [clusterFluxName(cluster.name)],
    timeout: CLUSTER_TIMEOUT,
  };
}

/** Where a workload cluster's units are reconciled from, for `FluxUnit`'s props. */
export interface RemoteDelivery {
  /** The cluster's Cluster API namespace on the management cluster, where its kubeconfig Secret is. */
  readonly namespace: string;
  readonly kubeConfig: FluxKubeConfig;
  /** The cluster's own unit, first, then the unit's own dependencies (same namespace). */
  readonly dependsOn: readonly (string | FluxDependency)[];
}

/**
 * A workload cluster's unit, applied by the management cluster's Flux through Cluster API's
 * `<cluster>-kubeconfig` Secret: in the cluster's namespace, waiting on `cluster-<cluster>` in
 * the GitOps namespace, then on `dependsOn` (units of the same workload cluster).
 */
export function remoteDelivery(
  cluster: { readonly name: string; readonly namespace: string },
  gitopsNamespace: string,
  dependsOn: readonly string[],
): RemoteDelivery {
  return {
    namespace: cluster.namespace,
    kubeConfig: { secretRef: { name: `${cluster.name}-kubeconfig`, key: KUBECONFIG_KEY } },
    dependsOn: [{ name: clusterFluxName(cluster.name), namespace: gitopsNamespace }, ...dependsOn],
  };
}
