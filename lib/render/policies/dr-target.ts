/**
 * What the positive DR policies check rendered objects against, read from the environment model
 * and never from the objects: each cluster's DR node and the storage classes it renders, and
 * which units and releases hold prod pods and which hold DR pods.
 */
import { recordedMemo, type ReadSet } from '../../cache/reads';
import type { Cluster, Environment, Node } from '../../config/environment';
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { clusterByName, drStorageClass, hostedTwins } from '../../variant/rules';
import { storageClassesOf, type StorageClassPlan } from '../../variant/storage';
import { clusterOf } from './problem';

export type Side = 'prod' | 'dr';

/** A cluster's DR facts, from the environment. */
export interface ClusterTarget {
  readonly cluster: Cluster;
  /** The DR node; absent on a cluster with no DR target (it renders no twins). */
  readonly drNode?: Node;
  /** Every storage class rendered for the cluster, by name. */
  readonly classes: ReadonlyMap<string, StorageClassPlan>;
  /** The DR class of each class the cluster, or a cluster whose twins it runs, declares: the classes DR claims may use. */
  readonly drClasses: ReadonlySet<string>;
}

/**
 * The DR facts of a unit's cluster (keyed like `clusterOf`, `env/cluster`); undefined for a unit
 * of a cluster the environment lacks. Built once per cluster and environment, and recorded for
 * the unit cache per cluster: a unit's checks read its own cluster's facts (and the clusters
 * whose twins it runs), so a change to another cluster leaves its answers standing, and a one-app
 * change builds the facts of one cluster, not of the estate (28 ms on the bench fleet).
 */
export function targetOf(env: Environment, unit: RenderedUnit): ClusterTarget | undefined {
  let byCluster = targetsOf.get(env);
  if (byCluster === undefined) {
    byCluster = new Map();
    targetsOf.set(env, byCluster);
  }
  const key = clusterOf(unit);
  return recordedMemo(byCluster, key, () => buildClusterTarget(env, key));
}

const targetsOf = new WeakMap<Environment, Map<string, { readonly value: ClusterTarget | undefined; readonly reads: ReadSet }>>();

function buildClusterTarget(env: Environment, key: string): ClusterTarget | undefined {
  // Looked up by name, not found by a scan: a scan per cluster made a fleet's policies (and the
  // reads its cache checks) quadratic, 370 clusters reading 137,000 names (measured).
  const prefix = `${env.name}/`;
  const cluster = key.startsWith(prefix) ? clusterByName(env, key.slice(prefix.length)) : undefined;
  if (cluster === undefined) return undefined;
  const drNode = cluster.nodes.find((node) => node.name === cluster.dr?.node);
  // Twins other clusters send here claim the DR classes of their prod cluster's classes.
  const prodClusters = [cluster, ...new Set(hostedTwins(env, cluster).map((twin) => twin.origin))];
  return {
    cluster,
    ...(drNode ? { drNode } : {}),
    classes: new Map(storageClassesOf(env, cluster).map((plan) => [plan.name, plan])),
    drClasses: new Set(prodClusters.flatMap((prod) => prod.storageClasses.map((sc) => drStorageClass(env, sc.name)))),
  };
}

const APP_UNIT = /^[^/]+\/[^/]+\/apps\/([^/]+)\/(prod|dr)$/;

/** The app and side of an app unit (`<env>/<cluster>/apps/<app>/<prod|dr>`); undefined for other units. */
export function appUnitOf(unit: RenderedUnit): { readonly app: string; readonly side: Side } | undefined {
  const match = APP_UNIT.exec(unit.path);
  return match ? { app: match[1]!, side: match[2] as Side } : undefined;
}

/**
 * The side of a cluster's Traefik release, by the edge the environment declares (its release is
 * named after the instance, in the edge namespace); undefined for any other object.
 */
export function traefikSideOf(target: ClusterTarget, object: ApiObjectJson): Side | undefined {
  const edge = target.cluster.edge;
  if (edge === undefined || object.kind !== 'HelmRelease' || !object.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) return undefined;
  if (object.metadata.namespace !== edge.namespace) return undefined;
  if (object.metadata.name === edge.dr.name) return 'dr';
  if (object.metadata.name === edge.prod.name) return 'prod';
  return undefined;
}
