/**
 * The datastore the runbook restores a lost control plane from: its snapshots must be somewhere
 * the environment names, and it must have a control-plane node to live on.
 */
import type { Cluster } from './environment';
import { quote, type CheckContext } from './semantic-context';

/** What each datastore's snapshots are, for the message asking for their folder. */
const SNAPSHOT_OF = {
  'k3s-sqlite': 'copies of `/var/lib/rancher/k3s/server/db/state.db` (k3s takes none itself with SQLite)',
  etcd: '`etcdctl snapshot save` files',
  dqlite: '`microk8s dbctl backup` archives',
} as const;

export function checkDatastore(context: CheckContext, cluster: Cluster, index: number): void {
  const datastore = cluster.datastore;
  if (datastore === undefined) return;
  const at = ['clusters', index, 'datastore'] as const;
  if (datastore.snapshots === undefined && datastore.kind !== 'k3s-etcd') {
    const expected = `the folder holding the ${SNAPSHOT_OF[datastore.kind]}, so the runbook can restore from it`;
    context.report([...at, 'snapshots'], { expected, given: 'nothing', message: `a ${quote(datastore.kind)} datastore needs \`snapshots\`: ${expected}` });
  }
  if (!cluster.nodes.some((node) => node.controlPlane)) {
    const expected = 'at least one node with `controlPlane: true`, where the datastore lives';
    context.report(['clusters', index, 'nodes'], { expected, given: 'none', message: `cluster ${quote(cluster.name)} declares a datastore but no control-plane node; expected ${expected}` });
  }
}
