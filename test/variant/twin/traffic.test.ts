import { describe, expect, it } from 'vitest';
import type { ApiObjectJson } from '../../../lib/model';
import { meta, rulesFor, twinOf, twinsOf } from './support';

const service: ApiObjectJson = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta('web'),
  spec: { selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' }, ports: [{ port: 80 }] },
};

/** The twin of `object` when it is twinned together with the app's `web` Service. */
function withService(object: ApiObjectJson, rules = rulesFor()): ApiObjectJson | undefined {
  return twinsOf([service, object], rules)[1]?.object;
}

describe('Service', () => {
  it('selects only twin pods: the instance label value is suffixed', () => {
    expect(twinOf(service)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('web-dr'),
      spec: { selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web-dr' }, ports: [{ port: 80 }] },
    });
  });

  it('suffixes every key of a selector with no instance label, here and on the pods it selects', () => {
    const plain: ApiObjectJson = { apiVersion: 'v1', kind: 'Service', metadata: meta('api'), spec: { selector: { app: 'api' } } };
    const pod: ApiObjectJson = { apiVersion: 'v1', kind: 'Pod', metadata: meta('api', { labels: { app: 'api', tier: 'x' } }), spec: { containers: [] } };
    const [twinService, twinPod] = twinsOf([plain, pod]);
    expect(twinService?.object.spec).toEqual({ selector: { app: 'api-dr' } });
    expect(twinPod?.object.metadata.labels).toEqual({ app: 'api-dr', tier: 'x' });
  });
});

describe('Ingress', () => {
  it('answers the DR host and the prod host, on the DR class, with its backend followed', () => {
    const ingress: ApiObjectJson = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('web'),
      spec: {
        ingressClassName: 'traefik-external',
        tls: [{ hosts: ['blog.example.org'], secretName: 'blog-tls' }],
        rules: [{ host: 'blog.example.org', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    };
    const backend = { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-dr', port: { number: 80 } } } }] };
    expect(withService(ingress)).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('web-dr'),
      spec: {
        ingressClassName: 'traefik-dr',
        tls: [{ hosts: ['blog-dr.example.org', 'blog.example.org'], secretName: 'blog-tls' }],
        rules: [
          { host: 'blog-dr.example.org', http: backend },
          { host: 'blog.example.org', http: backend },
        ],
      },
    });
  });
});

describe('IngressRoute', () => {
  const route: ApiObjectJson = {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'IngressRoute',
    metadata: meta('web-ingressroute', { namespace: 'traefik-external', annotations: { 'kubernetes.io/ingress.class': 'traefik-external' } }),
    spec: {
      entryPoints: ['websecure'],
      routes: [
        {
          kind: 'Rule',
          match: 'Host(`blog.example.org`)',
          middlewares: [{ name: 'redirect-to-https' }],
          services: [{ name: 'web', namespace: 'web', port: 80 }],
        },
        { kind: 'Rule', match: 'Host(`blog.example.org`) && PathPrefix(`/api`)', services: [{ name: 'web', namespace: 'web', port: 80 }] },
      ],
    },
  };

  it('matches both hosts as in the 002 manifests, on the DR instance, routing to the twin Service', () => {
    expect(withService(route)).toEqual({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: meta('web-ingressroute-dr', { namespace: 'traefik-external', annotations: { 'kubernetes.io/ingress.class': 'traefik-dr' } }),
      spec: {
        entryPoints: ['websecure'],
        routes: [
          {
            kind: 'Rule',
            match: 'Host(`blog-dr.example.org`) || Host(`blog.example.org`)',
            // An infrastructure middleware is not the app's: its name stays.
            middlewares: [{ name: 'redirect-to-https' }],
            services: [{ name: 'web-dr', namespace: 'web', port: 80 }],
          },
          {
            kind: 'Rule',
            match: '(Host(`blog-dr.example.org`) || Host(`blog.example.org`)) && PathPrefix(`/api`)',
            services: [{ name: 'web-dr', namespace: 'web', port: 80 }],
          },
        ],
      },
    });
  });

  it('answers only the DR host when routes do not answer both', () => {
    const rules = rulesFor('standby', { hosts: { twinOf: { 'blog.example.org': 'blog-dr.example.org' }, routesAnswerBoth: false, identity: 'twin' } });
    const spec = withService(route, rules)?.spec as { routes: { match: string }[] };
    expect(spec.routes.map((entry) => entry.match)).toEqual(['Host(`blog-dr.example.org`)', 'Host(`blog-dr.example.org`) && PathPrefix(`/api`)']);
  });
});

describe('HTTPRoute', () => {
  it('answers both hostnames and routes to the twin Service', () => {
    const route: ApiObjectJson = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta('web'),
      spec: {
        parentRefs: [{ name: 'edge', namespace: 'gateways' }],
        hostnames: ['blog.example.org', 'static.example.org'],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
      },
    };
    expect(withService(route)).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta('web-dr'),
      spec: {
        parentRefs: [{ name: 'edge', namespace: 'gateways' }],
        hostnames: ['blog-dr.example.org', 'blog.example.org', 'static.example.org'],
        rules: [{ backendRefs: [{ name: 'web-dr', port: 80 }] }],
      },
    });
  });
});

describe('HorizontalPodAutoscaler and PodDisruptionBudget', () => {
  const deployment: ApiObjectJson = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: { selector: { matchLabels: { 'app.kubernetes.io/instance': 'web' } }, template: { spec: { containers: [] } } },
  };

  it('HPA: scales the twin Deployment', () => {
    const hpa: ApiObjectJson = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('web'),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4 },
    };
    expect(twinsOf([deployment, hpa])[1]?.object).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('web-dr'),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-dr' }, minReplicas: 1, maxReplicas: 4 },
    });
  });

  it('PDB: selects the twin pods only', () => {
    const pdb: ApiObjectJson = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('web'),
      spec: {
        minAvailable: 1,
        selector: {
          matchLabels: { 'app.kubernetes.io/instance': 'web' },
          matchExpressions: [{ key: 'app.kubernetes.io/instance', operator: 'In', values: ['web', 'web-admin'] }],
        },
      },
    };
    expect(twinsOf([deployment, pdb])[1]?.object).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('web-dr'),
      spec: {
        minAvailable: 1,
        selector: {
          matchLabels: { 'app.kubernetes.io/instance': 'web-dr' },
          matchExpressions: [{ key: 'app.kubernetes.io/instance', operator: 'In', values: ['web-dr', 'web-admin-dr'] }],
        },
      },
    });
  });
});
