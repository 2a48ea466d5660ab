/** The traefik unit of a cluster: the chart repository and one HelmRelease per Traefik instance. */
import type { Construct } from 'constructs';
import type { Cluster, Environment } from '../../lib/config/environment';
import { ChartSource, Traefik } from '../../lib/constructs/traefik';
import { traefikInstancesOf } from '../../lib/variant/edge';

export const TRAEFIK_SOURCE = 'traefik';

export function traefik(scope: Construct, env: Environment, cluster: Cluster): void {
  const edge = cluster.edge;
  if (!edge) return;
  new ChartSource(scope, 'source', { name: TRAEFIK_SOURCE, namespace: edge.namespace, url: edge.repository });
  for (const plan of traefikInstancesOf(env, cluster)) {
    new Traefik(scope, plan.instance.name, {
      name: plan.instance.name,
      namespace: edge.namespace,
      source: TRAEFIK_SOURCE,
      chartVersion: edge.chartVersion,
      placement: plan.placement,
      acmeEmail: edge.acmeEmail,
      ...(plan.acmeStorageClass ? { acmeStorageClass: plan.acmeStorageClass } : {}),
      interval: env.gitops.interval,
      variant: plan.variant,
    });
  }
}
