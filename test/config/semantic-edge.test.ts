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

describe('the ACME challenge of the edge', () => {
  const lab = (secrets: string, acme: string) => yaml`
    ${secrets}
    clusters:
      - name: home
        nodes: [{ name: hassio }, { name: remote, taints: [{ key: dedicated, effect: NoSchedule }] }]
        dr: { node: remote }
        edge:
          acmeEmail: hostmaster@example.org
          prod: { ipv4: { address: 192.0.2.1 } }
          dr: { ipv4: { address: 192.0.2.200 } }
${acme}
  `;

  it('defaults to the TLS challenge', () => {
    expect(parseEnvironment('test', FILE, lab('', ''), { knownApps }).clusters[0]?.edge?.acme).toEqual({ challenge: 'tls' });
  });

  it('loads a DNS challenge with its provider, credentials and store', () => {
    const acme = `          acme:
            challenge: dns
            dnsProvider: cloudflare
            credentials: { remoteKey: dns/cloudflare, env: { CF_DNS_API_TOKEN: token } }`;
    expect(parseEnvironment('test', FILE, lab('secrets: { name: vault }', acme), { knownApps }).clusters[0]?.edge?.acme).toEqual({
      challenge: 'dns',
      dnsProvider: 'cloudflare',
      credentials: { remoteKey: 'dns/cloudflare', env: { CF_DNS_API_TOKEN: 'token' } },
    });
  });

  it('reports a DNS challenge without provider, credentials or secret store, at the challenge', () => {
    expect(problems(lab('', '          acme: { challenge: dns }'))).toEqual([
      "environments/test.yaml:10:26 clusters[0].edge.acme.challenge: the DNS challenge sets a TXT record through the provider's API; expected a `dnsProvider` beside `challenge: dns`, e.g. dnsProvider: cloudflare; given none",
      "environments/test.yaml:10:26 clusters[0].edge.acme.challenge: the DNS challenge sets a TXT record through the provider's API with credentials from the secret store; expected `credentials` beside `challenge: dns`, e.g. credentials: { remoteKey: dns/cloudflare, env: { CF_DNS_API_TOKEN: token } }; given none",
      'environments/test.yaml:10:26 clusters[0].edge.acme.challenge: the DNS provider\'s credentials come from the secret store, but the environment has none; expected a top-level "secrets" field such as secrets: {name: vault}; given none',
    ]);
  });

  it('reports DNS fields beside the TLS challenge, at their keys', () => {
    expect(problems(lab('', '          acme: { dnsProvider: cloudflare, resolvers: ["1.1.1.1:53"] }'))).toEqual([
      'environments/test.yaml:10:15 clusters[0].edge.acme.dnsProvider: dnsProvider only applies to the DNS challenge; expected `challenge: dns` beside it, or no such field; given `dnsProvider` with the TLS challenge',
      'environments/test.yaml:10:40 clusters[0].edge.acme.resolvers: resolvers only applies to the DNS challenge; expected `challenge: dns` beside it, or no such field; given `resolvers` with the TLS challenge',
    ]);
  });

  it('reports an unknown challenge and a variable name the container env cannot take, by the schema', () => {
    const acme = `          acme:
            challenge: http
            credentials: { remoteKey: dns/cloudflare, env: { "CF-TOKEN": token } }`;
    expect(problems(lab('secrets: { name: vault }', acme))).toEqual([
      'environments/test.yaml:11:20 clusters[0].edge.acme.challenge: expected one of tls, dns; given "http"',
      'environments/test.yaml:12:58 clusters[0].edge.acme.credentials.env.CF-TOKEN: unknown field "CF-TOKEN"; expected a key that is a string matching ^[A-Za-z_][A-Za-z0-9_]*$',
    ]);
  });
});
