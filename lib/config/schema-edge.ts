/**
 * The edge of a cluster in the environment schema: its Traefik instances (one serving prod, one
 * serving the twins), their address plan per IP family, how DNS is published and how their ACME
 * resolver proves control of the hosts. Part of the
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

/** An environment variable name, as a container's `env` takes it and DNS providers read it. */
const ENV_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
/** A Secret data key: the property at the store key becomes the Secret key of the same name. */
const SECRET_KEY = '^[-._a-zA-Z0-9]+$';

export const AcmeCredentialsSchema = Type.Object(
  {
    remoteKey: Type.String({ minLength: 1, description: "Key in the environment's secret store (`secrets`) holding the DNS provider's credentials, e.g. `dns/cloudflare`." }),
    env: Type.Record(Type.String({ pattern: ENV_NAME }), Type.String({ pattern: SECRET_KEY, description: 'Property at `remoteKey` holding the value, e.g. `token`.' }), {
      minProperties: 1,
      additionalProperties: false,
      description: 'Environment variables of both Traefik instances, the names the DNS provider reads (e.g. `CF_DNS_API_TOKEN`), each mapped to the property at `remoteKey` holding its value.',
    }),
  },
  {
    additionalProperties: false,
    description:
      'Where the DNS provider\'s credentials come from: an ExternalSecret in the edge namespace reads them from the environment\'s secret store (a `SecretStore` must exist in that namespace; a `ClusterSecretStore` serves every namespace); twinops never renders them in Git.',
  },
);

export const AcmeSchema = Type.Object(
  {
    challenge: Type.Optional(
      Type.Union([Type.Literal('tls'), Type.Literal('dns')], {
        description:
          "How Let's Encrypt checks that the `letsencrypt` resolver controls a host. tls: TLS-ALPN-01 on port 443 of the address DNS gives for the host, so the DR instance gets the prod host's certificate only after DNS points at it. dns: DNS-01, a TXT record set through the DNS provider's API, so both instances hold a certificate for every host of their routes (the twin's route answers the prod host too) before any failover. Default: tls.",
      }),
    ),
    dnsProvider: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9][a-z0-9.-]*$',
        description: "With `challenge: dns`, required: the DNS provider's code in Traefik's ACME client (lego), e.g. `cloudflare`, `route53`, `ovh`.",
      }),
    ),
    credentials: Type.Optional(AcmeCredentialsSchema),
    resolvers: Type.Optional(
      Type.Array(Type.String({ pattern: '^\\S+:[0-9]+$', description: 'A DNS server as `host:port`, e.g. `1.1.1.1:53`.' }), {
        minItems: 1,
        description: "With `challenge: dns`: the DNS servers Traefik asks whether the TXT record is visible (useful when the cluster's own DNS answers the zone differently). Default: the pod's resolvers.",
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "The ACME challenge of both Traefik instances' `letsencrypt` resolver. `challenge: dns` requires `dnsProvider`, `credentials` and a top-level `secrets` store. Default: the TLS challenge.",
  },
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
    acme: Type.Optional(AcmeSchema),
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
export type AcmeCredentialsSpec = Static<typeof AcmeCredentialsSchema>;
export type AcmeSpec = Static<typeof AcmeSchema>;
export type EdgeSpec = Static<typeof EdgeSchema>;
