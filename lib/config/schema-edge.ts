/**
 * The edge of a cluster in the environment schema: its Traefik instances (one serving prod, one
 * serving the twins), their address plan per IP family, and how DNS is published. Part of the
 * environment schema (`./schema.ts`), kept apart to keep each file about one thing.
 */
import { Type, type Static } from '@sinclair/typebox';
import { HELM_REPOSITORY, Label, Subdomain } from './schema-names';

export const AddressPlanSchema = Type.Object(
  {
    pool: Type.Optional(Subdomain('Address pool the load balancers of this family take their address from, e.g. `loadbalancer-ipv6-pool`.')),
    cidr: Type.Optional(
      Type.String({ minLength: 1, description: 'CIDR of the pool. When given, twinops renders the pool itself (Calico IPPool or MetalLB IPAddressPool). Default: the pool exists already.' }),
    ),
    address: Type.Optional(
      Type.String({ minLength: 1, description: 'One fixed address instead of a pool (`loadBalancerIP` plus `externalIPs`), as on a VPS with a single public address.' }),
    ),
    public: Type.Optional(
      Type.String({ minLength: 1, description: 'The public address DNS records point at, when the balancer sits behind NAT (IPv4 at home). Default: `address`.' }),
    ),
  },
  { additionalProperties: false, description: 'Where the load balancers of one IP family get their address: a `pool` or a fixed `address`.' },
);

export const TraefikInstanceSchema = Type.Object(
  {
    name: Type.Optional(Label('Instance name: its HelmRelease, its ingress class and its pod label `app`. Default: traefik-external (prod), traefik-dr (DR).')),
    ipv6: Type.Optional(AddressPlanSchema),
    ipv4: Type.Optional(AddressPlanSchema),
    externalDns: Type.Optional(
      Type.Boolean({ description: 'Whether external-dns runs for the records of this instance. When false, the runbook lists the DNS changes to make by hand. Default: true.' }),
    ),
  },
  { additionalProperties: false },
);

export const EdgeSchema = Type.Object(
  {
    namespace: Type.Optional(Label('Namespace of the Traefik instances, their routes, middlewares and load balancers. Default: traefik-external.')),
    chartVersion: Type.Optional(Type.String({ pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$', description: 'Version of the Traefik Helm chart. Default: 41.3.0.' })),
    repository: Type.Optional(Type.String({ pattern: HELM_REPOSITORY, description: 'Helm repository of the Traefik chart. Default: https://traefik.github.io/charts.' })),
    provider: Type.Optional(
      Type.Union([Type.Literal('calico'), Type.Literal('metallb')], {
        description: 'What assigns load balancer addresses from pools: Calico LoadBalancer IPAM or MetalLB. Default: calico.',
      }),
    ),
    publicDns: Type.Optional(Type.Boolean({ description: 'Annotate load balancers and DNS records for external-dns. Default: false.' })),
    dnsTtl: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400, description: 'TTL of the published records, in seconds. Default: 300.' })),
    acmeEmail: Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', description: "Contact address of the Let's Encrypt account of the `letsencrypt` resolver." }),
    acmeStorageClass: Type.Optional(
      Subdomain('Storage class of the volume holding the ACME certificates of the prod instance (the DR instance uses its DR class). Default: no volume; certificates are requested again after a restart.'),
    ),
    prod: Type.Optional(TraefikInstanceSchema),
    dr: Type.Optional(TraefikInstanceSchema),
  },
  {
    additionalProperties: false,
    description: 'The Traefik instances of the cluster (prod and DR), their load balancers and DNS records.',
  },
);

export type AddressPlanSpec = Static<typeof AddressPlanSchema>;
export type TraefikInstanceSpec = Static<typeof TraefikInstanceSchema>;
export type EdgeSpec = Static<typeof EdgeSchema>;
