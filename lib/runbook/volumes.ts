/**
 * The prod/twin claim pairs of an app, read from the rendered PersistentVolumeClaims, and how
 * data moves between them: which copy method the storage classes allow, on which nodes, in
 * which ZFS datasets.
 */
import type { ApiObjectJson } from '../model';
import { LABEL, drName } from '../variant/rules';
import type { StorageClassPlan } from '../variant/storage';
import type { AppFacts, ClusterFacts } from './facts';
import { objectsOfKind, storageClassNamed } from './facts';
import { text } from './markdown';

export const ZFS_PROVISIONER = 'zfs.csi.openebs.io';
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
/** Where the local-path provisioner keeps its folders (its default `nodePathMap`). */
export const LOCAL_PATH_ROOT = '/opt/local-path-provisioner';

/**
 * How a twin's data is refreshed: a ZFS clone of the replica already on the DR node, a ZFS send
 * from the prod node, an rsync of local-path folders, or a pod that mounts both claims.
 */
export type CopyMethod = 'zfs-clone' | 'zfs-send' | 'rsync' | 'pod';

export const METHOD_LABEL: Readonly<Record<CopyMethod, string>> = {
  'zfs-clone': 'zfs clone',
  'zfs-send': 'zfs send',
  rsync: 'rsync',
  pod: 'copy pod',
};

/** One claim as rendered, with its storage class resolved. */
export interface Claim {
  readonly name: string;
  readonly namespace: string;
  readonly size: string;
  readonly storageClass: string;
  readonly classPlan?: StorageClassPlan;
  /** The node its volume lives on, when the class pins it. */
  readonly node?: string;
  /** Its ZFS pool dataset (`poolname`), for ZFS classes. */
  readonly pool?: string;
}

export interface VolumePair {
  readonly app: string;
  readonly prod: Claim;
  /** Absent when the render has no twin claim for it (the parity policy forbids that). */
  readonly twin?: Claim;
  /** Absent without a twin. */
  readonly method?: CopyMethod;
  /** The replica of the prod volumes on the DR node, for `zfs-clone`. */
  readonly replicaDataset?: string;
}

type Pvc = ApiObjectJson & { spec?: { storageClassName?: string; resources?: { requests?: { storage?: string } } } };

function claimOf(facts: ClusterFacts, pvc: Pvc, namespace: string, fallbackNode?: string): Claim {
  const storageClass = pvc.spec?.storageClassName ?? '';
  const classPlan = storageClassNamed(facts, storageClass);
  const node = classPlan?.node?.name ?? fallbackNode;
  const pool = classPlan?.parameters['poolname'];
  return {
    name: pvc.metadata.name,
    namespace: pvc.metadata.namespace ?? namespace,
    size: pvc.spec?.resources?.requests?.storage ?? '',
    storageClass,
    ...(classPlan ? { classPlan } : {}),
    ...(node ? { node } : {}),
    ...(pool ? { pool } : {}),
  };
}

function methodOf(prod: Claim, twin: Claim, replicaDataset: string | undefined): CopyMethod {
  const provisioners = [prod.classPlan?.provisioner, twin.classPlan?.provisioner];
  if (provisioners.every((provisioner) => provisioner === ZFS_PROVISIONER) && prod.pool && twin.pool) {
    return replicaDataset ? 'zfs-clone' : 'zfs-send';
  }
  if (provisioners.every((provisioner) => provisioner === LOCAL_PATH_PROVISIONER)) return 'rsync';
  return 'pod';
}

/** Pairs per app, computed once: every section asks for them. */
const pairsOf = new WeakMap<AppFacts, readonly VolumePair[]>();

/** The claim pairs of an app in rendered order: prod claim, its twin by name label, else by `-dr` name. */
export function volumePairs(facts: ClusterFacts, app: AppFacts): readonly VolumePair[] {
  const known = pairsOf.get(app);
  if (known !== undefined) return known;
  const pairs = pairClaims(facts, app);
  pairsOf.set(app, pairs);
  return pairs;
}

function pairClaims(facts: ClusterFacts, app: AppFacts): VolumePair[] {
  const prodClaims = objectsOfKind(app.prod, 'PersistentVolumeClaim') as Pvc[];
  const twinClaims = app.twin ? (objectsOfKind(app.twin, 'PersistentVolumeClaim') as Pvc[]) : [];
  return prodClaims.map((pvc) => {
    const prod = claimOf(facts, pvc, app.prod.variant.namespace);
    const base = pvc.metadata.labels?.[LABEL.name];
    const twinPvc =
      twinClaims.find((candidate) => base !== undefined && candidate.metadata.labels?.[LABEL.name] === base) ??
      twinClaims.find((candidate) => candidate.metadata.name === drName(facts.env, pvc.metadata.name));
    if (twinPvc === undefined || app.twin === undefined) return { app: app.placement.app, prod };
    // Twin pods are pinned to the DR node, so an unpinned twin class provisions there too.
    const twin = claimOf(facts, twinPvc, app.twin.variant.namespace, facts.drNode?.name);
    const replicaDataset = facts.cluster.storageClasses.find((sc) => sc.name === prod.storageClass)?.dr?.replicaDataset;
    const method = methodOf(prod, twin, replicaDataset);
    return { app: app.placement.app, prod, twin, method, ...(method === 'zfs-clone' && replicaDataset ? { replicaDataset } : {}) };
  });
}

/** A claim's storage class as the pair table shows it (Markdown): `zfs-storage-znvm (zfs.csi.openebs.io, on hassio)`. */
export function describeClass(claim: Claim): string {
  const provisioner = claim.classPlan ? text(claim.classPlan.provisioner) : 'not rendered by twinops';
  const details = [provisioner, ...(claim.classPlan?.node ? [`on ${text(claim.classPlan.node.name)}`] : [])];
  return `${text(claim.storageClass)} (${details.join(', ')})`;
}
