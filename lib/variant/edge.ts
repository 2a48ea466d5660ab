/**
 * The edge rules of the variant engine (DESIGN.md "Variant rules", "DR state and activation"):
 * which Traefik instance a variant's route belongs to, which instance and pool its IPv6 load
 * balancer takes, and which address its DNS record points at — and how activation moves the
 * production balancer and record onto the DR side while the production route stays put.
 */
import type { AddressPlan, Cluster, Edge, Environment, TraefikInstance } from '../config/environment';
import type { DrState } from '../config/schema';
import { drName, drStorageClass, runsTwins, twinPlacement, type Placement } from './rules';

/** How one variant of an app meets the world. */
export interface EdgeView {
  /** Namespace of the Traefik instances, routes, middlewares and balancers. */
  readonly namespace: string;
  /** Ingress class (= instance name) of the Traefik instance the variant's route belongs to. */
  readonly routeClass: string;
  /** The variant's IPv6 balancer: the instance it selects and where its address comes from. */
  readonly balancer?: { readonly instance: string; readonly plan: AddressPlan };
  /** The address the variant's DNS record (ExternalName) points at. */
  readonly dnsTarget?: string;
  /** external-dns annotations to add, when the environment asks for public DNS. */
  readonly publicDns?: { readonly ttl: number };
  /** What assigns addresses from pools. */
  readonly provider: Edge['provider'];
  /** Name prefix of the app balancers: the prod instance's, for both variants (`traefik-external-wordpress[-dr]`). */
  readonly balancerPrefix: string;
  /**
   * Prod's host, published by an active twin on another cluster (prod's record, under prod's
   * name, at the twin's address): the record moves to the DR cluster with the activation.
   */
  readonly takesOver?: string;
}

/**
 * Prod names of an app's edge objects (route, IPv6 balancer, DNS record); the twin's follow the
 * DR name rule. One place, read by the constructs that render them and the runbook that names them.
 */
export function appEdgeNames(balancerPrefix: string, app: string) {
  return { route: `${app}-ingressroute`, balancer: `${balancerPrefix}-${app}`, record: `${app}-name` } as const;
}

/** The public IPv4 address of an instance: what its A records point at. */
export function publicIpv4(instance: TraefikInstance): string | undefined {
  return instance.ipv4?.public ?? instance.ipv4?.address;
}

function view(edge: Edge, routeInstance: TraefikInstance, served: TraefikInstance): EdgeView {
  return {
    namespace: edge.namespace,
    routeClass: routeInstance.name,
    ...(served.ipv6 ? { balancer: { instance: served.name, plan: served.ipv6 } } : {}),
    ...(publicIpv4(served) ? { dnsTarget: publicIpv4(served) } : {}),
    ...(edge.publicDns ? { publicDns: { ttl: edge.dnsTtl } } : {}),
    provider: edge.provider,
    balancerPrefix: edge.prod.name,
  };
}

/**
 * Prod: its own instance, until activation moves its balancer and record to the DR side. When
 * the twin runs on another cluster, the balancer has nowhere to move: it stays, publishing
 * nothing, and prod's record is rendered by the twin instead (`drEdge`).
 */
export function prodEdge(cluster: Cluster, state: DrState, twinElsewhere: boolean): EdgeView | undefined {
  const edge = cluster.edge;
  if (!edge) return undefined;
  if (state !== 'active') return view(edge, edge.prod, edge.prod);
  if (!twinElsewhere) return view(edge, edge.prod, edge.dr);
  const { dnsTarget: _record, publicDns: _published, ...silent } = view(edge, edge.prod, edge.prod);
  return silent;
}

/** A twin: always the DR instance of the cluster it runs on, its pool and its address. */
export function drEdge(home: Cluster, takesOver?: string): EdgeView | undefined {
  const edge = home.edge;
  if (!edge) return undefined;
  return { ...view(edge, edge.dr, edge.dr), ...(takesOver === undefined ? {} : { takesOver }) };
}

/** One Traefik instance to render, with what the variant rules derive for it. */
export interface InstancePlan {
  readonly instance: TraefikInstance;
  readonly variant: 'prod' | 'dr';
  /** Where its pods run: the DR instance on the DR node, tolerating its taints. */
  readonly placement: Placement;
  /** Storage class of its ACME volume (the DR class for the DR instance). */
  readonly acmeStorageClass?: string;
  /** Name of its IPv4 load balancer: `<prod instance>-ipv4`, the twin's with the DR suffix. */
  readonly ipv4BalancerName: string;
}

/** The prod and DR Traefik instances of a cluster with an edge (DR only if it runs twins). */
export function traefikInstancesOf(env: Environment, cluster: Cluster): InstancePlan[] {
  const edge = cluster.edge;
  if (!edge) return [];
  const ipv4 = `${edge.prod.name}-ipv4`;
  const prod: InstancePlan = {
    instance: edge.prod,
    variant: 'prod',
    placement: {},
    ...(edge.acmeStorageClass ? { acmeStorageClass: edge.acmeStorageClass } : {}),
    ipv4BalancerName: ipv4,
  };
  if (!runsTwins(env, cluster)) return [prod];
  // Without a DR node, the cluster derives no DR classes (./storage.ts): the ACME volume keeps prod's.
  const acmeClass = edge.acmeStorageClass && cluster.dr?.node !== undefined ? drStorageClass(env, edge.acmeStorageClass) : edge.acmeStorageClass;
  const dr: InstancePlan = {
    instance: edge.dr,
    variant: 'dr',
    placement: twinPlacement(cluster),
    ...(acmeClass ? { acmeStorageClass: acmeClass } : {}),
    ipv4BalancerName: drName(env, ipv4),
  };
  return [prod, dr];
}
