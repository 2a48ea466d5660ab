/**
 * Checks of twins that run on another cluster (fleet.md §C.5 items 1–4): the DR cluster a
 * cluster or an app names exists and is another cluster, in another region when both say
 * theirs, runs the twins of the twin's dependencies too, and declares the storage classes the
 * twin claims. (Twins on a DR node of their own cluster are checked in `./semantic-placement.ts`
 * and `./semantic-storage.ts`.)
 */
import { twinClusterOf, type Cluster, type Environment } from './environment';
import type { ConfigPath } from './errors';
import { finding, quote, type CheckContext } from './semantic-context';
import { resolveStorageRole } from './storage-roles';
import { didYouMean, oneOf } from './wording';

const appPath = (c: number, j: number): ConfigPath => ['clusters', c, 'apps', j];

/** Clusters by name, the first of duplicates (as `clusters.find` would): one index, not a scan per app. */
type ClustersByName = ReadonlyMap<string, Cluster>;

function clustersByName(env: Environment): ClustersByName {
  const byName = new Map<string, Cluster>();
  for (const cluster of env.clusters) if (!byName.has(cluster.name)) byName.set(cluster.name, cluster);
  return byName;
}

export function checkFleetDr(context: CheckContext): void {
  const byName = clustersByName(context.env);
  context.env.clusters.forEach((cluster, c) => {
    if (cluster.dr?.cluster !== undefined) {
      checkTarget(context, byName, cluster, cluster.dr.cluster, ['clusters', c, 'dr', 'cluster'], `the twins of cluster ${quote(cluster.name)}`);
    }
    cluster.apps.forEach((app, j) => {
      if (app.dr.cluster !== undefined) {
        checkTarget(context, byName, cluster, app.dr.cluster, [...appPath(c, j), 'dr', 'cluster'], `the twin of ${app.app}`);
      }
    });
    checkTwinDependencies(context, cluster, c);
    checkTwinStorage(context, byName, cluster, c);
  });
  checkTwinCollisions(context, byName);
}

/**
 * A DR cluster runs each app once: a twin sent to it must not meet the cluster's own placement of
 * the same app, nor another cluster's twin of it (one folder `apps/<app>/dr`, one `<app>-dr` unit).
 */
function checkTwinCollisions(context: CheckContext, byName: ClustersByName): void {
  const { clusters } = context.env;
  const sentBy = new Map<string, string>();
  clusters.forEach((cluster, c) => {
    cluster.apps.forEach((app, j) => {
      const target = twinClusterOf(cluster, app);
      if (target === undefined || target === cluster.name) return;
      const drCluster = byName.get(target);
      if (drCluster === undefined) return;
      const path = [...appPath(c, j), 'dr'];
      if (drCluster.apps.some((own) => own.app === app.app)) {
        const lead = `the twin of ${app.app} would run on cluster ${quote(target)}, which places ${app.app} itself: one cluster runs an app once`;
        context.report(path, finding(`a DR cluster that does not place ${app.app}`, quote(target), lead));
        return;
      }
      const key = `${target}/${app.app}`;
      const first = sentBy.get(key);
      if (first !== undefined) {
        const lead = `the twin of ${app.app} would run on cluster ${quote(target)}, which already runs the twin of ${app.app} from cluster ${quote(first)}`;
        context.report(path, finding(`a DR cluster that runs no other twin of ${app.app}`, quote(target), lead));
        return;
      }
      sentBy.set(key, cluster.name);
    });
  });
}

/** The DR cluster named at `path` exists, is not the prod cluster, and lies in another region. */
function checkTarget(context: CheckContext, byName: ClustersByName, cluster: Cluster, target: string, path: ConfigPath, twins: string): void {
  // Listed only for a problem: on every call it would make a fleet's check quadratic.
  const others = () => context.env.clusters.map((other) => other.name).filter((name) => name !== cluster.name);
  if (target === cluster.name) {
    const lead = `${twins} must run on another cluster than their prod cluster ${quote(cluster.name)}, or a failure takes both`;
    context.report(path, finding(oneOf(others()), quote(target), lead));
    return;
  }
  const drCluster = byName.get(target);
  if (drCluster === undefined) {
    context.report(path, finding(oneOf(others()), quote(target), `unknown cluster${didYouMean(target, others())}`));
    return;
  }
  if (cluster.region === undefined || drCluster.region !== cluster.region) return;
  const elsewhere = context.env.clusters.filter((other) => other.region !== undefined && other.region !== cluster.region).map((other) => other.name);
  const lead = `${twins} would run in region ${quote(cluster.region)}, the region of their prod cluster ${quote(cluster.name)}: losing the region would take both`;
  const expected = elsewhere.length === 0 ? `a cluster in another region than ${quote(cluster.region)} (none is declared)` : `a cluster in another region: ${elsewhere.join(', ')}`;
  context.report(path, finding(expected, quote(target), lead));
}

/**
 * A twin on another cluster cannot wait for prod units (another cluster's entry delivers them):
 * the apps it depends on must have their twins on the same DR cluster.
 */
function checkTwinDependencies(context: CheckContext, cluster: Cluster, c: number): void {
  cluster.apps.forEach((app) => {
    const target = twinClusterOf(cluster, app);
    if (target === undefined || target === cluster.name) return;
    for (const dependency of app.dependsOn ?? context.catalog.get(app.app)?.dependsOn ?? []) {
      const k = cluster.apps.findIndex((other) => other.app === dependency);
      const placed = cluster.apps[k];
      // A dependency not placed on the cluster is reported by the dependency check.
      if (placed === undefined) continue;
      const its = twinClusterOf(cluster, placed);
      if (its === target) continue;
      const lead = `the twin of ${app.app} on cluster ${quote(target)} needs the twin of ${dependency} on cluster ${quote(target)}`;
      const given = its === undefined ? `${dependency} without a twin` : `the twin of ${dependency} on cluster ${quote(its)}`;
      context.report([...appPath(c, k), 'dr'], finding(`dr on ${dependency} with its twin on cluster ${quote(target)}`, given, lead));
    }
  });
}

/** The DR class of each class a twin's chart claims is declared by the cluster the twin runs on. */
function checkTwinStorage(context: CheckContext, byName: ClustersByName, cluster: Cluster, c: number): void {
  const { env, catalog } = context;
  cluster.apps.forEach((app, j) => {
    const target = twinClusterOf(cluster, app);
    const drCluster = target === undefined ? undefined : byName.get(target);
    if (drCluster === undefined || drCluster === cluster) return;
    const declared = drCluster.storageClasses.map((sc) => sc.name);
    const reported = new Set<string>();
    for (const role of catalog.get(app.app)?.storageRoles ?? []) {
      const prodClass = resolveStorageRole(cluster, app, role)?.storageClass;
      // A role without a class is reported by the storage checks.
      if (prodClass === undefined) continue;
      const twinClass = env.dr.storageClasses[prodClass] ?? `${prodClass}${env.dr.suffix}`;
      if (declared.includes(twinClass) || reported.has(twinClass)) continue;
      reported.add(twinClass);
      const lead = `the twin of ${app.app} on cluster ${quote(drCluster.name)} claims storage class ${quote(twinClass)} (DR class of ${quote(prodClass)}, role ${role}), which cluster ${quote(drCluster.name)} does not declare`;
      const expected = declared.length === 0
        ? `a storage class declared on cluster ${quote(drCluster.name)} (it declares none)`
        : `a storage class declared on cluster ${quote(drCluster.name)}: ${declared.join(', ')}`;
      context.report([...appPath(c, j), 'dr'], finding(expected, quote(twinClass), lead));
    }
  });
}

