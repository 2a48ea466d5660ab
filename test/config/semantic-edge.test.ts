import { describe, expect, it } from 'vitest';
import { isCidr } from '../../lib/config/semantic-edge';
import { parseEnvironment } from '../../lib/config/load';
import { FILE, knownApps, problems, yaml } from './support';

const cluster = (edge: string) => yaml`
  clusters:
    - name: home
      nodes: [{ name: hassio }, { name: remote, taints: [{ key: dedicated, effect: NoSchedule }] }]
      dr: { node: remote }
      edge:
${edge}
`;

describe('edge checks', () => {
  it('accepts the address plan of the home lab', () => {
    const text = cluster(`        acmeEmail: hostmaster@example.org
        prod:
          ipv6: { pool: v6, cidr: "2001:db8:0:100::/112" }
          ipv4: { pool: v4, cidr: 192.0.2.64/28, public: 192.0.2.1 }
        dr:
          ipv4: { address: 192.0.2.200 }`);
    expect(parseEnvironment('test', FILE, text, { knownApps }).clusters[0]?.edge?.dr).toEqual({
      name: 'traefik-dr',
      externalDns: true,
      ipv4: { address: '192.0.2.200' },
    });
  });

  it('reports an address of the wrong family, a bad CIDR, and a plan with both sources', () => {
    expect(
      problems(
        cluster(`        acmeEmail: hostmaster@example.org
        prod:
          ipv6: { pool: v6, cidr: 192.0.2.0/24 }
          ipv4: { pool: v4, address: 192.0.2.7 }
        dr:
          ipv4: { address: "2001:db8::1" }`),
      ),
    ).toEqual([
      'environments/test.yaml:8:33 clusters[0].edge.prod.ipv6.cidr: expected an IPv6 CIDR such as 2001:db8::/112; given "192.0.2.0/24"',
      'environments/test.yaml:9:15 clusters[0].edge.prod.ipv4: the ipv4 plan needs exactly one source of addresses; expected a `pool` or a fixed `address`; given both',
      'environments/test.yaml:11:26 clusters[0].edge.dr.ipv4.address: expected an IPv4 address; given "2001:db8::1"',
    ]);
  });

  it('reports a plan without source, and instances sharing a name', () => {
    expect(
      problems(
        cluster(`        acmeEmail: hostmaster@example.org
        prod: { name: traefik, ipv4: { public: 192.0.2.1 } }
        dr: { name: traefik }`),
      ),
    ).toEqual([
      'environments/test.yaml:7:36 clusters[0].edge.prod.ipv4: the ipv4 plan needs exactly one source of addresses; expected a `pool` or a fixed `address`; given neither',
      'environments/test.yaml:8:19 clusters[0].edge.dr.name: prod and DR Traefik instances need their own names; expected a name other than the prod instance’s; given "traefik"',
    ]);
  });

  it('parses CIDRs per family', () => {
    expect(isCidr('192.0.2.64/28', 'ipv4')).toBe(true);
    expect(isCidr('192.0.2.64/33', 'ipv4')).toBe(false);
    expect(isCidr('2001:db8::/112', 'ipv6')).toBe(true);
    expect(isCidr('2001:db8::/112', 'ipv4')).toBe(false);
    expect(isCidr('192.0.2.64', 'ipv4')).toBe(false);
  });
});
