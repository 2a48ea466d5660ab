/**
 * A Traefik instance, deployed from the Traefik Helm chart by a Flux HelmRelease: its own
 * ingress class and pod label `app: <instance>` (what its load balancers select), routes from
 * any namespace, the ACME resolver `letsencrypt` (TLS-ALPN-01 or DNS-01 challenge), plain HTTP
 * redirected to HTTPS at the entry point, and no Service of the chart's own, because twinops
 * renders the load balancers per IP family and address plan.
 */
import { Construct } from 'constructs';
import {
  HelmRelease,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecInstallCrds,
  HelmReleaseSpecUpgradeCrds,
} from '../../imports/helm.toolkit.fluxcd.io';
import { HelmRepository, HelmRepositorySpecType } from '../../imports/source.toolkit.fluxcd.io';
import type { Placement } from '../variant/rules';
import { LABEL } from '../variant/rules';
import { PRUNE_PROTECTION } from './protect';
import { CERT_RESOLVER, HTTP_ENTRY_POINT, HTTPS_ENTRY_POINT } from './traefik-names';

const MANAGED = { [LABEL.managedBy]: 'twinops' };

/** The Secret (from an ExternalSecret) holding the DNS provider's credentials for the DNS challenge; both instances read it. */
export const ACME_DNS_SECRET = 'acme-dns-credentials';
/** The pod label naming the instance: what its load balancers select and `kubectl logs -l` finds. */
export const INSTANCE_LABEL = 'app';

export interface ChartSourceProps {
  readonly name: string;
  readonly namespace: string;
  /** Repository URL: `https://…` or `oci://…`. */
  readonly url: string;
}

/** The Helm repository the Traefik releases install from. */
export class ChartSource extends Construct {
  public constructor(scope: Construct, id: string, props: ChartSourceProps) {
    super(scope, id);
    new HelmRepository(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: MANAGED },
      spec: {
        url: props.url,
        interval: '1h',
        ...(props.url.startsWith('oci://') ? { type: HelmRepositorySpecType.OCI } : {}),
      },
    });
  }
}

/** One environment variable of the Traefik container, read from a key of a Secret in its namespace. */
export interface SecretEnv {
  /** Variable name, e.g. `CF_DNS_API_TOKEN`. */
  readonly name: string;
  /** The Secret holding the value (rendered by an ExternalSecret, never in Git). */
  readonly secret: string;
  /** Key of the Secret, e.g. `token`. */
  readonly key: string;
}

/**
 * How the `letsencrypt` resolver proves control of a host. `tls`: TLS-ALPN-01, answered on port
 * 443 of the address public DNS gives for the host. `dns`: DNS-01, a TXT record set through the
 * provider's API with the credentials in `env`, whatever the host's address.
 */
export type AcmeChallenge =
  | { readonly kind: 'tls' }
  | {
      readonly kind: 'dns';
      /** The provider's code in Traefik's ACME client (lego), e.g. `cloudflare`. */
      readonly provider: string;
      /** The provider's credentials, as the provider reads them from the environment. */
      readonly env: readonly SecretEnv[];
      /** DNS servers (`host:port`) Traefik asks whether the record is visible. Default: the pod's. */
      readonly resolvers?: readonly string[];
    };

export interface TraefikProps {
  /** Instance name: release name, ingress class and pod label `app`. */
  readonly name: string;
  readonly namespace: string;
  /** The HelmRepository holding the chart, in the same namespace. */
  readonly source: string;
  readonly chartVersion: string;
  /** Where its pods run (the DR instance is pinned to the DR node). */
  readonly placement: Placement;
  readonly acmeEmail: string;
  /** The resolver's challenge. Default: `{ kind: 'tls' }`. */
  readonly challenge?: AcmeChallenge;
  /** Storage class of the volume holding acme.json. Default: the chart's emptyDir (certificates re-requested after a restart). */
  readonly acmeStorageClass?: string;
  /** How often Flux reconciles the release. */
  readonly interval: string;
  readonly variant: 'prod' | 'dr';
}

/**
 * Every request on the plain HTTP entry point gets a permanent redirect to HTTPS, whatever its
 * host: the chart turns this into Traefik's entry point redirection to `:<websecure
 * exposedPort>` (443, the port the balancers expose). The shape is the chart's since v40
 * (`ports.<entry point>.http.redirections`; the default chart is 41.3.0).
 * Why here and not a second IngressRoute per app variant on `web`: one setting per instance
 * covers the prod host, the DR host and every future route, adds no object the twin rules must
 * rename, and cannot drift from the routes' hosts. Routes then need no redirect middleware (on
 * `websecure` it never fires). ACME uses the TLS or the DNS challenge, so nothing needs plain HTTP.
 */
const HTTP_TO_HTTPS = { to: HTTPS_ENTRY_POINT, scheme: 'https', permanent: true } as const;

/**
 * The resolver's challenge in the chart's `certificatesResolvers` shape. The chart turns every
 * leaf into a `--certificatesresolvers.…` argument and skips empty values: `tlsChallenge: {}`
 * would enable nothing, hence `true`.
 */
function challengeValues(challenge: AcmeChallenge): Record<string, unknown> {
  if (challenge.kind === 'tls') return { tlsChallenge: true };
  return { dnsChallenge: { provider: challenge.provider, ...(challenge.resolvers ? { resolvers: [...challenge.resolvers] } : {}) } };
}

/** The container's `env` entries of a DNS challenge: each variable from its Secret key. */
function challengeEnv(challenge: AcmeChallenge): Record<string, unknown>[] {
  if (challenge.kind === 'tls') return [];
  return challenge.env.map((variable) => ({ name: variable.name, valueFrom: { secretKeyRef: { name: variable.secret, key: variable.key } } }));
}

function values(props: TraefikProps): Record<string, unknown> {
  const challenge = props.challenge ?? { kind: 'tls' };
  const env = challengeEnv(challenge);
  return {
    deployment: { podLabels: { [INSTANCE_LABEL]: props.name } },
    ingressClass: { enabled: true, isDefaultClass: false, name: props.name },
    providers: {
      // Only routes annotated with this instance's class; routes live beside Traefik and point
      // at Services in the apps' namespaces.
      kubernetesCRD: { enabled: true, allowCrossNamespace: true, ingressClass: props.name },
      kubernetesIngress: { enabled: false },
    },
    // The entry points; the load balancers target these container ports by name.
    ports: {
      [HTTP_ENTRY_POINT]: { port: 8000, http: { redirections: { entryPoint: { ...HTTP_TO_HTTPS } } } },
      [HTTPS_ENTRY_POINT]: { port: 8443 },
    },
    certificatesResolvers: {
      [CERT_RESOLVER]: { acme: { email: props.acmeEmail, storage: '/data/acme.json', ...challengeValues(challenge) } },
    },
    ...(env.length > 0 ? { env } : {}),
    ...(props.acmeStorageClass
      ? {
          persistence: {
            enabled: true,
            path: '/data',
            size: '128Mi',
            storageClass: props.acmeStorageClass,
            // The certificates outlive the release and any line removed from Git.
            annotations: { 'helm.sh/resource-policy': 'keep', ...PRUNE_PROTECTION },
          },
        }
      : {}),
    service: { enabled: false },
    ...(props.placement.nodeSelector ? { nodeSelector: { ...props.placement.nodeSelector } } : {}),
    ...(props.placement.tolerations ? { tolerations: props.placement.tolerations.map((t) => ({ ...t })) } : {}),
  };
}

export class Traefik extends Construct {
  public constructor(scope: Construct, id: string, props: TraefikProps) {
    super(scope, id);
    new HelmRelease(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...MANAGED, [LABEL.variant]: props.variant } },
      spec: {
        interval: props.interval,
        chart: {
          spec: {
            chart: 'traefik',
            version: props.chartVersion,
            sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: props.source },
          },
        },
        // Both instances ship the same CRDs; whichever installs first creates them.
        install: { crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE },
        upgrade: { crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE },
        values: values(props),
      },
    });
  }
}
