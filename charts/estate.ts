/**
 * The composition root: an Environment becomes its units. It plans clusters × apps × variants,
 * renders each placed app's prod chart once, derives its twin with the variant engine, adds the
 * edge of each variant (route, balancer, DNS record), and builds the infrastructure and the
 * cluster entry with its Flux Kustomizations. It reads no file, no clock and no process
 * environment: the same Environment always yields the same objects.
 */
import { App, Chart } from 'cdk8s';
import { timePhase } from '../lib/bench/phases';
import { plainCopy, recordedMemo, type ReadSet } from '../lib/cache/reads';
import type { AppDefinition, AppProps, AppRegistry } from '../lib/app/definition';
import type { AppPlacement, Cluster, Environment } from '../lib/config/environment';
import { prodStorageClass } from '../lib/config/storage-roles';
import { Endpoint } from '../lib/constructs/endpoint';
import { argoPath, ArgoUnit, IN_CLUSTER_SERVER, syncWaves } from '../lib/constructs/argocd';
import { AddonRelease } from '../lib/constructs/addons/release';
import { CapiCluster } from '../lib/constructs/capi';
import { CapiProviderComponents } from '../lib/constructs/capi-providers';
import { FluxUnit } from '../lib/constructs/flux';
import { protectStateful } from '../lib/constructs/protect';
import { renderAll, type ApiObjectJson, type ComposedEnvironment, type ComposedUnit, type RenderedEnvironment, type RenderedUnit } from '../lib/model';
import { planEnvironment, serviceVariant, type AppUnit, type CapiClusterUnitPlan, type ClusterPlan, type RemoteTarget, type Unit } from '../lib/plan';
import { KUBECONFIG_KEY, type ClusterHealthCheck } from '../lib/plan-fleet';
import { refuseNotYetRendered } from '../lib/plan-not-yet';
import { twinOfApp } from '../lib/variant/app-twin';
import type { Variant } from '../lib/variant/rules';
import { attachAppScope } from '../lib/variant/scope';
import { stampVariant } from '../lib/variant/stamp';
import type { ObjectRef } from '../lib/variant/twin/types';
import { APPS } from './apps';
import { edge } from './infrastructure/edge';
import { storage } from './infrastructure/storage';
import { traefik } from './infrastructure/traefik';

const INFRASTRUCTURE = { storage, traefik, edge } as const;

/**
 * A unit's chart, in an App of its own: cdk8s resolves and validates the whole App on every
 * `toJson()`, so one App per (independent) unit keeps rendering linear in the estate's size.
 */
function chartFor(path: string): Chart {
  return new Chart(new App(), path.replaceAll('/', '.'), { disableResourceNameHashes: true });
}

/**
 * The objects cdk8s synthesizes from the chart `build` makes: building its constructs and
 * `toJson()`, timed as the bench's `charts` phase (the part of composing that is cdk8s's and the
 * constructs', not twinops' planning, twins and stamps).
 */
function synthesized(build: () => Chart): ApiObjectJson[] {
  return timePhase('charts', () => build().toJson() as ApiObjectJson[]);
}

/** What the environment gives a placed app's prod chart (see `AppProps`). */
function appProps(env: Environment, plan: ClusterPlan, placement: AppPlacement): AppProps {
  const { cluster } = plan;
  const where = `app ${placement.app} on cluster ${cluster.name}`;
  return {
    namespace: placement.namespace,
    disableResourceNameHashes: true,
    replicas: placement.replicas,
    // The loader has checked that an app reading these has them; the errors guard the engine.
    get host(): string {
      if (placement.host === undefined) throw new Error(`${where} reads its host, but its placement gives none`);
      return placement.host;
    },
    get secretStore() {
      if (env.secrets === undefined) throw new Error(`${where} reads the secret store, but the environment declares no \`secrets\``);
      // A plain copy: the chart may clone or freeze it, which the render cache's read-tracking proxy would refuse.
      return plainCopy(env.secrets);
    },
    storageClass: (role) => prodStorageClass(cluster, placement, role),
    serviceHost: (app, service) => {
      const target = serviceVariant(plan, app, 'prod');
      if (target === undefined) throw new Error(`${where} reaches ${app}, which is not placed on the cluster`);
      return target.namespace === placement.namespace ? service : `${service}.${target.namespace}.svc`;
    },
  };
}

/** An app's rendered prod objects, before any variant label: the input of both variants. */
type ProdObjects = (placement: AppPlacement) => readonly ApiObjectJson[];

function prodRenderer(env: Environment, plan: ClusterPlan, apps: AppRegistry): ProdObjects {
  // Shared by the prod unit and its twin: whichever renders first records what it read for both.
  const rendered = new Map<string, { readonly value: readonly ApiObjectJson[]; readonly reads: ReadSet }>();
  return (placement) =>
    recordedMemo(rendered, placement.app, () => {
      const definition = definitionOf(apps, placement.app);
      return synthesized(() => definition.chart(new App(), definition.name, appProps(env, plan, placement))).map(protectStateful);
    });
}

function definitionOf(apps: AppRegistry, app: string): AppDefinition {
  const definition = apps.get(app);
  if (definition === undefined) throw new Error(`no app named ${app} in the registry`);
  return definition;
}

/** The route, balancer and DNS record of a variant: the platform's, because activation moves them. */
function edgeObjects(unit: AppUnit, definition: AppDefinition): ApiObjectJson[] {
  const endpoint = definition.endpoint;
  if (endpoint === undefined) return [];
  return synthesized(() => {
    const chart = chartFor(`${unit.path}/edge`);
    attachAppScope(chart, { variant: unit.variant });
    new Endpoint(chart, 'endpoint', { service: unit.variant.name(endpoint.service), port: endpoint.port });
    return chart;
  });
}

/**
 * Prod Services of the apps `placement` depends on, split by whether that app has a twin where
 * this twin runs (`home`): references to a twinned peer follow its rename, an untwinned one
 * stays reachable.
 */
function dependencyServices(home: ClusterPlan, origin: ClusterPlan, placement: AppPlacement, apps: AppRegistry, prodOf: ProdObjects) {
  const dependencies = placement.dependsOn ?? definitionOf(apps, placement.app).dependsOn ?? [];
  const services = (twinned: boolean): ObjectRef[] =>
    dependencies.flatMap((dependency) => {
      const peer = origin.cluster.apps.find((candidate) => candidate.app === dependency);
      if (peer === undefined || (serviceVariant(home, dependency, 'dr')?.kind === 'dr') !== twinned) return [];
      return prodOf(peer)
        .filter((object) => object.kind === 'Service' && object.apiVersion === 'v1')
        .map((object) => ({ kind: 'Service', name: object.metadata.name, namespace: object.metadata.namespace ?? peer.namespace }));
    });
  return { peerServices: services(true), fixedServices: services(false) };
}

/** What rendering an app unit needs of the whole estate: its prod cluster's plan, prod objects and prod folder. */
interface ProdSide {
  plan(cluster: Cluster): ClusterPlan;
  objects(cluster: Cluster): ProdObjects;
  path(cluster: Cluster, app: string): string;
}

function prodSideOf(env: Environment, plans: readonly ClusterPlan[], apps: AppRegistry): ProdSide {
  const byName = new Map(plans.map((plan) => [plan.cluster.name, { plan, objects: prodRenderer(env, plan, apps) }]));
  const paths = new Map(
    plans.flatMap((plan) =>
      plan.units.flatMap((unit) => (unit.kind === 'app' && unit.variant.kind === 'prod' ? [[`${plan.cluster.name}/${unit.placement.app}`, unit.path] as const] : [])),
    ),
  );
  const of = (cluster: Cluster) => {
    const entry = byName.get(cluster.name);
    if (entry === undefined) throw new Error(`no plan for cluster ${cluster.name}`);
    return entry;
  };
  return { plan: (cluster) => of(cluster).plan, objects: (cluster) => of(cluster).objects, path: (cluster, app) => paths.get(`${cluster.name}/${app}`) ?? '' };
}

function renderApp(env: Environment, plan: ClusterPlan, unit: AppUnit, apps: AppRegistry, prodSide: ProdSide): RenderedUnit {
  const { placement, variant, origin } = unit;
  const definition = definitionOf(apps, placement.app);
  const prodOf = prodSide.objects(origin);
  const prod = prodOf(placement);
  const edgeOf = (of: Variant) => edgeObjects({ ...unit, variant: of }, definition);
  if (variant.kind === 'prod') {
    return { path: unit.path, objects: [...prod.map((object) => stampVariant(object, placement.app, 'prod')), ...edgeOf(variant)] };
  }
  const twin = twinOfApp({
    env,
    cluster: origin,
    placement,
    prod,
    ...dependencyServices(plan, prodSide.plan(origin), placement, apps, prodOf),
    ...(definition.twin?.declarations ? { declarations: definition.twin.declarations } : {}),
    ...(definition.twin?.shared ? { shared: definition.twin.shared } : {}),
  });
  const changed = Object.fromEntries(twin.objects.map(({ object, changed: paths }) => [`${object.kind}/${object.metadata.name}`, paths]));
  return {
    path: unit.path,
    objects: [...twin.objects.map(({ object }) => stampVariant(object, placement.app, 'dr')), ...edgeOf(variant)],
    twin: { prod: prodSide.path(origin, placement.app), changed, shared: twin.shared },
  };
}

/** What one unit's delivery object says, whichever engine delivers it. */
interface Delivery {
  readonly name: string;
  readonly path: string;
  readonly dependsOn: readonly string[];
  readonly timeout?: string;
  readonly healthCheckExprs?: readonly ClusterHealthCheck[];
  readonly suspend?: boolean;
}

function deliveriesOf(units: readonly Unit[], extra: readonly Delivery[] = []): Delivery[] {
  return [
    ...units.map((unit): Delivery => ({
      name: unit.fluxName,
      path: unit.path,
      dependsOn: unit.dependsOn,
      ...(unit.kind === 'capi-provider' ? { timeout: unit.timeout } : {}),
      ...(unit.kind === 'capi-cluster' ? { timeout: unit.timeout, healthCheckExprs: unit.healthCheckExprs, ...(unit.suspend ? { suspend: true } : {}) } : {}),
    })),
    ...extra,
  ];
}

/** A cluster entry delivered by Flux: one Kustomization per unit (remote ones through the cluster's kubeconfig). */
function fluxEntry(env: Environment, path: string, deliveries: readonly Delivery[], remote?: RemoteTarget): RenderedUnit {
  const objects = synthesized(() => {
    const chart = chartFor(path);
    for (const delivery of deliveries) {
      new FluxUnit(chart, delivery.name, {
        name: delivery.name,
        path: delivery.path,
        gitops: env.gitops,
        ...(remote
          ? {
              namespace: remote.namespace,
              kubeConfig: { secretRef: { name: remote.kubeconfigSecret, key: KUBECONFIG_KEY } },
              // The cluster must be Available first; the unit's own dependencies live beside it.
              dependsOn: [{ name: remote.clusterUnit, namespace: env.gitops.namespace }, ...delivery.dependsOn],
            }
          : { dependsOn: delivery.dependsOn }),
        ...(delivery.timeout ? { timeout: delivery.timeout } : {}),
        ...(delivery.healthCheckExprs ? { healthCheckExprs: delivery.healthCheckExprs.map((check) => ({ ...check })) } : {}),
        ...(delivery.suspend ? { suspend: true } : {}),
      });
    }
    return chart;
  });
  // A remote entry's Kustomizations live on the management cluster, beside the kubeconfig Secret.
  return { path, objects, ...(remote ? { appliedTo: `${env.name}/${remote.management}` } : {}) };
}

/** A cluster entry delivered by Argo CD: one Application per unit, in sync waves from the dependencies. */
function argoEntry(env: Environment, path: string, deliveries: readonly Delivery[]): RenderedUnit {
  const { repoURL } = env.gitops;
  if (repoURL === undefined) throw new Error(`environment ${env.name}: the Argo CD engine needs gitops.repoURL`);
  const source = { repoURL, revision: env.gitops.revision, project: env.gitops.project, namespace: env.gitops.namespace };
  const waves = syncWaves(deliveries.map((delivery) => ({ name: delivery.name, dependsOn: delivery.dependsOn })));
  const objects = synthesized(() => {
    const chart = chartFor(path);
    for (const delivery of deliveries) {
      new ArgoUnit(chart, delivery.name, {
        ...source,
        name: delivery.name,
        path: argoPath(env.gitops.pathPrefix, delivery.path),
        wave: waves.get(delivery.name) ?? 0,
        destination: { server: IN_CLUSTER_SERVER },
      });
    }
    return chart;
  });
  return { path, objects };
}

function renderEntry(env: Environment, plan: ClusterPlan): RenderedUnit {
  const deliveries = deliveriesOf(plan.units, plan.deliveries.map((unit) => ({ name: unit.fluxName, path: unit.path, dependsOn: unit.dependsOn, timeout: unit.timeout })));
  if (env.gitops.engine === 'argocd') return argoEntry(env, plan.entryPath, deliveries);
  return fluxEntry(env, plan.entryPath, deliveries, plan.remote);
}

/** The Cluster API objects of one cluster, built on the management cluster. */
function capiClusterObjects(env: Environment, unit: CapiClusterUnitPlan, management: Cluster): ApiObjectJson[] {
  const { target } = unit;
  const { capi } = target;
  return synthesized(() => {
    const chart = chartFor(unit.path);
    new CapiCluster(chart, 'cluster', {
      name: target.name,
      namespace: capi.namespace,
      infrastructure: capi.infrastructure,
      controlPlane: capi.controlPlane,
      kubernetes: capi.kubernetes,
      controlPlaneReplicas: capi.controlPlaneReplicas,
      workers: capi.workers,
      pods: capi.pods,
      services: capi.services,
      cni: capi.cni,
      ...(env.capi.cilium ? { ciliumVersion: env.capi.cilium } : {}),
      ...(target.region ? { region: target.region } : {}),
      protect: target.protect,
      ...(env.secrets ? { secretStore: env.secrets } : {}),
      ...(capi.openstack ? { openstack: capi.openstack } : {}),
      // CAPD inside the management cluster creates machines through the host's Docker.
      ...(target.name === management.name && capi.infrastructure === 'docker' ? { dockerSocket: true } : {}),
      // A workload cluster gets Flux's helm and source controllers: the HelmReleases delivered there reconcile there.
      ...(target.name === management.name ? {} : { fluxControllersVersion: env.capi.flux }),
    });
    return chart;
  });
}

function composeCluster(env: Environment, plan: ClusterPlan, apps: AppRegistry, prodSide: ProdSide): ComposedUnit[] {
  const render = (unit: Unit): RenderedUnit => {
    if (unit.kind === 'app') return renderApp(env, plan, unit, apps, prodSide);
    if (unit.kind === 'capi-cluster') return { path: unit.path, objects: capiClusterObjects(env, unit, plan.cluster) };
    const objects = synthesized(() => {
      const chart = chartFor(unit.path);
      if (unit.kind === 'addon') {
        new AddonRelease(chart, 'addon', unit.addon, { interval: env.gitops.interval });
      } else if (unit.kind === 'capi-provider') {
        new CapiProviderComponents(chart, 'provider', { provider: unit.provider.provider, source: unit.provider.source, namespace: env.gitops.namespace, interval: env.gitops.interval });
      } else {
        INFRASTRUCTURE[unit.component](chart, env, plan.cluster);
      }
      return chart;
    });
    return { path: unit.path, objects };
  };
  return [{ path: plan.entryPath, render: () => renderEntry(env, plan) }, ...plan.units.map((unit) => ({ path: unit.path, render: () => render(unit) }))];
}

/**
 * Plans every unit of an environment with the apps of `apps` (default: the registry of
 * `charts/apps`), each rendered when asked: the render cache asks only for units whose inputs
 * changed. Planning errors are thrown here; a chart's errors when its unit is rendered.
 */
export function composeUnits(env: Environment, apps: AppRegistry = APPS): ComposedEnvironment {
  refuseNotYetRendered(env);
  const plan = planEnvironment(env, (app) => apps.get(app)?.dependsOn ?? []);
  const prodSide = prodSideOf(env, plan.clusters, apps);
  const units = plan.clusters.flatMap((cluster) => composeCluster(env, cluster, apps, prodSide));
  // The temporary kind cluster's entry: the same provider and cluster folders, until the pivot.
  const { bootstrap } = plan;
  const bootstrapUnits: ComposedUnit[] = bootstrap ? [{ path: bootstrap.entryPath, render: () => fluxEntry(env, bootstrap.entryPath, deliveriesOf(bootstrap.units)) }] : [];
  return { environment: env.name, units: [...bootstrapUnits, ...units], plan };
}

/** Renders every unit of an environment with the apps of `apps` (default: the registry of `charts/apps`). */
export function composeEnvironment(env: Environment, apps: AppRegistry = APPS): RenderedEnvironment {
  return renderAll(composeUnits(env, apps));
}
