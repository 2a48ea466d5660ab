/**
 * The edge rules of the variant engine (DESIGN.md "Variant rules", "DR state and activation"):
 * which Traefik instance a variant's route belongs to, which instance and pool its IPv6 load
 * balancer takes, and which address its DNS record points at — and how activation moves the
 * production balancer and record onto the DR side while the production route stays put.
 */
import type { AddressPlan, Cluster, Edge, Environment, TraefikInstance } from '../config/environment';
import type { DrState } from '../config/schema';
import { drName, drPlacement, drStorageClass, type Placement } from './rules';

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

/** Prod: its own instance, until activation moves its balancer and record to the DR side. */
export function prodEdge(cluster: Cluster, state: DrState): EdgeView | undefined {
  const edge = cluster.edge;
  if (!edge) return undefined;
  return view(edge, edge.prod, state === 'active' ? edge.dr : edge.prod);
}

/** A twin: always the DR instance, its pool and its address. */
export function drEdge(cluster: Cluster): EdgeView | undefined {
  const edge = cluster.edge;
  return edge ? view(edge, edge.dr, edge.dr) : undefined;
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

/** The prod and DR Traefik instances of a cluster with an edge (DR only if it has a DR node). */
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
  if (cluster.dr === undefined) return [prod];
  const dr: InstancePlan = {
    instance: edge.dr,
    variant: 'dr',
    placement: drPlacement(cluster),
    ...(edge.acmeStorageClass ? { acmeStorageClass: drStorageClass(env, edge.acmeStorageClass) } : {}),
    ipv4BalancerName: drName(env, ipv4),
  };
  return [prod, dr];
}
