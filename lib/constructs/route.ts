/**
 * A Traefik IngressRoute for one app variant, in the namespace of the Traefik instances and
 * pointing across namespaces at the app's Service, in the shape of the 002 example: entry point
 * `websecure`, certificates from `letsencrypt`. Unlike the example, no `redirect-to-https`
 * middleware: plain HTTP never reaches a route, the instance's `web` entry point redirects it
 * (see `traefik.ts`). The twin's route answers the DR host and the prod host, so activation
 * needs no route change. Traefik orders one certificate for all hosts of a rule (the first as
 * subject, the others as alternative names): with the TLS challenge the twin's order can only
 * succeed once the prod host's DNS points at the DR instance; with the DNS challenge it succeeds
 * in standby (see `lib/runbook/certificates.ts`).
 */
import { Construct } from 'constructs';
import { IngressRoute, IngressRouteSpecRoutesKind, IngressRouteSpecRoutesServicesPort } from '../../imports/traefik.io';
import { variantOf } from '../variant/scope';
import { CERT_RESOLVER, HTTPS_ENTRY_POINT } from './traefik-names';

export interface RouteProps {
  /** Prod name of the route, e.g. `wordpress-ingressroute`. */
  readonly name: string;
  /** Name of the variant's Service the route sends traffic to, e.g. `wordpress-dr`. */
  readonly service: string;
  /** Service port. */
  readonly port: number;
}

/** A Traefik rule matching any of `hosts`. */
export function hostRule(hosts: readonly string[]): string {
  return hosts.map((host) => `Host(\`${host}\`)`).join(' || ');
}

export class Route extends Construct {
  public constructor(scope: Construct, id: string, props: RouteProps) {
    super(scope, id);
    const variant = variantOf(this);
    const edge = variant.edge;
    if (!edge) throw new Error(`${variant.app}: a route needs the cluster's edge`);
    new IngressRoute(this, 'Resource', {
      metadata: {
        name: variant.name(props.name),
        namespace: edge.namespace,
        labels: variant.labels(props.name),
        annotations: { 'kubernetes.io/ingress.class': edge.routeClass },
      },
      spec: {
        entryPoints: [HTTPS_ENTRY_POINT],
        routes: [
          {
            match: hostRule(variant.routeHosts),
            kind: IngressRouteSpecRoutesKind.RULE,
            services: [{ name: props.service, namespace: variant.namespace, port: IngressRouteSpecRoutesServicesPort.fromNumber(props.port) }],
          },
        ],
        tls: { certResolver: CERT_RESOLVER },
      },
    });
  }
}
