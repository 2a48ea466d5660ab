/**
 * ZFS copies between a prod volume and its twin, following the warm-standby example (002):
 * snapshot on the source and let the replication carry it (a snapshot made on the replica
 * breaks syncoid's next incremental run), clone it (or send it) into the twin's dataset, and
 * leave the dataset unmounted with a legacy mountpoint, as the CSI driver expects. Commands run
 * on a workstation and reach the nodes over ssh; `${PV:?}` stops a command whose claim has no
 * volume instead of letting it act on the parent dataset.
 */
import type { VolumePair } from './volumes';

/** The snapshot a resync copies from; its name is fixed so failback can find it again. */
export const RESYNC_SNAPSHOT = 'twinops-resync';
export const FAILBACK_SNAPSHOT = 'twinops-failback';

/** Where the two volumes of a pair live, as shell words. */
export interface Ends {
  readonly prodNode: string;
  readonly twinNode: string;
}

interface Datasets {
  readonly prod: string;
  readonly twin: string;
  readonly replica?: string;
}

function datasets(pair: VolumePair): Datasets {
  return {
    prod: `${pair.prod.pool}/\${PROD_PV:?}`,
    twin: `${pair.twin?.pool}/\${DR_PV:?}`,
    ...(pair.replicaDataset ? { replica: `${pair.replicaDataset}/\${PROD_PV:?}` } : {}),
  };
}

const q = (word: string) => `"${word}"`;

/** The twin's dataset, unmounted and with a legacy mountpoint, so the CSI driver can mount it. */
function handOver(ends: Ends, twin: string, step: number): string[] {
  return [
    `# ${step}. The CSI driver mounts the dataset itself: unmount it and give it a legacy mountpoint.`,
    `ssh ${ends.twinNode} zfs umount ${q(twin)}`,
    `ssh ${ends.twinNode} zfs set mountpoint=legacy ${q(twin)}`,
  ];
}

/** Prod → twin through the replica on the DR node: snapshot at the source, clone at the replica. */
function cloneFromReplica(ends: Ends, ds: Datasets & { replica: string }): string[] {
  const snapshot = `${ds.replica}@${RESYNC_SNAPSHOT}`;
  return [
    `# 1. Clear the previous resync: the twin's dataset first (it may be a clone of the old snapshot),`,
    `#    then the old snapshot on the replica and on the source ("could not find" errors are fine).`,
    `ssh ${ends.twinNode} zfs destroy -r ${q(ds.twin)}`,
    `ssh ${ends.twinNode} zfs destroy ${q(snapshot)}`,
    `ssh ${ends.prodNode} zfs destroy ${q(`${ds.prod}@${RESYNC_SNAPSHOT}`)}`,
    `# 2. Snapshot on the source, ${ends.prodNode}, never on the replica (that breaks the incremental`,
    `#    replication), and wait until the replication has carried it to ${ends.twinNode}.`,
    `ssh ${ends.prodNode} zfs snapshot ${q(`${ds.prod}@${RESYNC_SNAPSHOT}`)}`,
    `until ssh ${ends.twinNode} zfs list -t snapshot ${q(snapshot)} >/dev/null 2>&1; do sleep 60; done`,
    `# 3. Clone it as the twin's dataset: instant, it shares blocks with the replica, and the snapshot`,
    `#    cannot be destroyed while the clone exists. For a fully independent copy, run instead:`,
    `#    ssh ${ends.twinNode} "zfs send ${snapshot} | zfs recv -F ${ds.twin}"`,
    `ssh ${ends.twinNode} zfs clone ${q(snapshot)} ${q(ds.twin)}`,
    ...handOver(ends, ds.twin, 4),
  ];
}

/** Prod → twin when the prod node is down: the newest snapshot the replication brought, cloned. */
export function zfsCloneLatestReplica(pair: VolumePair, ends: Ends): string[] | undefined {
  const ds = datasets(pair);
  if (ds.replica === undefined) return undefined;
  return [
    `SNAP=$(ssh ${ends.twinNode} zfs list -H -t snapshot -o name -s creation ${q(ds.replica)} | tail -n 1)`,
    `ssh ${ends.twinNode} zfs clone "\${SNAP:?}" ${q(ds.twin)}`,
  ];
}

/** Prod → twin straight from the prod pool, through the workstation. */
function sendFromProd(ends: Ends, ds: Datasets): string[] {
  const snapshot = `${ds.prod}@${RESYNC_SNAPSHOT}`;
  return [
    `# 1. Clear the previous resync ("could not find" errors are fine).`,
    `ssh ${ends.twinNode} zfs destroy -r ${q(ds.twin)}`,
    `ssh ${ends.prodNode} zfs destroy ${q(snapshot)}`,
    `# 2. Snapshot on ${ends.prodNode} and send it whole into the twin's dataset on ${ends.twinNode}`,
    `#    (through this machine).`,
    `ssh ${ends.prodNode} zfs snapshot ${q(snapshot)}`,
    `ssh ${ends.prodNode} zfs send ${q(snapshot)} | ssh ${ends.twinNode} zfs recv -F ${q(ds.twin)}`,
    ...handOver(ends, ds.twin, 3),
  ];
}

/** Prod → twin: the commands after the volume lookups. */
export function zfsToTwin(pair: VolumePair, ends: Ends): string[] {
  const ds = datasets(pair);
  return ds.replica === undefined ? sendFromProd(ends, ds) : cloneFromReplica(ends, { ...ds, replica: ds.replica });
}

/**
 * Twin → prod, prod held at zero: roll prod back to the snapshot both sides share (the clone's
 * origin, else the copy's own resync snapshot) and send what the twin wrote since. Prod's writes
 * after that snapshot are discarded: the twin's are the newer ones.
 */
export function zfsToProd(pair: VolumePair, ends: Ends): string[] {
  const ds = datasets(pair);
  const failback = `${ds.twin}@${FAILBACK_SNAPSHOT}`;
  const lines = [
    `# Snapshot the twin's data on ${ends.twinNode} (an earlier failback's snapshot goes first).`,
    `ssh ${ends.twinNode} zfs destroy ${q(failback)}`,
    `ssh ${ends.twinNode} zfs snapshot ${q(failback)}`,
    `# The snapshot both sides share: the clone's origin, or the copy's own ${RESYNC_SNAPSHOT}.`,
    `FROM=$(ssh ${ends.twinNode} zfs get -H -o value origin ${q(ds.twin)})`,
    `[ "$FROM" = "-" ] && FROM=${q(`${ds.twin}@${RESYNC_SNAPSHOT}`)}`,
    `# Roll prod back to it and send the twin's changes since.`,
    `ssh ${ends.prodNode} zfs rollback -r "${ds.prod}@\${FROM#*@}"`,
    `ssh ${ends.twinNode} zfs send -i "\${FROM:?}" ${q(failback)} | ssh ${ends.prodNode} zfs recv ${q(ds.prod)}`,
  ];
  if (ds.replica !== undefined) {
    lines.push(
      `# The replication to ${ends.twinNode} continues from the shared snapshot: roll the replica back too.`,
      `ssh ${ends.twinNode} zfs rollback -r "${ds.replica}@\${FROM#*@}"`,
    );
  }
  lines.push(
    `# If ${ends.prodNode} lost the dataset (a rebuilt node), send it whole instead, then unmount it and`,
    `# set mountpoint=legacy on ${ends.prodNode}${ds.replica ? ' (the replication then starts afresh)' : ''}:`,
    `#   ssh ${ends.twinNode} zfs send ${q(failback)} | ssh ${ends.prodNode} zfs recv -F ${q(ds.prod)}`,
  );
  return lines;
}
