import { describe, expect, it } from 'vitest';
import { homeRunbook, runbookOf, section, shBlockAfter, tiny } from './support';

const dnsOf = (markdown: string) => section(markdown, '## DNS');

describe('DNS records', () => {
  it('names the record Services and the IPv6 balancers as the edge renders them', () => {
    const dns = dnsOf(homeRunbook());
    expect(dns).toContain(
      '| blog.example.org | A | Service `wordpress/wordpress-name` | `192.0.2.1` (external-dns) | `192.0.2.200` (**by hand**) |',
    );
    expect(dns).toContain(
      '| blog.example.org | AAAA | Service `traefik-external/traefik-external-wordpress` | the address of `traefik-external-wordpress`, from `loadbalancer-ipv6-pool` (external-dns) | the address of `traefik-external-wordpress`, from `loadbalancer-ipv6-pool-dr` (**by hand**) |',
    );
    expect(dns).toContain('| blog-dr.example.org | A | Service `wordpress/wordpress-name-dr` | `192.0.2.200` (**by hand**) | unchanged |');
    expect(shBlockAfter(dns, 'The LoadBalancer addresses')).toContain(
      "kubectl get svc -n traefik-external traefik-external-wordpress-dr -o jsonpath='{.status.loadBalancer.ingress[0].ip}'   # in 2001:db8:200:100::/112",
    );
  });

  it('lists every change by hand where external-dns does not run: the DR hosts always, the prod host once active', () => {
    expect(section(runbookOf(tiny()), '#### Changes by hand')).toBe(
      [
        '#### Changes by hand',
        '',
        '| When | Host | Type | Change |',
        '| --- | --- | --- | --- |',
        '| always | id-dr.example.org | A | set `192.0.2.2` |',
        '| on activation | id.example.org | A | set `192.0.2.2` |',
        '| on failback | id.example.org | A | external-dns (`traefik-external`) publishes `192.0.2.1` again; if it does not (it changes only records it owns), set it by hand |',
      ].join('\n'),
    );
  });

  it('sets every record by hand, back and forth, when public DNS is off', () => {
    const env = tiny();
    const [cluster] = env.clusters;
    if (!cluster?.edge) throw new Error('no edge');
    const offline = { ...env, clusters: [{ ...cluster, edge: { ...cluster.edge, publicDns: false } }] };
    const changes = section(runbookOf(offline), '#### Changes by hand');
    expect(changes).toContain('| in standby | id.example.org | A | set `192.0.2.1` |');
    expect(changes).toContain('| on activation | id.example.org | A | set `192.0.2.2` |');
    expect(changes).toContain('| on failback | id.example.org | A | set `192.0.2.1` again |');
  });

  it('writes the activation DNS step for the actual host and balancer', () => {
    const markdown = homeRunbook();
    const activation = section(markdown, '#### Activate wordpress');
    expect(activation).toContain('   - `blog.example.org` A: set `192.0.2.200`\n');
    expect(activation).toContain(
      "   kubectl get svc -n traefik-external traefik-external-wordpress -o jsonpath='{.status.loadBalancer.ingress[0].ip}'   # in 2001:db8:200:100::/112\n",
    );
    expect(activation).toContain('curl -sSI --resolve "blog.example.org:443:192.0.2.200" https://blog.example.org/');
  });

  it('says so for a cluster without an edge', () => {
    const env = tiny();
    const [cluster] = env.clusters;
    if (!cluster) throw new Error('no cluster');
    const { edge: _edge, ...withoutEdge } = cluster;
    const markdown = runbookOf({ ...env, clusters: [withoutEdge] });
    expect(section(markdown, '## DNS')).toContain('No edge is declared: twinops renders no load balancers and no DNS records here.');
  });
});
