import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import type { Acme, Cluster, Environment } from '../../lib/config/environment';
import { certificateLines } from '../../lib/runbook/certificates';
import { clusterFacts } from '../../lib/runbook/facts';
import { loadHome } from '../support/render';
import { tiny } from './support';

const DNS: Acme = { challenge: 'dns', dnsProvider: 'cloudflare', credentials: { remoteKey: 'dns/cloudflare', env: { CF_DNS_API_TOKEN: 'token' } } };

function withCluster(env: Environment, change: (cluster: Cluster) => Cluster): Environment {
  const [cluster] = env.clusters;
  if (!cluster) throw new Error('no cluster');
  return { ...env, clusters: [change(cluster)] };
}

function withAcme(env: Environment, acme: Acme): Environment {
  return withCluster(env, (cluster) => {
    if (!cluster.edge) throw new Error('no edge');
    return { ...cluster, edge: { ...cluster.edge, acme } };
  });
}

function linesOf(env: Environment): string[] {
  const [facts] = clusterFacts(env, composeEnvironment(env));
  if (!facts) throw new Error('no cluster');
  return certificateLines(facts);
}

describe('certificates with the DNS challenge', () => {
  it('states the mechanism and checks, before activating, the DR instance serves each prod host', () => {
    expect(linesOf(withAcme(tiny(), DNS)).join('\n')).toBe(
      [
        '### Cluster `lab`',
        '',
        "Certificates: the Traefik instances get theirs from Let's Encrypt through the resolver `letsencrypt` with the **DNS-01 challenge** (provider `cloudflare`; credentials: ExternalSecret `traefik-external/acme-dns-credentials`, store key `dns/cloudflare`). Let's Encrypt checks a TXT record, not the host's address, and each twin's route answers its prod host too, so `traefik-dr` holds the certificate of every prod host before any failover.",
        '',
        '**Before activating**, check that `traefik-dr` already serves a valid certificate for `id.example.org`: curl must end without `SSL certificate problem`, and the names openssl prints must include the prod host, with an end date ahead.',
        '',
        '```sh',
        'curl -sv --resolve "id.example.org:443:192.0.2.2" https://id.example.org/ -o /dev/null',
        'openssl s_client -connect "192.0.2.2:443" -servername id.example.org </dev/null | openssl x509 -noout -subject -ext subjectAltName -enddate',
        '```',
        '',
        'If a check fails, see whether the credentials reached the cluster (READY must be True) and what the ACME client says:',
        '',
        '```sh',
        'kubectl get externalsecret -n traefik-external acme-dns-credentials',
        'kubectl logs -n traefik-external -l app=traefik-dr --tail=-1 | grep -i acme',
        '```',
      ].join('\n'),
    );
  });

  it('reads the DR addresses of the home lab: the fixed IPv4 and the twin’s IPv6 balancer', () => {
    const lines = linesOf(withAcme(loadHome(), DNS));
    expect(lines).toContain('curl -sv --resolve "blog.example.org:443:192.0.2.200" https://blog.example.org/ -o /dev/null');
    expect(lines).toContain(
      `openssl s_client -connect "[$(kubectl get svc -n traefik-external traefik-external-wordpress-dr -o jsonpath='{.status.loadBalancer.ingress[0].ip}')]:443" -servername blog.example.org </dev/null | openssl x509 -noout -subject -ext subjectAltName -enddate`,
    );
  });

  it('reads the DR instance’s IPv4 balancer when its address comes from a pool', () => {
    const pooled = withCluster(withAcme(tiny(), DNS), (cluster) => {
      if (!cluster.edge) throw new Error('no edge');
      return { ...cluster, edge: { ...cluster.edge, dr: { ...cluster.edge.dr, ipv4: { pool: 'v4-dr' } } } };
    });
    expect(linesOf(pooled)).toContain(
      `curl -sv --resolve "id.example.org:443:$(kubectl get svc -n traefik-external traefik-external-ipv4-dr -o jsonpath='{.status.loadBalancer.ingress[0].ip}')" https://id.example.org/ -o /dev/null`,
    );
  });
});

describe('certificates with the TLS challenge', () => {
  it('says plainly the DR instance gets the prod certificate only after DNS, how to watch it and what removes the gap', () => {
    expect(linesOf(tiny()).join('\n')).toBe(
      [
        '### Cluster `lab`',
        '',
        "Certificates: the Traefik instances get theirs from Let's Encrypt through the resolver `letsencrypt` with the **TLS-ALPN-01 challenge**: Let's Encrypt connects to port 443 of the address public DNS gives for the host.",
        '',
        "**The DR Traefik `traefik-dr` can only get the certificate for `id.example.org` after DNS points at it.** Until then Let's Encrypt reaches `traefik-external` and the order fails; and since a twin's route asks for one certificate covering its DR host and its prod host, in standby the DR host has no valid certificate either, unless one from an earlier activation is still stored.",
        '',
        '- After activation and the DNS change (TTL 300 s), the first HTTPS requests to the prod host fail TLS for up to a few minutes, until `traefik-dr` has obtained the certificate.',
        "- The activation's `curl --resolve` check fails with `SSL certificate problem` until then; it is not a failed activation.",
        '- Watch the ACME client of `traefik-dr` and repeat the check:',
        '',
        '```sh',
        'kubectl logs -n traefik-external -l app=traefik-dr --tail=-1 | grep -i acme',
        'curl -sv --resolve "id.example.org:443:192.0.2.2" https://id.example.org/ -o /dev/null',
        'openssl s_client -connect "192.0.2.2:443" -servername id.example.org </dev/null | openssl x509 -noout -subject -ext subjectAltName -enddate',
        '```',
        '',
        "If the log shows the order failed after DNS had changed, recreate the pod so `traefik-dr` orders again on start; once, not in a loop: Let's Encrypt allows 5 failed validations per host per hour.",
        '',
        '```sh',
        'kubectl delete pod -n traefik-external -l app=traefik-dr',
        '```',
        '',
        'Switching the edge to `acme: { challenge: dns, … }` in `environments/tiny.yaml` removes the gap: with DNS-01 both instances obtain every certificate ahead of any failover.',
      ].join('\n'),
    );
  });
});

describe('clusters without a failover certificate to prepare', () => {
  it('writes nothing for a cluster without an edge', () => {
    expect(linesOf(withCluster(tiny(), ({ edge: _edge, ...cluster }) => cluster))).toEqual([]);
  });

  it('states the mechanism only when no app has both a twin and a host', () => {
    const hostless = withCluster(withAcme(tiny(), DNS), (cluster) => ({ ...cluster, apps: cluster.apps.filter((app) => app.host === undefined) }));
    expect(linesOf(hostless)).toEqual([
      '### Cluster `lab`',
      '',
      "Certificates: `traefik-external` gets its certificates from Let's Encrypt through the resolver `letsencrypt` with the DNS-01 challenge (provider `cloudflare`). No app here has both a twin and a host: no certificate to prepare for a failover.",
    ]);
  });
});
