/**
 * How an app variant is reached from outside: its route on the variant's Traefik instance, its
 * IPv6 load balancer and its DNS record (ExternalName). What each points at is the variant
 * engine's answer for the DR state, so activation is just a different render.
 */
import { Construct } from 'constructs';
import { appEdgeNames } from '../variant/edge';
import { variantOf } from '../variant/scope';
import { DnsRecord } from './dns-record';
import { LoadBalancer } from './load-balancer';
import { Route } from './route';

export interface EndpointProps {
  /** The variant's Service the route sends traffic to, e.g. `wordpress-dr`. */
  readonly service: string;
  /** Its port. */
  readonly port: number;
}

export class Endpoint extends Construct {
  public constructor(scope: Construct, id: string, props: EndpointProps) {
    super(scope, id);
    const variant = variantOf(this);
    const edge = variant.edge;
    // A cluster without an edge publishes nothing; the app is reachable inside the cluster only.
    if (!edge || variant.ownHost === undefined) return;
    // Named after the app (one endpoint per app), so the runbook can name them too.
    const names = appEdgeNames(edge.balancerPrefix, variant.app);
    new Route(this, 'route', { name: names.route, service: props.service, port: props.port });
    const hostnames = [variant.ownHost, ...(edge.takesOver ? [edge.takesOver] : [])].join(',');
    const publish = edge.publicDns ? { hostname: hostnames, ttl: edge.publicDns.ttl } : undefined;
    if (edge.balancer) {
      const base = names.balancer;
      new LoadBalancer(this, 'ipv6', {
        name: variant.name(base),
        namespace: edge.namespace,
        family: 'IPv6',
        instance: edge.balancer.instance,
        plan: edge.balancer.plan,
        provider: edge.provider,
        labels: variant.labels(base),
        ...(publish ? { publish } : {}),
      });
    }
    if (edge.dnsTarget) {
      const base = names.record;
      new DnsRecord(this, 'dns', {
        name: variant.name(base),
        namespace: variant.namespace,
        hostname: variant.ownHost,
        target: edge.dnsTarget,
        labels: variant.labels(base),
        ...(edge.publicDns ? { ttl: edge.publicDns.ttl } : {}),
      });
      // An active twin on another cluster publishes prod's record, under prod's name.
      if (edge.takesOver) {
        new DnsRecord(this, 'dns-takeover', {
          name: base,
          namespace: variant.namespace,
          hostname: edge.takesOver,
          target: edge.dnsTarget,
          labels: variant.labels(base),
          ...(edge.publicDns ? { ttl: edge.publicDns.ttl } : {}),
        });
      }
    }
  }
}
