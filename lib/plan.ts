/**
 * The plan: an environment becomes clusters × units. A unit is one folder of `dist/` and one
 * Flux Kustomization; apps get one unit per variant. The plan fixes every path, every Flux name
 * and every dependency before any object is built, so layout and delivery agree by construction.
 */
import type { AppPlacement, Cluster, Environment } from './config/environment';
import { appState } from './config/environment';
import type { Variant } from './variant/rules';
import { variantsOf } from './variant/rules';

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
}

export type Unit = InfrastructureUnit | AppUnit;

export interface ClusterPlan {
  readonly cluster: Cluster;
  /** The cluster's entry folder: Flux is bootstrapped with `--path` here. */
  readonly entryPath: string;
  /** Units in dependency order: infrastructure, then prod apps, then twins. */
  readonly units: readonly Unit[];
}

export interface EnvironmentPlan {
  readonly env: Environment;
  readonly clusters: readonly ClusterPlan[];
}

/** What the plan needs to know of the charts: the apps each one needs first. */
export type ChartDependencies = (app: string) => readonly string[];

export function entryPath(env: Environment, cluster: Cluster): string {
  return `${env.name}/clusters/${cluster.name}`;
}

function appUnits(env: Environment, cluster: Cluster, chartDependencies: ChartDependencies, infrastructure: readonly string[]) {
  const variantsByApp = new Map(cluster.apps.map((app) => [app.app, variantsOf(env, cluster, app)]));
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
        path: `${env.name}/${cluster.name}/apps/${placement.app}/${variant.kind}`,
        fluxName: variant.name(placement.app),
        dependsOn: [...infrastructure, ...onProd, ...onDependencies],
      });
    }
  }
  const order = (unit: AppUnit) => (unit.variant.kind === 'prod' ? 0 : 1);
  return units.sort((a, b) => order(a) - order(b));
}

/** A twin whose dependency has no twin of its own uses the dependency's prod variant. */
function sameKindOrProd(variants: readonly Variant[], kind: Variant['kind']): Variant | undefined {
  return variants.find((variant) => variant.kind === kind) ?? variants[0];
}

export function planEnvironment(env: Environment, chartDependencies: ChartDependencies): EnvironmentPlan {
  return {
    env,
    clusters: env.clusters.map((cluster) => {
      const components = infrastructureOf(cluster);
      const infrastructure: InfrastructureUnit[] = components.map((component, index) => ({
        kind: 'infrastructure',
        component,
        path: `${env.name}/${cluster.name}/infrastructure/${component}`,
        fluxName: `infrastructure-${component}`,
        // Each component needs the one before it (the edge's balancers select Traefik's pods).
        dependsOn: index === 0 ? [] : [`infrastructure-${components[index - 1]}`],
      }));
      const infrastructureNames = infrastructure.map((unit) => unit.fluxName);
      return {
        cluster,
        entryPath: entryPath(env, cluster),
        units: [...infrastructure, ...appUnits(env, cluster, chartDependencies, infrastructureNames)],
      };
    }),
  };
}

/** The variant a unit's app sees for a dependency `app`: its own kind if that app has one. */
export function serviceVariant(plan: ClusterPlan, app: string, kind: Variant['kind']): Variant | undefined {
  const variants = plan.units
    .filter((unit): unit is AppUnit => unit.kind === 'app' && unit.placement.app === app)
    .map((unit) => unit.variant);
  return sameKindOrProd(variants, kind);
}
