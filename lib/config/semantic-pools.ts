/**
 * Checks that a cluster's load balancer address plans are sane: each pool is the size of a
 * pool, written as its network address, and prod and DR never share addresses or pools (the
 * twins' balancers would take prod's addresses, and one pool name would be rendered twice).
 *
 * Only within a cluster: pools and their IPAM are objects of one cluster's API, and two clusters
 * of an environment may well reuse one private range behind their own routers. (Host names, the
 * one thing two clusters cannot share, are checked across the environment and across environments.)
 */
import ipaddr from 'ipaddr.js';
import type { AddressPlan, Cluster } from './environment';
import type { ConfigPath } from './errors';
import { finding, quote, type CheckContext } from './semantic-context';
import { isCidr } from './semantic-edge';

type Family = 'ipv4' | 'ipv6';
type Side = 'prod' | 'dr';

/**
 * The widest pool accepted, per family. A load balancer pool holds addresses for a handful of
 * Services: /16 (65,536 IPv4 addresses) is more than any site needs, and anything wider swallows
 * a whole private block (10.0.0.0/8, 172.16.0.0/12) with the cluster's own pod and Service
 * ranges in it — /0 is every address. For IPv6, /48 is the largest prefix a site is normally
 * delegated (RFC 6177): a pool wider than that takes other sites' addresses.
 */
export const WIDEST_PREFIX: Readonly<Record<Family, number>> = { ipv4: 16, ipv6: 48 };

interface Located {
  readonly side: Side;
  readonly family: Family;
  readonly plan: AddressPlan;
  readonly path: ConfigPath;
}

const FAMILY_NAME: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

/**
 * Parses of one check run, by family and text. Several checks parse the same CIDR, and a fleet's
 * clusters often reuse one range; ipaddr.js's IPv6 parser was a third of the semantic checks'
 * time on the bench fleet before (measured: checkPools 30% of checkSemantics, now under 5%).
 * The parsed addresses are only read (`match`, `kind`, `toString`), never changed.
 */
const parses = new WeakMap<CheckContext, Map<string, unknown>>();

function remembered<T>(context: CheckContext, key: string, parse: () => T): T {
  let memo = parses.get(context);
  if (memo === undefined) parses.set(context, (memo = new Map()));
  if (memo.has(key)) return memo.get(key) as T;
  const value = parse();
  memo.set(key, value);
  return value;
}

/** The parsed CIDR, or undefined when it does not parse (reported by the edge checks). */
function range(context: CheckContext, cidr: string | undefined, family: Family): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  if (cidr === undefined) return undefined;
  return remembered(context, `cidr ${family} ${cidr}`, () => (isCidr(cidr, family) ? ipaddr.parseCIDR(cidr) : undefined));
}

/** A pool sane enough to compare with others; a wider one is refused, and overlaps it all. */
function saneRange(context: CheckContext, cidr: string | undefined, family: Family): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  const parsed = range(context, cidr, family);
  return parsed !== undefined && parsed[1] >= WIDEST_PREFIX[family] ? parsed : undefined;
}

/** Whether `address` parses in `family`; undefined otherwise (reported by the edge checks). */
function address(context: CheckContext, value: string | undefined, family: Family): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (value === undefined) return undefined;
  return remembered(context, `address ${family} ${value}`, () => {
    if (!ipaddr.isValid(value)) return undefined;
    const parsed = ipaddr.parse(value);
    return parsed.kind() === family ? parsed : undefined;
  });
}

/** Two CIDRs overlap exactly when one contains the other. */
function overlaps(a: [ipaddr.IPv4 | ipaddr.IPv6, number], b: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  return a[0].kind() === b[0].kind() && (a[1] >= b[1] ? a[0].match(b) : b[0].match(a));
}

export function checkPools(context: CheckContext, cluster: Cluster, c: number): void {
  const edge = cluster.edge;
  if (edge === undefined) return;
  const plans: Located[] = [];
  for (const side of ['prod', 'dr'] as const) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const plan = edge[side][family];
      if (plan !== undefined) plans.push({ side, family, plan, path: ['clusters', c, 'edge', side, family] });
    }
  }
  for (const located of plans) checkCidr(context, located);
  checkPoolNames(context, plans);
  for (const family of ['ipv4', 'ipv6'] as const) {
    const prod = plans.find((p) => p.side === 'prod' && p.family === family);
    const dr = plans.find((p) => p.side === 'dr' && p.family === family);
    if (prod !== undefined && dr !== undefined) checkApart(context, prod, dr);
  }
}

function checkCidr(context: CheckContext, { family, plan, path }: Located): void {
  const parsed = range(context, plan.cidr, family);
  if (parsed === undefined || plan.cidr === undefined) return;
  const [, prefix] = parsed;
  const at = [...path, 'cidr'];
  if (prefix < WIDEST_PREFIX[family]) {
    const lead = `a load balancer pool this wide takes addresses that nodes, pods, Services or other sites use`;
    const size = family === 'ipv4' ? ' (at most 65536 addresses)' : ' (at most a site’s delegation)';
    context.report(at, finding(`an ${FAMILY_NAME[family]} CIDR of /${WIDEST_PREFIX[family]} or longer${size}`, quote(plan.cidr), lead));
    return;
  }
  const cidr = plan.cidr;
  const network = remembered(context, `network ${family} ${cidr}`, () =>
    (family === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr)).toString(),
  );
  if (network === remembered(context, `shown ${family} ${cidr}`, () => parsed[0].toString())) return;
  // A pool is named by its network address; 192.0.2.70/28 reads as "from .70" but means .64 to .79.
  const expected = `the network address of the pool: ${network}/${prefix}`;
  context.report(at, finding(expected, `${quote(plan.cidr)} (host bits set)`));
}

/**
 * Pool names are unique where they would collide: prod and DR never share a pool (their
 * balancers would take each other's addresses), and a pool twinops renders (with a CIDR) holds
 * one family, so one name cannot serve both families of a side.
 */
function checkPoolNames(context: CheckContext, plans: readonly Located[]): void {
  const withPool = plans.filter((p) => p.plan.pool !== undefined);
  // Only a repeated name can collide; ordering by position costs a full YAML parse, so skip it.
  if (new Set(withPool.map((p) => p.plan.pool)).size === withPool.length) return;
  const ordered = [...withPool].sort((a, b) => compare(context.position([...a.path, 'pool']), context.position([...b.path, 'pool'])));
  ordered.forEach((later, i) => {
    const earlier = ordered.slice(0, i).find((p) => p.plan.pool === later.plan.pool && (p.side !== later.side || p.plan.cidr !== undefined || later.plan.cidr !== undefined));
    if (earlier === undefined) return;
    const name = later.plan.pool ?? '';
    const { line } = context.position([...earlier.path, 'pool']);
    const lead = earlier.side === later.side
      ? `pool ${quote(name)} is also the ${earlier.side} ${FAMILY_NAME[earlier.family]} pool (line ${line}), and a pool twinops renders holds addresses of one family`
      : `prod and DR need their own address pools: ${quote(name)} is also the ${earlier.side} ${FAMILY_NAME[earlier.family]} pool (line ${line})`;
    context.report([...later.path, 'pool'], finding('a pool name of its own', quote(name), lead));
  });
}

const compare = (a: { line: number; column: number }, b: { line: number; column: number }) => a.line - b.line || a.column - b.column;

/** Prod and DR of one family have no address in common: pools apart, fixed addresses outside the other's pool. */
function checkApart(context: CheckContext, prod: Located, dr: Located): void {
  const { family } = prod;
  const name = FAMILY_NAME[family];
  const prodRange = saneRange(context, prod.plan.cidr, family);
  const drRange = saneRange(context, dr.plan.cidr, family);
  const prodAddress = address(context, prod.plan.address, family);
  const drAddress = address(context, dr.plan.address, family);
  const lineOf = (located: Located, key: 'cidr' | 'address') => context.position([...located.path, key]).line;
  const consequence = 'prod and DR balancers could get the same address';
  if (prodRange !== undefined && drRange !== undefined && overlaps(prodRange, drRange)) {
    const lead = `the DR ${name} pool overlaps the prod pool ${prod.plan.cidr} (line ${lineOf(prod, 'cidr')}): ${consequence}`;
    context.report([...dr.path, 'cidr'], finding('a CIDR apart from the prod pool', quote(dr.plan.cidr ?? ''), lead));
  }
  if (prodRange !== undefined && drAddress !== undefined && drAddress.match(prodRange)) {
    const lead = `the DR ${name} address lies in the prod pool ${prod.plan.cidr} (line ${lineOf(prod, 'cidr')}): ${consequence}`;
    context.report([...dr.path, 'address'], finding('an address outside the prod pool', quote(dr.plan.address ?? ''), lead));
  }
  if (drRange !== undefined && prodAddress !== undefined && prodAddress.match(drRange)) {
    const lead = `the DR ${name} pool contains the prod address ${prod.plan.address} (line ${lineOf(prod, 'address')}): ${consequence}`;
    context.report([...dr.path, 'cidr'], finding('a CIDR that leaves out the prod address', quote(dr.plan.cidr ?? ''), lead));
  }
  if (prodAddress !== undefined && drAddress !== undefined && prodAddress.toString() === drAddress.toString()) {
    const lead = `the DR ${name} address is also the prod address (line ${lineOf(prod, 'address')}): the twins' balancer would take prod's address`;
    context.report([...dr.path, 'address'], finding('an address of the DR side’s own', quote(dr.plan.address ?? ''), lead));
  }
}
