/**
 * The prod/twin claim pairs of an app, read from the rendered PersistentVolumeClaims, and how
 * data moves between them: which copy method the storage classes allow, on which nodes, in
 * which ZFS datasets.
 */
import { recordedMemo, type MemoStore } from '../cache/reads';
import { deliveryCommands, type DeliveryCommands } from './delivery';
import { clusterDelivery } from './delivery-site';
import { snapshotSchedulesOf } from '../constructs/volume-snapshots';
import type { ApiObjectJson } from '../model';
import { LABEL, drName } from '../variant/rules';
import type { StorageClassPlan } from '../variant/storage';
import type { AppFacts, ClusterFacts, SiteFacts, VariantFacts } from './facts';
import { objectsOfKind, storageClassNamed } from './facts';
import { text } from './markdown';

export const ZFS_PROVISIONER = 'zfs.csi.openebs.io';
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
/** Where the local-path provisioner keeps its folders (its default `nodePathMap`). */
export const LOCAL_PATH_ROOT = '/opt/local-path-provisioner';

/**
 * CSI drivers that take VolumeSnapshots and provision a claim from one (`dataSource`). Drivers
 * of node-local folders (local-path, hostPath) take none. A driver missing here only loses the
 * no-downtime route: its claims are copied with prod's writers stopped.
 */
export const SNAPSHOT_PROVISIONERS: ReadonlySet<string> = new Set([
  'rbd.csi.ceph.com',
  'cephfs.csi.ceph.com',
  'driver.longhorn.io',
  'ebs.csi.aws.com',
  'pd.csi.storage.gke.io',
  'disk.csi.azure.com',
  ZFS_PROVISIONER,
]);

/**
 * How a twin's data is refreshed: a ZFS clone of the replica already on the DR node, a ZFS send
 * from the prod node, an rsync of local-path folders, a CSI snapshot of the prod claim restored
 * as the twin's claim, a pod that mounts both claims while their writers are stopped, or, for a
 * twin on another cluster, a tar stream between a helper pod on each cluster (any class:
 * nothing else reaches volumes in two clusters).
 */
export type CopyMethod = 'zfs-clone' | 'zfs-send' | 'rsync' | 'csi-snapshot' | 'pod' | 'stream';

export const METHOD_LABEL: Readonly<Record<CopyMethod, string>> = {
  'zfs-clone': 'zfs clone',
  'zfs-send': 'zfs send',
  rsync: 'rsync',
  'csi-snapshot': 'CSI snapshot',
  pod: 'copy pod',
  stream: 'tar stream between clusters',
};

/** A Deployment or StatefulSet that mounts a claim, as rendered. */
export interface Writer {
  /** `deployment` or `statefulset`, as kubectl names the kind. */
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** `spec.replicas` as rendered, the count Git holds; Kubernetes defaults an absent one to 1. */
  readonly replicas: number;
  /** `spec.selector.matchLabels`: selects its pods. Empty when the object has none. */
  readonly podLabels: Readonly<Record<string, string>>;
}

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
  /** The claim as rendered: a restore recreates it from these fields, so Flux sees no drift. */
  readonly object: ApiObjectJson;
  /** The workloads of its variant that mount it, in rendered order. */
  readonly writers: readonly Writer[];
}

/** The Flux Kustomizations that apply a pair's claims, for suspending them around a copy. */
export interface PairUnits {
  /** Flux name of the prod unit. */
  readonly prod: string;
  /** Flux name of the twin unit. */
  readonly twin: string;
  /** Namespace of the Flux objects (`gitops.namespace`). */
  /** The engine's commands to stop, resume and apply these units. */
  readonly delivery: DeliveryCommands;
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
  /** Absent without a twin. */
  readonly units?: PairUnits;
  /** For `stream`: the kubectl contexts of the prod cluster and of the twin's. */
  readonly contexts?: { readonly prod: string; readonly twin: string };
  /**
   * For `csi-snapshot`: the VolumeSnapshotClass twinops renders for the prod claim's driver (the
   * claim's own class's schedule first). Absent when the environment renders none: the runbook
   * then asks for the cluster's own.
   */
  readonly snapshotClass?: string;
}

/** The VolumeSnapshotClass rendered for `prod`'s driver, if a snapshot schedule renders one. */
function renderedSnapshotClass(facts: ClusterFacts, prod: Claim): string | undefined {
  const schedules = snapshotSchedulesOf(facts.cluster);
  const own = schedules.find((schedule) => schedule.storageClass === prod.storageClass);
  return (own ?? schedules.find((schedule) => schedule.driver === prod.classPlan?.provisioner))?.snapshotClass;
}

type Pvc = ApiObjectJson & { spec?: { storageClassName?: string; resources?: { requests?: { storage?: string } } } };

interface PodTemplateOwner {
  spec?: {
    replicas?: unknown;
    selector?: { matchLabels?: Record<string, string> };
    template?: { spec?: { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } };
  };
}

/** The Deployments and StatefulSets of `variant` whose pod template mounts the claim `name` in `namespace`. */
function writersOf(variant: VariantFacts, name: string, namespace: string): Writer[] {
  return variant.objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet')
    .filter((object) => (object.metadata.namespace ?? variant.variant.namespace) === namespace)
    .flatMap((object) => {
      const spec = (object as PodTemplateOwner).spec;
      const mounts = spec?.template?.spec?.volumes?.some((volume) => volume.persistentVolumeClaim?.claimName === name) ?? false;
      if (!mounts) return [];
      return [
        {
          kind: object.kind.toLowerCase(),
          name: object.metadata.name,
          namespace,
          replicas: typeof spec?.replicas === 'number' ? spec.replicas : 1,
          podLabels: spec?.selector?.matchLabels ?? {},
        },
      ];
    });
}

function claimOf(facts: SiteFacts, variant: VariantFacts, pvc: Pvc, fallbackNode?: string): Claim {
  const namespace = variant.variant.namespace;
  const storageClass = pvc.spec?.storageClassName ?? '';
  const classPlan = storageClassNamed(facts, storageClass);
  const node = classPlan?.node?.name ?? fallbackNode;
  const pool = classPlan?.parameters['poolname'];
  const claimNamespace = pvc.metadata.namespace ?? namespace;
  return {
    name: pvc.metadata.name,
    namespace: claimNamespace,
    size: pvc.spec?.resources?.requests?.storage ?? '',
    storageClass,
    ...(classPlan ? { classPlan } : {}),
    ...(node ? { node } : {}),
    ...(pool ? { pool } : {}),
    object: pvc,
    writers: writersOf(variant, pvc.metadata.name, claimNamespace),
  };
}

/**
 * One rule for network storage: the snapshot route where the driver takes CSI snapshots (prod
 * keeps running: no downtime), the copy pod with prod's writers stopped otherwise. The snapshot
 * route needs one driver on both sides (a claim is restored only by the driver that took the
 * snapshot) and one namespace (a `dataSource` names a snapshot of the claim's own namespace).
 */
function methodOf(prod: Claim, twin: Claim, replicaDataset: string | undefined): CopyMethod {
  const provisioners = [prod.classPlan?.provisioner, twin.classPlan?.provisioner];
  if (provisioners.every((provisioner) => provisioner === ZFS_PROVISIONER) && prod.pool && twin.pool) {
    return replicaDataset ? 'zfs-clone' : 'zfs-send';
  }
  if (provisioners.every((provisioner) => provisioner === LOCAL_PATH_PROVISIONER)) return 'rsync';
  const [prodDriver, twinDriver] = provisioners;
  const snapshots = prodDriver !== undefined && prodDriver === twinDriver && SNAPSHOT_PROVISIONERS.has(prodDriver);
  return snapshots && prod.namespace === twin.namespace ? 'csi-snapshot' : 'pod';
}

/** Pairs per app, computed once: every section asks for them. */
const pairsOf: MemoStore<AppFacts, readonly VolumePair[]> = new WeakMap();

/** The claim pairs of an app in rendered order: prod claim, its twin by name label, else by `-dr` name. */
export function volumePairs(facts: ClusterFacts, app: AppFacts): readonly VolumePair[] {
  return recordedMemo(pairsOf, app, () => pairClaims(facts, app));
}

function pairClaims(facts: ClusterFacts, app: AppFacts): VolumePair[] {
  const prodClaims = objectsOfKind(app.prod, 'PersistentVolumeClaim') as Pvc[];
  const twinClaims = app.twin ? (objectsOfKind(app.twin, 'PersistentVolumeClaim') as Pvc[]) : [];
  return prodClaims.map((pvc) => {
    const prod = claimOf(facts, app.prod, pvc);
    const base = pvc.metadata.labels?.[LABEL.name];
    const twinPvc =
      twinClaims.find((candidate) => base !== undefined && candidate.metadata.labels?.[LABEL.name] === base) ??
      twinClaims.find((candidate) => candidate.metadata.name === drName(facts.env, pvc.metadata.name));
    if (twinPvc === undefined || app.twin === undefined) return { app: app.placement.app, prod };
    // The twin's classes are those of the cluster it runs on. Twin pods are pinned to that
    // cluster's DR node when it has one, so an unpinned twin class provisions there too.
    const site = app.twinSite ?? facts;
    const twin = claimOf(site, app.twin, twinPvc, site.drNode?.name);
    const elsewhere = site.cluster !== facts.cluster;
    // A replica on the DR node serves only a twin on that node's cluster.
    const replicaDataset = elsewhere ? undefined : facts.cluster.storageClasses.find((sc) => sc.name === prod.storageClass)?.dr?.replicaDataset;
    const method = elsewhere ? 'stream' : methodOf(prod, twin, replicaDataset);
    // Across clusters, the commands name contexts; the copy stops prod's writers through prod's unit.
    const delivery = elsewhere ? clusterDelivery(facts.env, facts.cluster.name).commands : deliveryCommands(facts.env.gitops);
    const units = { prod: app.prod.fluxName, twin: app.twin.fluxName, delivery };
    const snapshotClass = method === 'csi-snapshot' ? renderedSnapshotClass(facts, prod) : undefined;
    return {
      app: app.placement.app,
      prod,
      twin,
      method,
      units,
      ...(method === 'zfs-clone' && replicaDataset ? { replicaDataset } : {}),
      ...(snapshotClass ? { snapshotClass } : {}),
      // Contexts are named after the clusters (./contexts.ts): a stream names both.
      ...(elsewhere ? { contexts: { prod: facts.cluster.name, twin: site.cluster.name } } : {}),
    };
  });
}

/** A claim's storage class as the pair table shows it (Markdown): `zfs-storage-znvm (zfs.csi.openebs.io, on hassio)`. */
export function describeClass(claim: Claim): string {
  const provisioner = claim.classPlan ? text(claim.classPlan.provisioner) : 'not rendered by twinops';
  const details = [provisioner, ...(claim.classPlan?.node ? [`on ${text(claim.classPlan.node.name)}`] : [])];
  return `${text(claim.storageClass)} (${details.join(', ')})`;
}
