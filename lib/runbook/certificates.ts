/**
 * Runbook lines on certificates at failover, for one cluster with an edge: which ACME challenge
 * the Traefik instances use and what it means the moment the DR instance takes the prod hosts.
 * With DNS-01 the DR instance already holds the prod host's certificate: the operator checks it
 * before activating. With TLS-ALPN-01 it can only get one once DNS points at it: the runbook says
 * so, how long the gap lasts, how to watch it and how to remove it.
 */
import type { Edge } from '../config/environment';
import { ACME_DNS_SECRET, INSTANCE_LABEL } from '../constructs/traefik';
import { CERT_RESOLVER } from '../constructs/traefik-names';
import { drHost } from '../variant/rules';
import { traefikInstancesOf } from '../variant/edge';
import { appRecords, balancerLookup, shellValue } from './dns';
import { contextOf, inContext } from './contexts';
import { hasTwin, twinElsewhere, type ClusterFacts, type TwinnedApp } from './facts';
import { blocks, bullets, code, fenced, listing, text } from './markdown';
import { expansion, shellArg, shellWord, type WordPart } from './shell';

/** One address the DR Traefik answers on now, as a shell word part. */
interface DrAddress {
  readonly family: 'IPv4' | 'IPv6';
  readonly value: WordPart;
}

/**
 * The addresses the DR instance answers on before activation: those of the twin's DR host
 * records (the DR instance's fixed address, or the twin's IPv6 balancer), and for an IPv4 pool
 * without a fixed address the DR instance's IPv4 balancer.
 */
function drAddresses(facts: ClusterFacts, edge: Edge, app: TwinnedApp): DrAddress[] {
  const host = drHost(facts.env, app.placement);
  const records = appRecords(facts, app).filter((record) => record.host === host);
  // The DR instance is the one of the cluster the twin runs on.
  const home = app.twinSite.cluster;
  const drIpv4Balancer = traefikInstancesOf(facts.env, home).find((plan) => plan.variant === 'dr')?.ipv4BalancerName;
  const context = contextOf(facts.env, home.name);
  return records.flatMap((record): DrAddress[] => {
    const family = record.type === 'A' ? 'IPv4' : 'IPv6';
    const value = shellValue(record.standby);
    if (value !== undefined) return [{ family, value }];
    if (family === 'IPv4' && drIpv4Balancer !== undefined) return [{ family, value: expansion(`$(${inContext([balancerLookup(edge, drIpv4Balancer)], context).join('')})`) }];
    return [];
  });
}

/** The `curl --resolve` and `openssl s_client` lines checking one host's certificate on one address. */
function checkLines(host: string, address: DrAddress): string[] {
  const bracketed: WordPart[] = address.family === 'IPv6' ? ['[', address.value, ']'] : [address.value];
  const hostArg = shellArg(host);
  return [
    `curl -sv --resolve ${shellWord([host, ':443:', ...bracketed], { quoted: true })} ${shellArg(`https://${host}/`)} -o /dev/null`,
    `openssl s_client -connect ${shellWord([...bracketed, ':443'], { quoted: true })} -servername ${hostArg} </dev/null | openssl x509 -noout -subject -ext subjectAltName -enddate`,
  ];
}

/** The checks of the prod hosts of `apps` (twins on one cluster, with `edge`) against its DR instance. */
function hostChecks(facts: ClusterFacts, edge: Edge, apps: readonly TwinnedApp[]): string[] {
  return apps.flatMap((app) => {
    const host = app.placement.host;
    if (host === undefined) return [];
    return drAddresses(facts, edge, app).flatMap((address) => checkLines(host, address));
  });
}

function prodHosts(apps: readonly TwinnedApp[]): string[] {
  return apps.flatMap((app) => (app.placement.host === undefined ? [] : [app.placement.host]));
}

/** `app=traefik-dr`: the pod label of the DR instance, as the Traefik construct sets it. */
function instanceSelector(edge: Edge): string {
  return shellArg(`${INSTANCE_LABEL}=${edge.dr.name}`);
}

/** Every line the DR instance logged (a selector alone keeps the last 10), filtered to its ACME client. */
function logsLine(edge: Edge): string {
  return `kubectl logs -n ${shellArg(edge.namespace)} -l ${instanceSelector(edge)} --tail=-1 | grep -i acme`;
}

/** `context`: the kubectl context of the edge's cluster, where commands name one. */
function dnsChallenge(edge: Edge, hosts: readonly string[], checks: readonly string[], context?: string): string[] {
  const { acme } = edge;
  const dr = code(edge.dr.name);
  const source = acme.credentials === undefined ? '' : `; credentials: ExternalSecret ${code(`${edge.namespace}/${ACME_DNS_SECRET}`)}, store key ${code(acme.credentials.remoteKey)}`;
  return [
    `Certificates: the Traefik instances get theirs from Let's Encrypt through the resolver ${code(CERT_RESOLVER)} with the **DNS-01 challenge** (provider ${code(acme.dnsProvider ?? '')}${source}). ` +
      `Let's Encrypt checks a TXT record, not the host's address, and each twin's route answers its prod host too, so ${dr} holds the certificate of every prod host before any failover.`,
    `**Before activating**, check that ${dr} already serves a valid certificate for ${listing(hosts.map(code))}: ` +
      `curl must end without \`SSL certificate problem\`, and the names openssl prints must include the prod host, with an end date ahead.`,
    fenced('sh', inContext(checks, context)),
    'If a check fails, see whether the credentials reached the cluster (READY must be True) and what the ACME client says:',
    fenced('sh', inContext([`kubectl get externalsecret -n ${shellArg(edge.namespace)} ${ACME_DNS_SECRET}`, logsLine(edge)], context)),
  ];
}

/** `reaches`: Markdown naming the instance prod's host points at in standby; `context` as for `dnsChallenge`. */
function tlsChallenge(facts: ClusterFacts, edge: Edge, hosts: readonly string[], checks: readonly string[], reaches = code(edge.prod.name), context?: string): string[] {
  const dr = code(edge.dr.name);
  return [
    `Certificates: the Traefik instances get theirs from Let's Encrypt through the resolver ${code(CERT_RESOLVER)} with the **TLS-ALPN-01 challenge**: ` +
      `Let's Encrypt connects to port 443 of the address public DNS gives for the host.`,
    `**The DR Traefik ${dr} can only get the certificate for ${listing(hosts.map(code))} after DNS points at it.** ` +
      `Until then Let's Encrypt reaches ${reaches} and the order fails; and since a twin's route asks for one certificate covering its DR host and its prod host, ` +
      `in standby the DR host has no valid certificate either, unless one from an earlier activation is still stored.`,
    bullets([
      `After activation and the DNS change (TTL ${edge.dnsTtl} s), the first HTTPS requests to the prod host fail TLS for up to a few minutes, until ${dr} has obtained the certificate.`,
      `The activation's \`curl --resolve\` check fails with \`SSL certificate problem\` until then; it is not a failed activation.`,
      `Watch the ACME client of ${dr} and repeat the check:`,
    ]),
    fenced('sh', inContext([logsLine(edge), ...checks], context)),
    `If the log shows the order failed after DNS had changed, recreate the pod so ${dr} orders again on start; ` +
      `once, not in a loop: Let's Encrypt allows 5 failed validations per host per hour.`,
    fenced('sh', inContext([`kubectl delete pod -n ${shellArg(edge.namespace)} -l ${instanceSelector(edge)}`], context)),
    `Switching the edge to ${code('acme: { challenge: dns, … }')} in ${code(`environments/${facts.env.name}.yaml`)} removes the gap: ` +
      `with DNS-01 both instances obtain every certificate ahead of any failover.`,
  ];
}

/**
 * Markdown lines of the certificate section of one cluster, from its `### Cluster` heading; none
 * for a cluster without an edge (no Traefik, no certificate).
 */
export function certificateLines(facts: ClusterFacts): string[] {
  const edge = facts.cluster.edge;
  const elsewhere = facts.apps.filter(twinElsewhere).filter((app) => app.placement.host !== undefined && app.twinSite.cluster.edge !== undefined);
  if (edge === undefined && elsewhere.length === 0) return [];
  const heading = `### Cluster ${code(facts.cluster.name)}`;
  const local = facts.apps.filter(hasTwin).filter((app) => !twinElsewhere(app));
  const hosts = prodHosts(local);
  let body: string[] = [];
  if (edge !== undefined) {
    const challenge = edge.acme.challenge === 'dns' ? `the DNS-01 challenge (provider ${code(edge.acme.dnsProvider ?? '')})` : 'the TLS-ALPN-01 challenge';
    if (facts.cluster.dr === undefined || hosts.length === 0) {
      const why =
        facts.cluster.dr === undefined
          ? 'The cluster has no DR node: no certificate to prepare for a failover.'
          : facts.cluster.dr.node !== undefined
            ? 'No app here has both a twin and a host: no certificate to prepare for a failover.'
            : elsewhere.length > 0
              ? 'The twins of its apps run on other clusters, whose Traefik needs the certificates:'
              : 'The twins of its apps run on other clusters, none with both an edge and a host: no certificate to prepare for a failover.';
      body = [`Certificates: ${code(edge.prod.name)} gets its certificates from Let's Encrypt through the resolver ${code(CERT_RESOLVER)} with ${challenge}. ${text(why)}`];
    } else {
      const checks = hostChecks(facts, edge, local);
      body = edge.acme.challenge === 'dns' ? dnsChallenge(edge, hosts, checks) : tlsChallenge(facts, edge, hosts, checks);
    }
  }
  return blocks([heading, ...body, ...elsewhereLines(facts, elsewhere)]).split('\n');
}

/** Per cluster running some of the twins: whether its DR Traefik can serve their prod hosts the moment they are activated. */
function elsewhereLines(facts: ClusterFacts, elsewhere: readonly TwinnedApp[]): string[] {
  const homes = [...new Set(elsewhere.map((app) => app.twinSite.cluster))];
  return homes.flatMap((home) => {
    const edge = home.edge;
    if (edge === undefined) return [];
    const apps = elsewhere.filter((app) => app.twinSite.cluster === home);
    const hosts = prodHosts(apps);
    const checks = hostChecks(facts, edge, apps);
    const context = contextOf(facts.env, home.name);
    const prodInstance = facts.cluster.edge === undefined ? `the address clients use for it now` : `${code(facts.cluster.edge.prod.name)} on ${code(facts.cluster.name)}`;
    return [
      `The twins of ${listing(apps.map((app) => code(app.placement.app)))} run on ${code(home.name)}: its Traefik ${code(edge.dr.name)} serves their prod hosts once they are active.`,
      ...(edge.acme.challenge === 'dns' ? dnsChallenge(edge, hosts, checks, context) : tlsChallenge(facts, edge, hosts, checks, prodInstance, context)),
    ];
  });
}
