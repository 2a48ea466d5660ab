/**
 * Semantic checks of a cluster's edge: each address plan takes its addresses from a pool or
 * one fixed address (not both, not neither), every address and CIDR parses and belongs to its
 * IP family, the two Traefik instances have different names, the ACME volume's class exists, and
 * a DNS-01 challenge names its provider, its credentials and the store they come from.
 */
import { isIP } from 'node:net';
import type { Acme, AddressPlan, Cluster } from './environment';
import { finding, quote, type CheckContext } from './semantic-context';

type Family = 'ipv4' | 'ipv6';
const FAMILY_NUMBER: Record<Family, 4 | 6> = { ipv4: 4, ipv6: 6 };
const anAddress = (family: Family) => `an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`;

/** Whether `cidr` is `<address>/<prefix>` of the family, with a prefix the family allows. */
export function isCidr(cidr: string, family: Family): boolean {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!match) return false;
  const bits = FAMILY_NUMBER[family] === 4 ? 32 : 128;
  return isIP(match[1]!) === FAMILY_NUMBER[family] && Number(match[2]) <= bits;
}

function checkPlan(context: CheckContext, path: readonly (string | number)[], family: Family, plan: AddressPlan): void {
  if ((plan.pool === undefined) === (plan.address === undefined)) {
    const given = plan.pool === undefined ? 'neither' : 'both';
    context.report(path, finding('a `pool` or a fixed `address`', given, `the ${family} plan needs exactly one source of addresses`));
  }
  if (plan.cidr !== undefined && plan.pool === undefined) {
    context.report([...path, 'cidr'], finding('a `pool` named beside the CIDR it covers', 'a CIDR without pool'));
  }
  if (plan.cidr !== undefined && !isCidr(plan.cidr, family)) {
    context.report([...path, 'cidr'], finding(`an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR such as ${family === 'ipv4' ? '192.0.2.64/28' : '2001:db8::/112'}`, quote(plan.cidr)));
  }
  for (const key of ['address', 'public'] as const) {
    const value = plan[key];
    if (value !== undefined && isIP(value) !== FAMILY_NUMBER[family]) {
      context.report([...path, key], finding(anAddress(family), quote(value)));
    }
  }
}

const DNS_ONLY = ['dnsProvider', 'credentials', 'resolvers'] as const;

/** `challenge: dns` needs a provider, its credentials and a store; the DNS fields mean nothing with `tls`. */
function checkAcme(context: CheckContext, path: readonly (string | number)[], acme: Acme): void {
  if (acme.challenge === 'tls') {
    for (const field of DNS_ONLY) {
      if (acme[field] !== undefined) {
        context.report([...path, field], finding('`challenge: dns` beside it, or no such field', `\`${field}\` with the TLS challenge`, `${field} only applies to the DNS challenge`), { target: 'key' });
      }
    }
    return;
  }
  const lead = 'the DNS challenge sets a TXT record through the provider\'s API';
  if (acme.dnsProvider === undefined) {
    context.report([...path, 'challenge'], finding('a `dnsProvider` beside `challenge: dns`, e.g. dnsProvider: cloudflare', 'none', lead));
  }
  if (acme.credentials === undefined) {
    context.report(
      [...path, 'challenge'],
      finding('`credentials` beside `challenge: dns`, e.g. credentials: { remoteKey: dns/cloudflare, env: { CF_DNS_API_TOKEN: token } }', 'none', `${lead} with credentials from the secret store`),
    );
  }
  if (context.env.secrets === undefined) {
    context.report(
      [...path, 'challenge'],
      finding('a top-level "secrets" field such as secrets: {name: vault}', 'none', 'the DNS provider\'s credentials come from the secret store, but the environment has none'),
    );
  }
}

export function checkEdge(context: CheckContext, cluster: Cluster, index: number): void {
  const edge = cluster.edge;
  if (!edge) return;
  const at = ['clusters', index, 'edge'] as const;
  for (const side of ['prod', 'dr'] as const) {
    const instance = edge[side];
    for (const family of ['ipv4', 'ipv6'] as const) {
      const plan = instance[family];
      if (plan) checkPlan(context, [...at, side, family], family, plan);
    }
  }
  if (edge.prod.name === edge.dr.name) {
    context.report([...at, 'dr', 'name'], finding('a name other than the prod instance’s', quote(edge.dr.name), 'prod and DR Traefik instances need their own names'));
  }
  checkAcme(context, [...at, 'acme'], edge.acme);
  const classes = cluster.storageClasses.map((sc) => sc.name);
  if (edge.acmeStorageClass !== undefined && !classes.includes(edge.acmeStorageClass)) {
    context.report([...at, 'acmeStorageClass'], finding(`a storage class of cluster ${quote(cluster.name)}: ${classes.join(', ') || 'none is declared'}`, quote(edge.acmeStorageClass)));
  }
}
