/**
 * A Traefik instance, deployed from the Traefik Helm chart by a Flux HelmRelease: its own
 * ingress class and pod label `app: <instance>` (what its load balancers select), routes from
 * any namespace, the ACME resolver `letsencrypt`, plain HTTP redirected to HTTPS at the entry
 * point, and no Service of the chart's own, because twinops renders the load balancers per IP
 * family and address plan.
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
 * `websecure` it never fires). ACME uses the TLS challenge, so nothing needs plain HTTP.
 */
const HTTP_TO_HTTPS = { to: HTTPS_ENTRY_POINT, scheme: 'https', permanent: true } as const;

function values(props: TraefikProps): Record<string, unknown> {
  return {
    deployment: { podLabels: { app: props.name } },
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
      [CERT_RESOLVER]: { acme: { email: props.acmeEmail, storage: '/data/acme.json', tlsChallenge: {} } },
    },
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
