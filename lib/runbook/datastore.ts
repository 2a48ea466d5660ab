/**
 * The control plane's datastore in the runbook: how its snapshots are taken, and how a lost
 * control plane is restored from the newest one on a surviving node, for the datastore the
 * environment names (k3s with etcd or SQLite, kubeadm's etcd, MicroK8s' dqlite). Commands run on
 * the workstation and reach the node over ssh, as everywhere in the runbook.
 */
import type { Cluster, Datastore, Node } from '../config/environment';
import { K3S_ETCD_SNAPSHOTS } from '../config/environment';
import { code } from './markdown';
import { remoteArg, shellArg } from './shell';

/** Where k3s keeps the SQLite database and the server token that decrypts its bootstrap data. */
const K3S_STATE = '/var/lib/rancher/k3s/server/db/state.db';
const K3S_TOKEN = '/var/lib/rancher/k3s/server/token';

/** How the snapshots come to exist, in one or two sentences and an optional command. */
export function snapshotTaking(datastore: Datastore, cluster: Cluster): { readonly prose: string; readonly commands: readonly string[] } {
  const folder = datastore.snapshots ?? '';
  const when = datastore.schedule === undefined ? '' : ` at ${code(datastore.schedule)}`;
  const servers = cluster.nodes.filter((node) => node.controlPlane).map((node) => code(node.name));
  const offsite = datastore.offsite === undefined ? ' Nothing copies them off the node: when the node is lost, so are they.' : ` Copies go to ${code(datastore.offsite)}.`;
  switch (datastore.kind) {
    case 'k3s-etcd':
      return {
        prose:
          `k3s takes etcd snapshots itself${when} into ${code(folder)} on ${servers.join(', ')} ` +
          `(k3s config: ${code(`etcd-snapshot-schedule-cron: "${datastore.schedule ?? K3S_ETCD_SNAPSHOTS.schedule}"`)}, ${code(`etcd-snapshot-dir: ${folder}`)}).${offsite}`,
        commands: [],
      };
    case 'k3s-sqlite':
      return {
        prose:
          `k3s takes no snapshots of SQLite: a cron entry on ${servers.join(', ')} must copy the database${when} into ${code(folder)} ` +
          `(an online, consistent copy with ${code('sqlite3 .backup')}), with the server token beside it (a restored database is useless without it).${offsite}`,
        commands: [
          `# the crontab of root on ${cluster.nodes.filter((node) => node.controlPlane).map((node) => node.name).join(', ')}${datastore.schedule === undefined ? ' (daily at 03:00: set datastore.schedule to change it)' : ''}:`,
          `${datastore.schedule ?? '0 3 * * *'} sqlite3 ${K3S_STATE} ".backup '${folder}/state-$(date +\\%Y\\%m\\%dT\\%H\\%M).db'" && cp ${K3S_TOKEN} ${folder}/token`,
        ],
      };
    case 'etcd':
      return { prose: `Snapshots (${code('etcdctl snapshot save')})${when} are kept in ${code(folder)}.${offsite}`, commands: [] };
    case 'dqlite':
      return { prose: `Backups (${code('microk8s dbctl backup')})${when} are kept in ${code(folder)}.${offsite}`, commands: [] };
  }
}

/** The newest file of the snapshot folder on `node`, into `$SNAP`; stops when there is none. */
function newestSnapshot(node: Node, folder: string, offsite: string | undefined): string[] {
  const fetch = offsite === undefined ? 'none was taken, or they were lost with their node' : `fetch the newest from ${offsite} into that folder first`;
  return [
    `SNAP=$(ssh ${shellArg(node.name)} ls -1t ${remoteArg(folder)} | grep -v '^token$' | head -n 1)`,
    `test -n "$SNAP" || { echo ${shellArg(`no snapshot in ${folder} on ${node.name}; ${fetch}`)} >&2; false; }`,
  ];
}

/**
 * The restore of the control plane on `survivor` from the newest snapshot: prose and commands,
 * with every value from the environment. Absent datastore: the prose says what to declare.
 */
export function datastoreRestore(cluster: Cluster, survivor: Node): { readonly prose: string; readonly commands: readonly string[] } {
  const datastore = cluster.datastore;
  const ssh = `ssh ${shellArg(survivor.name)}`;
  if (datastore === undefined || datastore.snapshots === undefined) {
    return {
      prose:
        `The environment does not say which datastore cluster ${code(cluster.name)} uses or where its snapshots are: declare ${code('datastore')} ` +
        `on the cluster (${code('kind')}: k3s-etcd, k3s-sqlite, etcd or dqlite, and ${code('snapshots')}) and re-render, and this step gives the exact restore.`,
      commands: [],
    };
  }
  const folder = datastore.snapshots;
  const newest = newestSnapshot(survivor, folder, datastore.offsite);
  const snapshot = `${remoteArg(folder)}/"$SNAP"`;
  switch (datastore.kind) {
    case 'k3s-etcd':
      return {
        prose: `Run k3s on ${code(survivor.name)} as a server (install it as one if it was an agent, with the old server's token), then reset the cluster to the newest etcd snapshot in ${code(folder)}:`,
        commands: [
          ...newest,
          `${ssh} systemctl stop k3s k3s-agent`,
          `${ssh} k3s server --cluster-reset --cluster-reset-restore-path=${snapshot}`,
          `${ssh} systemctl start k3s`,
        ],
      };
    case 'k3s-sqlite':
      return {
        prose: `Run k3s on ${code(survivor.name)} as a server started with the token saved beside the copies (install it as one if it was an agent), and put the newest copy of the database from ${code(folder)} in place:`,
        commands: [
          ...newest,
          `${ssh} systemctl stop k3s k3s-agent`,
          `${ssh} install -D -m 600 ${snapshot} ${K3S_STATE}`,
          `${ssh} systemctl start k3s`,
        ],
      };
    case 'etcd':
      return {
        prose: `Restore the newest snapshot in ${code(folder)} into a new data folder on ${code(survivor.name)}, a kubeadm control-plane node, and point its etcd at it:`,
        commands: [
          ...newest,
          `${ssh} etcdutl snapshot restore ${snapshot} --data-dir /var/lib/etcd-restored`,
          `${ssh} sed -i ${remoteArg('s#path: /var/lib/etcd$#path: /var/lib/etcd-restored#')} /etc/kubernetes/manifests/etcd.yaml`,
        ],
      };
    case 'dqlite':
      return {
        prose: `Restore the newest MicroK8s backup in ${code(folder)} on ${code(survivor.name)}:`,
        commands: [...newest, `${ssh} microk8s dbctl restore ${snapshot}`],
      };
  }
}
