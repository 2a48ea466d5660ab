/**
 * The storage classes of a cluster, with the DR twins the variant rules derive: a prod class
 * whose DR name (the environment's map, else `<class>-dr`) is not itself declared gets a twin
 * pinned to the DR node, with the prod parameters overridden by the class's `dr.parameters`.
 */
import type { Cluster, Environment, Node, StorageClass } from '../config/environment';
import type { VariantKind } from './rules';
import { drNode, drStorageClass } from './rules';

/** A storage class to render, resolved to the node it is pinned to. */
export interface StorageClassPlan {
  readonly name: string;
  readonly variant: VariantKind;
  readonly provisioner: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly reclaimPolicy: 'Retain' | 'Delete';
  readonly volumeBindingMode: 'WaitForFirstConsumer' | 'Immediate';
  readonly allowVolumeExpansion?: boolean;
  /** The node the class's volumes are pinned to. Default: unpinned. */
  readonly node?: Node;
  /** For a DR twin: the prod class it mirrors. */
  readonly twinOf?: string;
}

function nodeNamed(cluster: Cluster, name: string | undefined): Node | undefined {
  return name === undefined ? undefined : cluster.nodes.find((node) => node.name === name);
}

function prodPlan(cluster: Cluster, sc: StorageClass): StorageClassPlan {
  const node = nodeNamed(cluster, sc.node);
  return {
    name: sc.name,
    variant: 'prod',
    provisioner: sc.provisioner,
    parameters: sc.parameters,
    reclaimPolicy: sc.reclaimPolicy,
    volumeBindingMode: sc.volumeBindingMode,
    ...(sc.allowVolumeExpansion === undefined ? {} : { allowVolumeExpansion: sc.allowVolumeExpansion }),
    ...(node ? { node } : {}),
  };
}

function twinPlan(env: Environment, cluster: Cluster, sc: StorageClass): StorageClassPlan {
  const prod = prodPlan(cluster, sc);
  // A class with no node pin provisions wherever the pod lands; its twin stays unpinned too.
  const pinned = sc.node === undefined ? {} : { node: drNode(cluster) };
  const { node: _prodNode, ...rest } = prod;
  return {
    ...rest,
    ...pinned,
    name: drStorageClass(env, sc.name),
    variant: 'dr',
    parameters: { ...sc.parameters, ...sc.dr?.parameters },
    twinOf: sc.name,
  };
}

/**
 * Every storage class of the cluster: declared ones first, then derived twins, in declared order.
 * A declared class that is another class's DR class (`ceph: ceph-dr` in `dr.storageClasses`)
 * already serves the twins: it gets no twin of its own, which no claim would ever use.
 */
export function storageClassesOf(env: Environment, cluster: Cluster): StorageClassPlan[] {
  const declared = new Set(cluster.storageClasses.map((sc) => sc.name));
  const drTargets = new Set(
    cluster.storageClasses.map((sc) => drStorageClass(env, sc.name)).filter((target, i) => target !== cluster.storageClasses[i]?.name),
  );
  // Derived DR classes are pinned to the DR node; a cluster without one (a prod cluster whose
  // twins run elsewhere, or a DR cluster) must declare the classes its twins claim (checked).
  const hasTwins = cluster.dr?.node !== undefined;
  const twins = hasTwins
    ? cluster.storageClasses.filter((sc) => !declared.has(drStorageClass(env, sc.name)) && !drTargets.has(sc.name))
    : [];
  return [
    ...cluster.storageClasses.map((sc) => prodPlan(cluster, sc)),
    ...twins.map((sc) => twinPlan(env, cluster, sc)),
  ];
}
