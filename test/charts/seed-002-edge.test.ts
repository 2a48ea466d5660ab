/**
 * The edge of the 002 example, field by field, with the example's names and addresses
 * (blog.example.org for the blog, 192.0.2.200 for the VPS). Three deliberate differences, all
 * asserted: twinops objects carry the app.kubernetes.io labels; the balancers target Traefik's
 * container ports by name (`web`, `websecure`) where the seed's Services leave `targetPort` to
 * default to 80/443, which only works for a Traefik listening on those ports in the pod (the
 * Traefik chart listens on 8000/8443); and plain HTTP is redirected to HTTPS by each instance's
 * `web` entry point, not by the seed's `redirect-to-https` middleware, which on a `websecure`
 * route never fires (so http:// got a 404).
 */
import { describe, expect, it } from 'vitest';
import type { ApiObjectJson } from '../../lib/model';
import { object, renderHome } from '../support/render';

const rendered = renderHome();

/** An object without the labels twinops adds, to compare with the seed's manifests. */
function unlabelled(o: ApiObjectJson) {
  const { labels: _labels, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/** What the API server fills in on a Service the seed exported with its defaults. */
function withServiceDefaults(spec: Record<string, unknown>) {
  return { allocateLoadBalancerNodePorts: true, internalTrafficPolicy: 'Cluster', sessionAffinity: 'None', ...spec };
}

const TRAEFIK_PORTS = [
  { name: 'web', port: 80, protocol: 'TCP', targetPort: 'web' },
  { name: 'websecure', port: 443, protocol: 'TCP', targetPort: 'websecure' },
];

describe('002 edge', () => {
  it('renders the seed\'s wordpress-ingressroute-dr', () => {
    expect(unlabelled(object(rendered, 'IngressRoute', 'wordpress-ingressroute-dr'))).toEqual({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: {
        name: 'wordpress-ingressroute-dr',
        namespace: 'traefik-external',
        annotations: { 'kubernetes.io/ingress.class': 'traefik-dr' },
      },
      spec: {
        entryPoints: ['websecure'],
        routes: [
          {
            match: 'Host(`blog-dr.example.org`) || Host(`blog.example.org`)',
            kind: 'Rule',
            services: [{ name: 'wordpress-dr', namespace: 'wordpress', port: 80 }],
          },
        ],
        tls: { certResolver: 'letsencrypt' },
      },
    });
  });

  it('renders the seed\'s IPv6 load balancer of the DR blog', () => {
    // The seed names it after the blog (traefik-vegardblog-dr); twinops after the prod instance and app.
    expect(unlabelled(object(rendered, 'Service', 'traefik-external-wordpress-dr'))).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'traefik-external-wordpress-dr',
        namespace: 'traefik-external',
        annotations: {
          'projectcalico.org/ipv6pools': '["loadbalancer-ipv6-pool-dr"]',
          'external-dns.alpha.kubernetes.io/hostname': 'blog-dr.example.org',
          'external-dns/external': 'true',
          'external-dns.alpha.kubernetes.io/ttl': '300',
        },
      },
      spec: {
        externalTrafficPolicy: 'Local',
        type: 'LoadBalancer',
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv6'],
        ports: TRAEFIK_PORTS,
        selector: { app: 'traefik-dr' },
      },
    });
  });

  it('renders the seed\'s traefik-external-ipv4-dr on the one fixed address of the VPS', () => {
    const balancer = unlabelled(object(rendered, 'Service', 'traefik-external-ipv4-dr'));
    expect({ ...balancer, spec: withServiceDefaults((balancer as unknown as { spec: Record<string, unknown> }).spec) }).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'traefik-external-ipv4-dr', namespace: 'traefik-external' },
      spec: {
        allocateLoadBalancerNodePorts: true,
        loadBalancerIP: '192.0.2.200',
        externalIPs: ['192.0.2.200'],
        externalTrafficPolicy: 'Local',
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: TRAEFIK_PORTS,
        selector: { app: 'traefik-dr' },
        sessionAffinity: 'None',
        type: 'LoadBalancer',
      },
    });
  });

  it('renders the seed\'s wordpress-name-dr DNS record', () => {
    expect(unlabelled(object(rendered, 'Service', 'wordpress-name-dr'))).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'wordpress-name-dr',
        namespace: 'wordpress',
        annotations: {
          'external-dns.alpha.kubernetes.io/hostname': 'blog-dr.example.org',
          'external-dns/external': 'true',
          'external-dns.alpha.kubernetes.io/ttl': '300',
        },
      },
      spec: { type: 'ExternalName', externalName: '192.0.2.200' },
    });
  });

  it('pins the DR Traefik instance to the DR node with the toleration, and keeps prod unpinned', () => {
    const values = (name: string) => (object(rendered, 'HelmRelease', name).spec as { values: Record<string, unknown> }).values;
    expect(values('traefik-dr').nodeSelector).toEqual({ 'kubernetes.io/hostname': 'remote' });
    expect(values('traefik-dr').tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' }]);
    expect(values('traefik-external').nodeSelector).toBeUndefined();
    expect(values('traefik-external').tolerations).toBeUndefined();
    expect(values('traefik-dr')).toMatchObject({
      deployment: { podLabels: { app: 'traefik-dr' } },
      ingressClass: { enabled: true, isDefaultClass: false, name: 'traefik-dr' },
      providers: { kubernetesCRD: { allowCrossNamespace: true, ingressClass: 'traefik-dr' } },
      certificatesResolvers: { letsencrypt: { acme: { email: 'hostmaster@example.org' } } },
      service: { enabled: false },
    });
  });

  it('answers plain HTTP for every host with a permanent redirect to HTTPS, on both instances', () => {
    const ports = (name: string) => (object(rendered, 'HelmRelease', name).spec as { values: { ports: unknown } }).values.ports;
    const redirecting = {
      web: { port: 8000, http: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } } },
      websecure: { port: 8443 },
    };
    expect(ports('traefik-external')).toEqual(redirecting);
    expect(ports('traefik-dr')).toEqual(redirecting);
  });

  it('keeps every route on websecure only, with no middleware left to resolve', () => {
    const objects = rendered.units.flatMap((u) => u.objects);
    const routes = objects.filter((o) => o.kind === 'IngressRoute') as unknown as { metadata: { name: string }; spec: { entryPoints: string[]; routes: Record<string, unknown>[] } }[];
    // Derived, not pinned, so placing another app keeps this green; the seed's routes must be among them.
    expect(routes.map((r) => r.metadata.name)).toEqual(expect.arrayContaining(['wordpress-ingressroute', 'wordpress-ingressroute-dr']));
    for (const route of routes) {
      expect(route.spec.entryPoints).toEqual(['websecure']);
      expect(route.spec.routes.map((r) => 'middlewares' in r)).toEqual([false]);
    }
    expect(objects.filter((o) => o.kind === 'Middleware')).toEqual([]);
  });
});
