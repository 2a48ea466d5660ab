/**
 * The edge unit of a cluster, applied after the Traefik instances: the address pools of the
 * address plan and each instance's IPv4 load balancer (app balancers and DNS records belong to
 * the apps' own units). No middleware: each instance redirects plain HTTP itself.
 */
import type { Construct } from 'constructs';
import type { Cluster, Environment } from '../../lib/config/environment';
import { AddressPool } from '../../lib/constructs/address-pool';
import { LoadBalancer } from '../../lib/constructs/load-balancer';
import { LABEL } from '../../lib/variant/rules';
import { traefikInstancesOf } from '../../lib/variant/edge';

export function edge(scope: Construct, env: Environment, cluster: Cluster): void {
  const edgeSpec = cluster.edge;
  if (!edgeSpec) return;
  const instances = traefikInstancesOf(env, cluster);
  for (const { instance, variant, ipv4BalancerName } of instances) {
    for (const plan of [instance.ipv6, instance.ipv4]) {
      if (plan?.pool && plan.cidr) new AddressPool(scope, `pool-${plan.pool}`, { name: plan.pool, cidr: plan.cidr, provider: edgeSpec.provider });
    }
    if (instance.ipv4) {
      new LoadBalancer(scope, ipv4BalancerName, {
        name: ipv4BalancerName,
        namespace: edgeSpec.namespace,
        family: 'IPv4',
        instance: instance.name,
        plan: instance.ipv4,
        provider: edgeSpec.provider,
        labels: { [LABEL.managedBy]: 'twinops', [LABEL.variant]: variant },
      });
    }
  }
}
