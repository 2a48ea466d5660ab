/**
 * The DNS records each app's hosts need, derived from the environment's edge and the naming the
 * edge constructs use: the IPv6 LoadBalancer of app A is `<prod instance>-<A>` in the edge
 * namespace (its twin's `<prod instance>-<A>-dr`), the record Services (ExternalName) are
 * `<A>-name` and `<A>-name-dr` in the app's namespaces. A record's value depends on which Traefik
 * instance serves its host: the prod host moves to the DR instance on activation.
 */
import { recordedMemo, type MemoStore } from '../cache/reads';
import type { AppPlacement, Edge, Environment, TraefikInstance } from '../config/environment';
import { appEdgeNames } from '../variant/edge';
import { drName, drNamespace, drHost } from '../variant/rules';
import { contextOf, inContext } from './contexts';
import type { AppFacts, ClusterFacts, TwinnedApp } from './facts';
import { twinElsewhere } from './facts';
import { code, text } from './markdown';
import { expansion, shellArg, shellComment, type WordPart } from './shell';

/** What one record is set to in one state. */
export interface RecordValue {
  /** Markdown: the address, or which balancer's address. */
  readonly text: string;
  /** The fixed address, when the environment gives one. */
  readonly address?: string;
  /** The command that prints the address, when a pool assigns it. */
  readonly lookup?: string;
  /** The LoadBalancer Service whose address it is, when a pool assigns it. */
  readonly balancer?: string;
  /** The CIDR of that pool, when the environment gives it: where the address must be. */
  readonly range?: string;
  /** Whether it must be set by hand: external-dns does not run (or publish) for the instance. */
  readonly byHand: boolean;
  /** The Traefik instance serving the host in that state. */
  readonly instance: string;
}

export interface DnsRecord {
  readonly host: string;
  readonly type: 'A' | 'AAAA';
  /** The Kubernetes object external-dns reads it from: `namespace/name`. */
  readonly source: string;
  readonly standby: RecordValue;
  /** After activation; equal to `standby` for records activation does not move. */
  readonly active: RecordValue;
  /** Whether activation moves it (the prod host of an app with a twin). */
  readonly moves: boolean;
  /** The cluster whose Service it is read from; set only where twins run on other clusters. */
  readonly cluster?: string;
  /**
   * For the prod host of a twin on another cluster: activation moves the record to another
   * cluster's external-dns, which never takes over a record the first one owns (TXT registry,
   * `upsert-only`): the owner's records are deleted by hand first.
   */
  readonly handover?: RecordHandover;
}

/** A record that changes cluster on activation. */
export interface RecordHandover {
  /** The prod cluster, owner in standby. */
  readonly from: string;
  /** The twin's cluster, owner once active. */
  readonly to: string;
  /** The Service the twin's cluster reads it from once active: `namespace/name`. */
  readonly source: string;
}

/** The names of an app's edge objects, as the edge constructs render them. */
export function edgeNames(env: Environment, edge: Edge, placement: AppPlacement) {
  const { balancer, record } = appEdgeNames(edge.prod.name, placement.app);
  return {
    prodBalancer: balancer,
    twinBalancer: drName(env, balancer),
    prodRecord: `${placement.namespace}/${record}`,
    twinRecord: `${drNamespace(env, placement.namespace)}/${drName(env, record)}`,
  };
}

/** The command printing a LoadBalancer Service's address. */
export function balancerLookup(edge: Edge, balancer: string): string {
  return `kubectl get svc -n ${shellArg(edge.namespace)} ${shellArg(balancer)} -o jsonpath='{.status.loadBalancer.ingress[0].ip}'`;
}

function byHand(edge: Edge, instance: TraefikInstance): boolean {
  return !(edge.publicDns && instance.externalDns);
}

function ipv4Value(edge: Edge, instance: TraefikInstance): RecordValue | undefined {
  const plan = instance.ipv4;
  if (plan === undefined) return undefined;
  const address = plan.public ?? plan.address;
  const base = { byHand: byHand(edge, instance), instance: instance.name };
  if (address !== undefined) return { ...base, text: code(address), address };
  return { ...base, text: `the external address of ${text(instance.name)}'s IPv4 balancer` };
}

function ipv6Value(edge: Edge, instance: TraefikInstance, balancer: string, context?: string): RecordValue | undefined {
  const plan = instance.ipv6;
  if (plan === undefined) return undefined;
  const address = plan.public ?? plan.address;
  const base = { byHand: byHand(edge, instance), instance: instance.name };
  if (address !== undefined) return { ...base, text: code(address), address };
  const pool = plan.pool ? `, from ${code(plan.pool)}` : '';
  return {
    ...base,
    text: `the address of ${code(balancer)}${pool}`,
    lookup: inContext([balancerLookup(edge, balancer)], context).join(''),
    balancer,
    ...(plan.cidr ? { range: plan.cidr } : {}),
  };
}

/**
 * Records per app, made once: the DNS table, each procedure's DNS step and checks, the
 * certificates and region loss all ask (seven times an app on the bench fleet, ~0.25 s there).
 */
const recordsOf = new WeakMap<ClusterFacts, MemoStore<AppFacts, readonly DnsRecord[]>>();

/** Every record an app's hosts need on a cluster with an edge, prod host first. */
export function appRecords(facts: ClusterFacts, app: AppFacts): readonly DnsRecord[] {
  let ofCluster = recordsOf.get(facts);
  if (ofCluster === undefined) {
    ofCluster = new WeakMap();
    recordsOf.set(facts, ofCluster);
  }
  return recordedMemo(ofCluster, app, () => recordsOfApp(facts, app));
}

function recordsOfApp(facts: ClusterFacts, app: AppFacts): DnsRecord[] {
  const edge = facts.cluster.edge;
  const host = app.placement.host;
  if (host !== undefined && twinElsewhere(app)) return crossClusterRecords(facts, app, host);
  if (edge === undefined || host === undefined) return [];
  const context = contextOf(facts.env, facts.cluster.name);
  const names = edgeNames(facts.env, edge, app.placement);
  const twinned = app.twin !== undefined;
  // Once active, the prod host is served by the DR instance: its IPv4, its pool.
  const activeInstance = twinned ? edge.dr : edge.prod;
  const records: DnsRecord[] = [];
  const push = (host: string, type: DnsRecord['type'], source: string, standby?: RecordValue, active?: RecordValue) => {
    if (standby !== undefined && active !== undefined) {
      records.push({ host, type, source, standby, active, moves: standby.text !== active.text || standby.instance !== active.instance });
    }
  };
  push(host, 'A', names.prodRecord, ipv4Value(edge, edge.prod), ipv4Value(edge, activeInstance));
  push(host, 'AAAA', `${edge.namespace}/${names.prodBalancer}`, ipv6Value(edge, edge.prod, names.prodBalancer, context), ipv6Value(edge, activeInstance, names.prodBalancer, context));
  const twinHost = twinned ? drHost(facts.env, app.placement) : undefined;
  if (twinHost !== undefined) {
    const a = ipv4Value(edge, edge.dr);
    const aaaa = ipv6Value(edge, edge.dr, names.twinBalancer, context);
    push(twinHost, 'A', names.twinRecord, a, a);
    push(twinHost, 'AAAA', `${edge.namespace}/${names.twinBalancer}`, aaaa, aaaa);
  }
  return records;
}

/**
 * The records of an app whose twin runs on another cluster: prod's host from the prod cluster's
 * edge in standby and from the twin cluster's DR instance once active (a handover between two
 * external-dns owners), the twin's own host from the twin cluster's edge. A side without an edge
 * publishes nothing: the record is absent there (the runbook says to point clients by hand).
 */
function crossClusterRecords(facts: ClusterFacts, app: TwinnedApp, host: string): DnsRecord[] {
  const { env } = facts;
  const prodEdge = facts.cluster.edge;
  const home = app.twinSite.cluster;
  const homeEdge = home.edge;
  const [prodContext, homeContext] = [contextOf(env, facts.cluster.name), contextOf(env, home.name)];
  const records: DnsRecord[] = [];
  if (prodEdge !== undefined && homeEdge !== undefined) {
    const prodNames = edgeNames(env, prodEdge, app.placement);
    const homeNames = edgeNames(env, homeEdge, app.placement);
    // Active, the twin publishes prod's host under prod's record name, in the twin's namespace.
    const handover = { from: facts.cluster.name, to: home.name, source: `${app.twin.variant.namespace}/${appEdgeNames(homeEdge.prod.name, app.placement.app).record}` };
    const pairs: [DnsRecord['type'], string, RecordValue | undefined, RecordValue | undefined][] = [
      ['A', prodNames.prodRecord, ipv4Value(prodEdge, prodEdge.prod), ipv4Value(homeEdge, homeEdge.dr)],
      ['AAAA', `${prodEdge.namespace}/${prodNames.prodBalancer}`, ipv6Value(prodEdge, prodEdge.prod, prodNames.prodBalancer, prodContext), ipv6Value(homeEdge, homeEdge.dr, homeNames.twinBalancer, homeContext)],
    ];
    for (const [type, source, standby, active] of pairs) {
      if (standby !== undefined && active !== undefined) records.push({ host, type, source, standby, active, moves: true, cluster: facts.cluster.name, handover });
    }
  }
  const twinHost = drHost(env, app.placement);
  if (homeEdge !== undefined && twinHost !== undefined) {
    const names = edgeNames(env, homeEdge, app.placement);
    const a = ipv4Value(homeEdge, homeEdge.dr);
    const aaaa = ipv6Value(homeEdge, homeEdge.dr, names.twinBalancer, homeContext);
    if (a !== undefined) records.push({ host: twinHost, type: 'A', source: names.twinRecord, standby: a, active: a, moves: false, cluster: home.name });
    if (aaaa !== undefined) records.push({ host: twinHost, type: 'AAAA', source: `${homeEdge.namespace}/${names.twinBalancer}`, standby: aaaa, active: aaaa, moves: false, cluster: home.name });
  }
  return records;
}

/** The lookup of a value as a line of its own, with the range the address must be in. */
export function lookupLine(value: RecordValue): string | undefined {
  if (value.lookup === undefined) return undefined;
  return value.range === undefined ? value.lookup : `${value.lookup}   # in ${shellComment(value.range)}`;
}

/** `192.0.2.200`, or `$(kubectl get svc …)`: a value as a part of a shell word. */
export function shellValue(value: RecordValue): WordPart | undefined {
  if (value.address !== undefined) return value.address;
  return value.lookup === undefined ? undefined : expansion(`$(${value.lookup})`);
}
