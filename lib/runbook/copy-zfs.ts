/**
 * ZFS copies between a prod volume and its twin, following the warm-standby example (002):
 * snapshot on the source and let the replication carry it (a snapshot made on the replica
 * breaks syncoid's next incremental run), clone it (or send it) into the twin's dataset, and
 * leave the dataset unmounted with a legacy mountpoint, as the CSI driver expects. Commands run
 * on a workstation and reach the nodes over ssh; `${PV:?}` stops a command whose claim has no
 * volume instead of letting it act on the parent dataset.
 */
import { expansion, shellComment, shellWord, type Expansion, type WordPart } from './shell';
import type { VolumePair } from './volumes';
import { boundedUntil, type Poll } from './waits';

/**
 * How long a resync waits for the replication to carry its snapshot to the DR node: the
 * replication's schedule is not in the environment, and hourly (syncoid from cron) is common.
 */
export const REPLICATION_POLL: Poll = { tries: 90, seconds: 60 };

/** The snapshot a resync copies from; its name is fixed so failback can find it again. */
export const RESYNC_SNAPSHOT = 'twinops-resync';
export const FAILBACK_SNAPSHOT = 'twinops-failback';

/** Where the two volumes of a pair live: a node name, or the variable a lookup fills. */
export interface Ends {
  readonly prodNode: string | Expansion;
  readonly twinNode: string | Expansion;
}

/** A dataset (or snapshot) as the parts of one shell word: pool literal, volume name variable. */
type Dataset = readonly WordPart[];

interface Datasets {
  readonly prod: Dataset;
  readonly twin: Dataset;
  readonly replica?: Dataset;
}

function datasets(pair: VolumePair): Datasets {
  return {
    prod: [pair.prod.pool ?? '', '/', expansion('${PROD_PV:?}')],
    twin: [pair.twin?.pool ?? '', '/', expansion('${DR_PV:?}')],
    ...(pair.replicaDataset ? { replica: [pair.replicaDataset, '/', expansion('${PROD_PV:?}')] } : {}),
  };
}

/** A dataset's snapshot. */
const at = (dataset: Dataset, snapshot: string): Dataset => [...dataset, `@${snapshot}`];

/** A dataset as an argument of a command ssh runs on a node. */
const q = (dataset: Dataset) => shellWord(dataset, { remote: true });

/** `ssh <node>`: a node name quoted, or its variable as it is (`${PROD_NODE:?}`); `ssh -t` for a command that may prompt. */
export const sshTo = (node: string | Expansion, options: { readonly tty?: boolean } = {}) =>
  `ssh ${options.tty ? '-t ' : ''}${typeof node === 'string' ? shellWord([node]) : node.expansion}`;

/** A node in a comment: its name, or `$PROD_NODE` for the variable. */
export const nodeProse = (node: string | Expansion) =>
  typeof node === 'string' ? shellComment(node) : node.expansion.replace(/\$\{(\w+):\?\}/g, '$$$1');

/**
 * Loads the key of an encrypted dataset when ZFS reports it unavailable (a replica's key is
 * unloaded after every reboot of the DR node). The key is loaded at the dataset's encryption
 * root, which `load-key -r` on the dataset itself would skip when the root is a parent (a
 * replica received into `backup/encrypted` inherits that root). An unencrypted dataset reports
 * `-` and nothing is loaded. `ssh -t`: a `prompt` keylocation asks for the passphrase.
 */
export function loadKeyLines(node: string | Expansion, dataset: Dataset): string[] {
  const ssh = sshTo(node);
  return [
    `# Load the key if the dataset is encrypted and its key unloaded (as after a reboot): from its keylocation,`,
    `# a file on ${nodeProse(node)}, or with "prompt" the passphrase you type.`,
    `KEY_ROOT=$(${ssh} zfs get -H -o value encryptionroot ${q(dataset)})`,
    `if [ "$(${ssh} zfs get -H -o value keystatus ${q(dataset)})" = unavailable ]; then ${sshTo(node, { tty: true })} zfs load-key -r "\${KEY_ROOT:?}"; fi`,
  ];
}

/** The twin's dataset, unmounted and with a legacy mountpoint, so the CSI driver can mount it. */
function handOver(ends: Ends, twin: Dataset, step: number): string[] {
  return [
    `# ${step}. The CSI driver mounts the dataset itself: unmount it and give it a legacy mountpoint.`,
    `${sshTo(ends.twinNode)} zfs umount ${q(twin)}`,
    `${sshTo(ends.twinNode)} zfs set mountpoint=legacy ${q(twin)}`,
  ];
}

/** Prod → twin through the replica on the DR node: snapshot at the source, clone at the replica. */
function cloneFromReplica(ends: Ends, ds: Datasets & { replica: Dataset }): string[] {
  const snapshot = at(ds.replica, RESYNC_SNAPSHOT);
  const [prodNode, twinNode] = [sshTo(ends.prodNode), sshTo(ends.twinNode)];
  const listed = `${twinNode} zfs list -t snapshot ${q(snapshot)} >/dev/null 2>&1`;
  const minutes = (REPLICATION_POLL.tries * REPLICATION_POLL.seconds) / 60;
  return [
    ...loadKeyLines(ends.twinNode, ds.replica),
    `# 1. Clear the previous resync: the twin's dataset first (it may be a clone of the old snapshot),`,
    `#    then the old snapshot on the replica and on the source ("could not find" errors are fine).`,
    `${twinNode} zfs destroy -r ${q(ds.twin)}`,
    `${twinNode} zfs destroy ${q(snapshot)}`,
    `${prodNode} zfs destroy ${q(at(ds.prod, RESYNC_SNAPSHOT))}`,
    `# 2. Snapshot on the source, ${nodeProse(ends.prodNode)}, never on the replica (that breaks the incremental`,
    `#    replication), and wait until the replication has carried it to ${nodeProse(ends.twinNode)}.`,
    `${prodNode} zfs snapshot ${q(at(ds.prod, RESYNC_SNAPSHOT))}`,
    ...boundedUntil(
      listed,
      REPLICATION_POLL,
      `the replication has not carried @${RESYNC_SNAPSHOT} to ${nodeProse(ends.twinNode)} in ${minutes} minutes`,
      `the replication to ${nodeProse(ends.twinNode)} is not running or is failing: check its timer and log there ` +
        `(an unloaded key stops a non-raw receive), fix it and run the loop again; do not go on without the snapshot.`,
    ),
    `# 3. Clone it as the twin's dataset: instant, it shares blocks with the replica, and the snapshot`,
    `#    cannot be destroyed while the clone exists. For a fully independent copy, run instead`,
    `#    (the quoted pipe runs on the node):`,
    `#    ${twinNode} zfs send ${q(snapshot)} '|' zfs recv -F ${q(ds.twin)}`,
    `${twinNode} zfs clone ${q(snapshot)} ${q(ds.twin)}`,
    ...handOver(ends, ds.twin, 4),
  ];
}

/** Prod → twin when the prod node is down: the newest snapshot the replication brought, cloned. */
export function zfsCloneLatestReplica(pair: VolumePair, ends: Ends): string[] | undefined {
  const ds = datasets(pair);
  if (ds.replica === undefined) return undefined;
  const twinNode = sshTo(ends.twinNode);
  return [
    ...loadKeyLines(ends.twinNode, ds.replica),
    `SNAP=$(${twinNode} zfs list -H -t snapshot -o name -s creation ${q(ds.replica)} | tail -n 1)`,
    `${twinNode} zfs clone "\${SNAP:?}" ${q(ds.twin)}`,
  ];
}

/** Prod → twin straight from the prod pool, through the workstation. */
function sendFromProd(ends: Ends, ds: Datasets): string[] {
  const snapshot = at(ds.prod, RESYNC_SNAPSHOT);
  const [prodNode, twinNode] = [sshTo(ends.prodNode), sshTo(ends.twinNode)];
  return [
    `# 1. Clear the previous resync ("could not find" errors are fine).`,
    `${twinNode} zfs destroy -r ${q(ds.twin)}`,
    `${prodNode} zfs destroy ${q(snapshot)}`,
    `# 2. Snapshot on ${nodeProse(ends.prodNode)} and send it whole into the twin's dataset on ${nodeProse(ends.twinNode)}`,
    `#    (through this machine).`,
    `${prodNode} zfs snapshot ${q(snapshot)}`,
    `${prodNode} zfs send ${q(snapshot)} | ${twinNode} zfs recv -F ${q(ds.twin)}`,
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
  const failback = at(ds.twin, FAILBACK_SNAPSHOT);
  const [prodNode, twinNode] = [sshTo(ends.prodNode), sshTo(ends.twinNode)];
  // The rolled-back snapshot as one word for the node's shell: `${FROM#*@}` is a snapshot name.
  const sharedOn = (dataset: Dataset) => q([...dataset, '@', expansion('${FROM#*@}')]);
  const lines = [
    // The send reads the twin's dataset: a clone of the replica shares the replica's key.
    ...loadKeyLines(ends.twinNode, ds.twin),
    `# Snapshot the twin's data on ${nodeProse(ends.twinNode)} (an earlier failback's snapshot goes first).`,
    `${twinNode} zfs destroy ${q(failback)}`,
    `${twinNode} zfs snapshot ${q(failback)}`,
    `# The snapshot both sides share: the clone's origin, or the twin's own @${RESYNC_SNAPSHOT}.`,
    `FROM=$(${twinNode} zfs get -H -o value origin ${q(ds.twin)})`,
    `[ "$FROM" = "-" ] && FROM=@${RESYNC_SNAPSHOT}`,
    `# Roll prod back to it and send the twin's changes since.`,
    `${prodNode} zfs rollback -r ${sharedOn(ds.prod)}`,
    `${twinNode} zfs send -i "\${FROM:?}" ${q(failback)} | ${prodNode} zfs recv ${q(ds.prod)}`,
  ];
  if (ds.replica !== undefined) {
    lines.push(
      `# The replication to ${nodeProse(ends.twinNode)} continues from the shared snapshot: roll the replica back too.`,
      `${twinNode} zfs rollback -r ${sharedOn(ds.replica)}`,
    );
  }
  lines.push(
    `# If ${nodeProse(ends.prodNode)} lost the dataset (a rebuilt node), send it whole instead, then unmount it and`,
    `# set mountpoint=legacy on ${nodeProse(ends.prodNode)}${ds.replica ? ' (the replication then starts afresh)' : ''}:`,
    `#   ${twinNode} zfs send ${q(failback)} | ${prodNode} zfs recv -F ${q(ds.prod)}`,
  );
  return lines;
}
