/** The storage unit of a cluster: its namespaces (apps, edge) and its storage classes with their DR twins. */
import type { Construct } from 'constructs';
import type { Cluster, Environment } from '../../lib/config/environment';
import { Namespace } from '../../lib/constructs/namespace';
import { StorageClass } from '../../lib/constructs/storage-class';
import { variantsOf } from '../../lib/variant/rules';
import { storageClassesOf } from '../../lib/variant/storage';

export function storage(scope: Construct, env: Environment, cluster: Cluster): void {
  const namespaces = new Set([
    ...cluster.apps.flatMap((app) => variantsOf(env, cluster, app).map((variant) => variant.namespace)),
    ...(cluster.edge ? [cluster.edge.namespace] : []),
  ]);
  for (const name of [...namespaces].sort()) new Namespace(scope, `namespace-${name}`, { name });
  for (const plan of storageClassesOf(env, cluster)) new StorageClass(scope, `storage-class-${plan.name}`, plan);
}
