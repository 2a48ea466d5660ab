/**
 * The plan: an environment becomes clusters × units. A unit is one folder of `dist/` and one
 * Flux Kustomization; apps get one unit per variant. The plan fixes every path, every Flux name
 * and every dependency before any object is built, so layout and delivery agree by construction.
 */
import type { AppPlacement, Cluster, ClusterCapi, Environment } from './config/environment';
import { ADDON_OPTION_KEYS, ADDONS, type Addon } from './constructs/addons/catalog';
import { addonsFor, type AddonsInput, type AddonUnit } from './plan-addons';
import {
  clusterFluxName,
  clusterUnit,
  deliveryUnit,
  neededProviders,
  providerNeeds,
  providerUnits,
  type ClusterHealthCheck,
  type DeliveryUnit,
  type ProviderUnit,
} from './plan-fleet';
import { appState } from './config/environment';
import type { Variant } from './variant/rules';
import { hostedTwins, variantsOf } from './variant/rules';

/**
 * Infrastructure components in dependency order: storage (namespaces, storage classes), then
 * traefik (its HelmReleases install the Traefik CRDs and run the pods the balancers select),
 * then edge (address pools, the IPv4 balancers), and the apps, whose IngressRoutes need those
 * CRDs. A cluster without an edge has storage only.
 */
export const INFRASTRUCTURE_COMPONENTS = ['storage', 'traefik', 'edge'] as const;
export type InfrastructureComponent = (typeof INFRASTRUCTURE_COMPONENTS)[number];

export function infrastructureOf(cluster: Cluster): readonly InfrastructureComponent[] {
  return cluster.edge ? INFRASTRUCTURE_COMPONENTS : ['storage'];
}

interface UnitBase {
  /** Folder relative to `dist/`. */
  readonly path: string;
  /** Name of the unit's Flux Kustomization. */
  readonly fluxName: string;
  /** Flux names of the units that must be ready first. */
  readonly dependsOn: readonly string[];
}

export interface InfrastructureUnit extends UnitBase {
  readonly kind: 'infrastructure';
  readonly component: InfrastructureComponent;
}

export interface AppUnit extends UnitBase {
  readonly kind: 'app';
  readonly placement: AppPlacement;
  readonly variant: Variant;
  /** The cluster that places the app (its prod cluster): another one for a twin it sends here. */
  readonly origin: Cluster;
}

/** A Cluster API provider of the management cluster: its install unit (`capi/providers/<p>`). */
export interface CapiProviderUnitPlan extends UnitBase {
  readonly kind: 'capi-provider';
  readonly provider: ProviderUnit;
  readonly timeout: string;
}

/** A Cluster API cluster's objects, on the management cluster (`capi/clusters/<c>`). */
export interface CapiClusterUnitPlan extends UnitBase {
  readonly kind: 'capi-cluster';
  /** The cluster the objects build. */
  readonly target: Cluster & { readonly capi: ClusterCapi };
  readonly timeout: string;
  readonly healthCheckExprs: readonly ClusterHealthCheck[];
  /** The management cluster's own definition stays suspended until `clusterctl move` (pivoted). */
  readonly suspend: boolean;
}

/** A platform add-on the cluster's objects need (`addons/<addon>`), installed before the infrastructure. */
export interface AddonUnitPlan extends UnitBase {
  readonly kind: 'addon';
  readonly addon: AddonUnit;
}

export type Unit = InfrastructureUnit | AppUnit | CapiProviderUnitPlan | CapiClusterUnitPlan | AddonUnitPlan;

/** How a Cluster API workload cluster's units reach it: from the management cluster, through its kubeconfig. */
export interface RemoteTarget {
  /** The cluster's Cluster API namespace on the management cluster, where its Kustomizations live. */
  readonly namespace: string;
  /** The `<cluster>-kubeconfig` Secret Cluster API writes there. */
  readonly kubeconfigSecret: string;
  /** The management cluster's unit of the cluster's objects, in the GitOps namespace. */
  readonly clusterUnit: string;
  /** The management cluster, where the entry's Kustomizations are applied. */
  readonly management: string;
}

export interface ClusterPlan {
  readonly cluster: Cluster;
  /** The cluster's entry folder: Flux is bootstrapped with `--path` here (a remote cluster's is applied by the management cluster). */
  readonly entryPath: string;
  /** Units in dependency order: Cluster API providers and clusters, infrastructure, prod apps, twins. */
  readonly units: readonly Unit[];
  /** Present for a Cluster API workload cluster: its entry is reconciled on the management cluster. */
  readonly remote?: RemoteTarget;
  /** The management cluster's units that apply each workload cluster's entry. Default: none. */
  readonly deliveries: readonly DeliveryUnit[];
}

/** The entry of the temporary kind cluster that builds the management cluster, until the pivot. */
export interface BootstrapEntry {
  readonly entryPath: string;
  /** The providers the management cluster needs and its own cluster unit, live. */
  readonly units: readonly Unit[];
}

export interface EnvironmentPlan {
  readonly env: Environment;
  readonly clusters: readonly ClusterPlan[];
  /** Rendered while the management cluster starts from kind and has not pivoted. */
  readonly bootstrap?: BootstrapEntry;
}

/** What the plan needs to know of the charts: the apps each one needs first. */
export type ChartDependencies = (app: string) => readonly string[];

export function entryPath(env: Environment, cluster: Cluster): string {
  return `${env.name}/clusters/${cluster.name}`;
}

function appUnits(env: Environment, cluster: Cluster, chartDependencies: ChartDependencies, infrastructure: readonly string[]) {
  // Only the variants that run here: a twin sent to another cluster is that cluster's unit.
  const variantsHere = (origin: Cluster) =>
    new Map(origin.apps.map((app) => [app.app, variantsOf(env, origin, app).filter((variant) => variant.cluster === cluster.name)]));
  const variantsByApp = variantsHere(cluster);
  const units: AppUnit[] = [];
  for (const placement of cluster.apps) {
    const dependencies = placement.dependsOn ?? chartDependencies(placement.app);
    for (const variant of variantsByApp.get(placement.app) ?? []) {
      const onDependencies = dependencies
        .map((dependency) => sameKindOrProd(variantsByApp.get(dependency) ?? [], variant.kind)?.name(dependency))
        .filter((name): name is string => name !== undefined);
      // A twin waits for its prod unit while standing by, but never once active: a dead prod
      // must not block the failover.
      const onProd = variant.kind === 'dr' && appState(env, placement) !== 'active' ? [placement.app] : [];
      units.push({
        kind: 'app',
        placement,
        variant,
        origin: cluster,
        path: `${env.name}/${cluster.name}/apps/${placement.app}/${variant.kind}`,
        fluxName: variant.name(placement.app),
        dependsOn: [...infrastructure, ...onProd, ...onDependencies],
      });
    }
  }
  // Twins other clusters send here: delivered by this cluster's entry, and never waiting on a
  // unit of their prod cluster (another entry, maybe another region, maybe gone). Their
  // dependencies' twins run here too (checked by the loader).
  for (const { origin, placement } of hostedTwins(env, cluster)) {
    const variants = variantsHere(origin);
    const variant = variants.get(placement.app)?.find((candidate) => candidate.kind === 'dr');
    if (variant === undefined) continue;
    const onDependencies = (placement.dependsOn ?? chartDependencies(placement.app))
      .map((dependency) => variants.get(dependency)?.find((candidate) => candidate.kind === 'dr')?.name(dependency))
      .filter((name): name is string => name !== undefined);
    units.push({
      kind: 'app',
      placement,
      variant,
      origin,
      path: `${env.name}/${cluster.name}/apps/${placement.app}/dr`,
      fluxName: variant.name(placement.app),
      dependsOn: [...infrastructure, ...onDependencies],
    });
  }
  const order = (unit: AppUnit) => (unit.variant.kind === 'prod' ? 0 : 1);
  return units.sort((a, b) => order(a) - order(b));
}

/** A twin whose dependency has no twin of its own uses the dependency's prod variant. */
function sameKindOrProd(variants: readonly Variant[], kind: Variant['kind']): Variant | undefined {
  return variants.find((variant) => variant.kind === kind) ?? variants[0];
}

type CapiCluster = Cluster & { readonly capi: ClusterCapi };

/** What decides a cluster's add-ons: its classes, edge, store, taints, and what the environment says is installed. */
export function addonsInputOf(env: Environment, cluster: Cluster): AddonsInput {
  const { addons } = env;
  const installed = new Set<Addon>(ADDONS.filter((addon) => (addons as Record<string, unknown>)[ADDON_OPTION_KEYS[addon]] === 'installed'));
  // external-dns's provider is not in the environment unless given: without settings it is a prerequisite.
  const externalDns = typeof addons.externalDns === 'object' ? addons.externalDns : undefined;
  if (externalDns === undefined) installed.add('external-dns');
  return {
    cluster: cluster.name,
    provisioners: cluster.storageClasses.map((storageClass) => storageClass.provisioner),
    ...(cluster.edge ? { edgeProvider: cluster.edge.provider } : {}),
    publicDns: cluster.edge?.publicDns ?? false,
    ...(env.secrets ? { secrets: env.secrets } : {}),
    installed,
    ...(externalDns ? { externalDns } : {}),
    // Each distinct taint once: the per-node daemons tolerate them all.
    nodeTaints: [...new Map(cluster.nodes.flatMap((node) => node.taints).map((taint) => [JSON.stringify(taint), taint])).values()],
  };
}

/** The add-ons the cluster's rendered objects need and the environment does not declare installed. */
function addonUnits(env: Environment, cluster: Cluster): AddonUnitPlan[] {
  return addonsFor(addonsInputOf(env, cluster)).map((addon) => ({ kind: 'addon', addon, path: `${env.name}/${cluster.name}/${addon.folder}`, fluxName: addon.name, dependsOn: addon.dependsOn }));
}
const hasCapi = (cluster: Cluster): cluster is CapiCluster => cluster.capi !== undefined;

/** The management cluster's Cluster API units: providers some cluster needs, then every cluster's objects. */
function capiUnits(env: Environment, management: Cluster): Unit[] {
  const capiClusters = env.clusters.filter(hasCapi);
  if (capiClusters.length === 0) return [];
  const base = `${env.name}/${management.name}`;
  const providers = providerUnits(providerNeeds(capiClusters.map((cluster) => cluster.capi)), env.capi).map(
    (provider): CapiProviderUnitPlan => ({ kind: 'capi-provider', provider, path: `${base}/${provider.folder}`, fluxName: provider.fluxName, dependsOn: provider.dependsOn, timeout: provider.timeout }),
  );
  const clusters = capiClusters.map((target): CapiClusterUnitPlan => {
    const unit = clusterUnit({ name: target.name, capi: target.capi });
    const ownDefinition = target.name === management.name;
    return {
      kind: 'capi-cluster',
      target,
      path: `${base}/${unit.folder}`,
      fluxName: unit.fluxName,
      dependsOn: unit.dependsOn,
      timeout: unit.timeout,
      healthCheckExprs: unit.healthCheckExprs,
      suspend: ownDefinition && target.capi.bootstrap === 'kind' && !target.capi.pivoted,
    };
  });
  return [...providers, ...clusters];
}

/** The kind cluster's entry: the providers the management cluster itself needs, and its definition live. */
function bootstrapEntry(env: Environment, management: Cluster, units: readonly Unit[]): BootstrapEntry | undefined {
  if (!hasCapi(management) || management.capi.bootstrap !== 'kind' || management.capi.pivoted) return undefined;
  const everything = neededProviders(providerNeeds(env.clusters.filter(hasCapi).map((cluster) => cluster.capi)));
  const own = providerUnits(providerNeeds([management.capi]), env.capi, everything);
  const folders = new Map(units.map((unit) => [unit.fluxName, unit]));
  const providers = own.map((provider): Unit => {
    const planned = folders.get(provider.fluxName) as CapiProviderUnitPlan;
    return { ...planned, dependsOn: provider.dependsOn };
  });
  const self = folders.get(clusterFluxName(management.name)) as CapiClusterUnitPlan;
  return { entryPath: `${env.name}/clusters/${management.name}-bootstrap`, units: [...providers, { ...self, suspend: false }] };
}

export function planEnvironment(env: Environment, chartDependencies: ChartDependencies): EnvironmentPlan {
  const management = env.clusters.find((cluster) => cluster.role === 'management');
  const plans = env.clusters.map((cluster): ClusterPlan => {
      const components = infrastructureOf(cluster);
      // A Cluster API workload cluster's add-ons are delivered like its other units, from the
      // management cluster; the flux-controllers HelmChartProxy reconciles their HelmReleases there.
      const addons = addonUnits(env, cluster);
      const infrastructure: InfrastructureUnit[] = components.map((component, index) => ({
        kind: 'infrastructure',
        component,
        path: `${env.name}/${cluster.name}/infrastructure/${component}`,
        fluxName: `infrastructure-${component}`,
        // Each component needs the one before it (the edge's balancers select Traefik's pods).
        dependsOn: index === 0 ? addons.map((addon) => addon.fluxName) : [`infrastructure-${components[index - 1]}`],
      }));
      const infrastructureNames = infrastructure.map((unit) => unit.fluxName);
      const isManagement = cluster === management;
      const remote = hasCapi(cluster) && !isManagement && management ? remoteTarget(cluster, management) : undefined;
      return {
        cluster,
        entryPath: entryPath(env, cluster),
        units: [...(isManagement ? capiUnits(env, cluster) : []), ...addons, ...infrastructure, ...appUnits(env, cluster, chartDependencies, infrastructureNames)],
        ...(remote ? { remote } : {}),
        deliveries: isManagement ? env.clusters.filter((other) => hasCapi(other) && other !== cluster).map((other) => deliveryUnit(other, entryPath(env, other))) : [],
      };
    });
  const managementPlan = plans.find((plan) => plan.cluster === management);
  const bootstrap = management && managementPlan ? bootstrapEntry(env, management, managementPlan.units) : undefined;
  return { env, clusters: plans, ...(bootstrap ? { bootstrap } : {}) };
}

const clusterPlansByName = new WeakMap<EnvironmentPlan, ReadonlyMap<string, ClusterPlan>>();

/**
 * The plan of the cluster named `name` (the first of that name), or undefined. Indexed once per
 * plan: the runbook asks once or more per cluster, and a scan each time made a fleet quadratic.
 */
export function clusterPlanNamed(plan: EnvironmentPlan, name: string): ClusterPlan | undefined {
  let byName = clusterPlansByName.get(plan);
  if (byName === undefined) {
    byName = new Map([...plan.clusters].reverse().map((clusterPlan) => [clusterPlan.cluster.name, clusterPlan]));
    clusterPlansByName.set(plan, byName);
  }
  return byName.get(name);
}

function remoteTarget(cluster: CapiCluster, management: Cluster): RemoteTarget {
  return { namespace: cluster.capi.namespace, kubeconfigSecret: `${cluster.name}-kubeconfig`, clusterUnit: clusterFluxName(cluster.name), management: management.name };
}

/** The variant a unit's app sees for a dependency `app`: its own kind if that app has one. */
export function serviceVariant(plan: ClusterPlan, app: string, kind: Variant['kind']): Variant | undefined {
  const variants = plan.units
    .filter((unit): unit is AppUnit => unit.kind === 'app' && unit.placement.app === app)
    .map((unit) => unit.variant);
  return sameKindOrProd(variants, kind);
}
