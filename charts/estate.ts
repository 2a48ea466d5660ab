/**
 * The composition root: an Environment becomes its units. It plans clusters × apps × variants,
 * builds one cdk8s chart per unit (infrastructure, each app variant, the cluster entry with its
 * Flux Kustomizations) and returns their API objects. It reads no file, no clock and no process
 * environment: the same Environment always yields the same objects.
 */
import { App, Chart } from 'cdk8s';
import type { Environment } from '../lib/config/environment';
import { FluxUnit } from '../lib/constructs/flux';
import type { ApiObjectJson, RenderedEnvironment, RenderedUnit } from '../lib/model';
import { planEnvironment, serviceVariant, type AppUnit, type ClusterPlan, type Unit } from '../lib/plan';
import { attachAppScope } from '../lib/variant/scope';
import { APP_CHARTS } from './catalog';
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

function objectsOf(chart: Chart): ApiObjectJson[] {
  return chart.toJson() as ApiObjectJson[];
}

function renderApp(env: Environment, plan: ClusterPlan, unit: AppUnit): RenderedUnit {
  const chart = chartFor(unit.path);
  const appChart = APP_CHARTS.get(unit.placement.app);
  if (appChart === undefined) throw new Error(`no chart named ${unit.placement.app}`);
  const { variant } = unit;
  attachAppScope(chart, {
    variant,
    serviceHost: (dependency, service) => {
      const target = serviceVariant(plan, dependency, variant.kind);
      if (target === undefined) throw new Error(`${unit.placement.app} refers to ${dependency}, which is not placed on ${plan.cluster.name}`);
      const name = target.name(service);
      return target.namespace === variant.namespace ? name : `${name}.${target.namespace}.svc`;
    },
    ...(env.secrets ? { secretStore: env.secrets } : {}),
  });
  appChart.render(chart, variant.identityHost === undefined ? {} : { host: variant.identityHost });
  return { path: unit.path, objects: objectsOf(chart) };
}

function renderUnit(env: Environment, plan: ClusterPlan, unit: Unit): RenderedUnit {
  if (unit.kind === 'app') return renderApp(env, plan, unit);
  const chart = chartFor(unit.path);
  INFRASTRUCTURE[unit.component](chart, env, plan.cluster);
  return { path: unit.path, objects: objectsOf(chart) };
}

function renderEntry(env: Environment, plan: ClusterPlan): RenderedUnit {
  const chart = chartFor(plan.entryPath);
  for (const unit of plan.units) {
    new FluxUnit(chart, unit.fluxName, {
      name: unit.fluxName,
      path: unit.path,
      dependsOn: unit.dependsOn,
      gitops: env.gitops,
    });
  }
  return { path: plan.entryPath, objects: objectsOf(chart) };
}

/** Renders every unit of an environment. */
export function composeEnvironment(env: Environment): RenderedEnvironment {
  const plan = planEnvironment(env, (app) => APP_CHARTS.get(app)?.dependsOn ?? []);
  const units = plan.clusters.flatMap((cluster) => [
    renderEntry(env, cluster),
    ...cluster.units.map((unit) => renderUnit(env, cluster, unit)),
  ]);
  return { environment: env.name, units, documents: [] };
}
