/**
 * The storage unit of a cluster: its namespaces (apps, edge, volume snapshots), its storage
 * classes with their DR twins, and the scheduled snapshots of the classes that ask for them.
 */
import type { Construct } from 'constructs';
import type { Cluster, Environment } from '../../lib/config/environment';
import { Namespace } from '../../lib/constructs/namespace';
import { StorageClass } from '../../lib/constructs/storage-class';
import { SNAPSHOT_NAMESPACE, VolumeSnapshots, snapshotSchedulesOf } from '../../lib/constructs/volume-snapshots';
import { variantsRunningOn } from '../../lib/variant/rules';
import { storageClassesOf } from '../../lib/variant/storage';

export function storage(scope: Construct, env: Environment, cluster: Cluster): void {
  const schedules = snapshotSchedulesOf(cluster);
  const namespaces = new Set([
    ...variantsRunningOn(env, cluster).map((variant) => variant.namespace),
    ...(cluster.edge ? [cluster.edge.namespace] : []),
    ...(schedules.length > 0 ? [SNAPSHOT_NAMESPACE] : []),
  ]);
  for (const name of [...namespaces].sort()) new Namespace(scope, `namespace-${name}`, { name });
  for (const plan of storageClassesOf(env, cluster)) new StorageClass(scope, `storage-class-${plan.name}`, plan);
  new VolumeSnapshots(scope, 'volume-snapshots', { schedules });
}
