/**
 * The traefik unit of a cluster: the chart repository, one HelmRelease per Traefik instance and,
 * with the DNS challenge, the ExternalSecret both instances read the DNS provider's credentials
 * from (one Secret: the instances share the edge namespace).
 */
import type { Construct } from 'constructs';
import type { Cluster, Edge, Environment } from '../../lib/config/environment';
import { Credentials } from '../../lib/constructs/credentials';
import { ACME_DNS_SECRET, ChartSource, Traefik, type AcmeChallenge } from '../../lib/constructs/traefik';
import { traefikInstancesOf } from '../../lib/variant/edge';
import { LABEL } from '../../lib/variant/rules';

export const TRAEFIK_SOURCE = 'traefik';

/**
 * The resolver's challenge of the edge; for DNS-01, renders the ExternalSecret its credentials
 * come from. The loader has checked that a DNS challenge has a provider, credentials and a store.
 */
function challengeOf(scope: Construct, env: Environment, cluster: Cluster, edge: Edge): AcmeChallenge {
  const acme = edge.acme;
  if (acme.challenge === 'tls') return { kind: 'tls' };
  const where = `cluster ${cluster.name}: edge.acme`;
  if (acme.dnsProvider === undefined || acme.credentials === undefined) throw new Error(`${where}: the DNS challenge needs dnsProvider and credentials`);
  if (env.secrets === undefined) throw new Error(`${where}: the DNS challenge reads its credentials from the secret store, but the environment declares no \`secrets\``);
  const variables = Object.entries(acme.credentials.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  new Credentials(scope, 'acme-dns-credentials', {
    name: ACME_DNS_SECRET,
    namespace: edge.namespace,
    store: env.secrets,
    remoteKey: acme.credentials.remoteKey,
    keys: [...new Set(variables.map(([, property]) => property))].sort(),
    labels: { [LABEL.managedBy]: 'twinops' },
  });
  return {
    kind: 'dns',
    provider: acme.dnsProvider,
    env: variables.map(([name, property]) => ({ name, secret: ACME_DNS_SECRET, key: property })),
    ...(acme.resolvers ? { resolvers: acme.resolvers } : {}),
  };
}

export function traefik(scope: Construct, env: Environment, cluster: Cluster): void {
  const edge = cluster.edge;
  if (!edge) return;
  new ChartSource(scope, 'source', { name: TRAEFIK_SOURCE, namespace: edge.namespace, url: edge.repository });
  const challenge = challengeOf(scope, env, cluster, edge);
  for (const plan of traefikInstancesOf(env, cluster)) {
    new Traefik(scope, plan.instance.name, {
      name: plan.instance.name,
      namespace: edge.namespace,
      source: TRAEFIK_SOURCE,
      chartVersion: edge.chartVersion,
      placement: plan.placement,
      acmeEmail: edge.acmeEmail,
      challenge,
      ...(plan.acmeStorageClass ? { acmeStorageClass: plan.acmeStorageClass } : {}),
      interval: env.gitops.interval,
      variant: plan.variant,
    });
  }
}
