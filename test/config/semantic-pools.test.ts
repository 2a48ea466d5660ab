import { describe, expect, it } from 'vitest';
import { WIDEST_PREFIX } from '../../lib/config/semantic-pools';
import { lab, load } from './lab';
import { problems } from './support';

const PROD_V4 = 'ipv4: { pool: prod-v4, cidr: 192.0.2.128/28 }';
const PROD_V6 = 'ipv6: { pool: prod-v6, cidr: "2001:db8:0:100::/112" }';
const DR_V4 = 'ipv4: { address: 192.0.2.200 }';
const DR_V6 = 'ipv6: { pool: dr-v6, cidr: "2001:db8:200:100::/112" }';
const TOO_WIDE = 'a load balancer pool this wide takes addresses that nodes, pods, Services or other sites use';
const SAME_ADDRESS = 'prod and DR balancers could get the same address';

describe('address pool size', () => {
  it('accepts pools up to /16 in IPv4 and /48 in IPv6', () => {
    expect(WIDEST_PREFIX).toEqual({ ipv4: 16, ipv6: 48 });
    const env = load(lab([PROD_V4, 'ipv4: { pool: prod-v4, cidr: 10.0.0.0/16 }'], [PROD_V6, 'ipv6: { pool: prod-v6, cidr: "2001:db8::/48" }']));
    expect([env.clusters[0]?.edge?.prod.ipv4?.cidr, env.clusters[0]?.edge?.prod.ipv6?.cidr]).toEqual(['10.0.0.0/16', '2001:db8::/48']);
  });

  it.each(['0.0.0.0/0', '10.0.0.0/15'])('refuses the IPv4 pool %s, once', (cidr) => {
    expect(problems(lab([PROD_V4, `ipv4: { pool: prod-v4, cidr: ${cidr} }`], [DR_V4, 'ipv4: { address: 198.51.100.7 }']))).toEqual([
      `environments/test.yaml:27:38 clusters[0].edge.prod.ipv4.cidr: ${TOO_WIDE}; expected an IPv4 CIDR of /16 or longer (at most 65536 addresses); given "${cidr}"`,
    ]);
  });

  it.each(['::/0', '2001:db8::/47'])('refuses the IPv6 pool %s, once, without an overlap besides', (cidr) => {
    expect(problems(lab([PROD_V6, `ipv6: { pool: prod-v6, cidr: "${cidr}" }`]))).toEqual([
      `environments/test.yaml:28:38 clusters[0].edge.prod.ipv6.cidr: ${TOO_WIDE}; expected an IPv6 CIDR of /48 or longer (at most a site’s delegation); given "${cidr}"`,
    ]);
  });

  it('refuses a CIDR with host bits set, naming its network address', () => {
    const text = lab([PROD_V4, 'ipv4: { pool: prod-v4, cidr: 192.0.2.130/28 }'], [DR_V6, 'ipv6: { pool: dr-v6, cidr: "2001:db8:200:100::5/112" }']);
    expect(problems(text)).toEqual([
      'environments/test.yaml:27:38 clusters[0].edge.prod.ipv4.cidr: expected the network address of the pool: 192.0.2.128/28; given "192.0.2.130/28" (host bits set)',
      'environments/test.yaml:31:36 clusters[0].edge.dr.ipv6.cidr: expected the network address of the pool: 2001:db8:200:100::/112; given "2001:db8:200:100::5/112" (host bits set)',
    ]);
  });
});

describe('prod and DR addresses apart', () => {
  it.each([
    ['the same CIDR', '"2001:db8:0:100::/112"'],
    ['a CIDR inside the prod pool', '"2001:db8:0:100::80/121"'],
    ['a CIDR around the prod pool', '"2001:db8::/48"'],
  ])('refuses a DR pool with %s', (_, cidr) => {
    expect(problems(lab([DR_V6, `ipv6: { pool: dr-v6, cidr: ${cidr} }`]))).toEqual([
      `environments/test.yaml:31:36 clusters[0].edge.dr.ipv6.cidr: the DR IPv6 pool overlaps the prod pool 2001:db8:0:100::/112 (line 28): ${SAME_ADDRESS}; expected a CIDR apart from the prod pool; given ${cidr}`,
    ]);
  });

  it('refuses a DR address inside the prod pool', () => {
    expect(problems(lab([DR_V4, 'ipv4: { address: 192.0.2.140 }']))).toEqual([
      `environments/test.yaml:30:26 clusters[0].edge.dr.ipv4.address: the DR IPv4 address lies in the prod pool 192.0.2.128/28 (line 27): ${SAME_ADDRESS}; expected an address outside the prod pool; given "192.0.2.140"`,
    ]);
  });

  it('refuses a DR pool that contains the prod address', () => {
    const text = lab([DR_V4, 'ipv4: { pool: dr-v4, cidr: 192.0.2.192/28 }'], [PROD_V4, 'ipv4: { address: 192.0.2.199 }']);
    expect(problems(text)).toEqual([
      `environments/test.yaml:30:36 clusters[0].edge.dr.ipv4.cidr: the DR IPv4 pool contains the prod address 192.0.2.199 (line 27): ${SAME_ADDRESS}; expected a CIDR that leaves out the prod address; given "192.0.2.192/28"`,
    ]);
  });

  it('refuses one fixed address for prod and DR', () => {
    expect(problems(lab([PROD_V4, 'ipv4: { address: 192.0.2.201 }'], [DR_V4, 'ipv4: { address: 192.0.2.201 }']))).toEqual([
      "environments/test.yaml:30:26 clusters[0].edge.dr.ipv4.address: the DR IPv4 address is also the prod address (line 27): the twins' balancer would take prod's address; expected an address of the DR side’s own; given \"192.0.2.201\"",
    ]);
  });
});

describe('pool names', () => {
  it('refuses a DR pool named as the prod pool, rendered or not', () => {
    expect(problems(lab([DR_V6, 'ipv6: { pool: prod-v6, cidr: "2001:db8:200:100::/112" }']))).toEqual([
      'environments/test.yaml:31:23 clusters[0].edge.dr.ipv6.pool: prod and DR need their own address pools: "prod-v6" is also the prod IPv6 pool (line 28); expected a pool name of its own; given "prod-v6"',
    ]);
    expect(problems(lab([PROD_V6, 'ipv6: { pool: shared }'], [DR_V6, 'ipv6: { pool: shared }']))).toEqual([
      'environments/test.yaml:31:23 clusters[0].edge.dr.ipv6.pool: prod and DR need their own address pools: "shared" is also the prod IPv6 pool (line 28); expected a pool name of its own; given "shared"',
    ]);
  });

  it('refuses one rendered pool for both families of a side', () => {
    expect(problems(lab([PROD_V6, 'ipv6: { pool: prod-v4, cidr: "2001:db8:0:100::/112" }']))).toEqual([
      'environments/test.yaml:28:23 clusters[0].edge.prod.ipv6.pool: pool "prod-v4" is also the prod IPv4 pool (line 27), and a pool twinops renders holds addresses of one family; expected a pool name of its own; given "prod-v4"',
    ]);
  });

  it('accepts one existing dual-stack pool for both families of a side', () => {
    const env = load(lab([PROD_V4, 'ipv4: { pool: dual }'], [PROD_V6, 'ipv6: { pool: dual }']));
    expect([env.clusters[0]?.edge?.prod.ipv4, env.clusters[0]?.edge?.prod.ipv6]).toEqual([{ pool: 'dual' }, { pool: 'dual' }]);
  });

  it('leaves two clusters free to reuse one private range and pool names', () => {
    const cluster = (name: string) => `
  - name: ${name}
    nodes: [{ name: a }]
    edge:
      acmeEmail: ops@example.org
      prod: { ipv4: { pool: lb, cidr: 192.0.2.0/28 } }`;
    expect(load(`clusters:${cluster('east')}${cluster('west')}\n`).clusters.map((c) => c.edge?.prod.ipv4)).toEqual([
      { pool: 'lb', cidr: '192.0.2.0/28' },
      { pool: 'lb', cidr: '192.0.2.0/28' },
    ]);
  });
});
