/** `dr.namespace: suffixed`: the twin moves into `<ns>-dr`, and references and hosts follow it. */
import { describe, expect, it } from 'vitest';
import type { ApiObjectJson } from '../../../lib/model';
import { twinObjects, type TwinRules } from '../../../lib/variant/twin';
import { PLACED, rulesFor, twinsOf } from './support';

/** The environment's suffixed namespaces, for every namespace. */
const suffixed = (overrides: Partial<TwinRules> = {}) => rulesFor('standby', { namespace: (prodNamespace) => `${prodNamespace}-dr`, ...overrides });

const inHome = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'home', ...extra });
const inHomeDr = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'home-dr', ...extra });

const SELECT = { 'app.kubernetes.io/instance': 'svc' };
const SELECT_DR = { 'app.kubernetes.io/instance': 'svc-dr' };

const deployment: ApiObjectJson = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: inHome('svc'),
  spec: {
    replicas: 2,
    selector: { matchLabels: SELECT },
    template: {
      metadata: { labels: SELECT },
      spec: {
        containers: [{ name: 'app', image: 'example.org/svc:1', envFrom: [{ configMapRef: { name: 'config' } }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      },
    },
  },
};
const service: ApiObjectJson = { apiVersion: 'v1', kind: 'Service', metadata: inHome('svc'), spec: { selector: SELECT, ports: [{ port: 80 }] } };
const claim: ApiObjectJson = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: inHome('data'),
  spec: { storageClassName: 'zfs-storage-znvm', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
};
const config: ApiObjectJson = { apiVersion: 'v1', kind: 'ConfigMap', metadata: inHome('config'), data: { BACKEND: 'http://svc:80/' } };
const app = [deployment, service, claim, config];

describe('an app moved to its own namespace', () => {
  it('twins a Deployment, Service, claim and ConfigMap into home-dr', () => {
    expect(twinsOf(app, suffixed()).map((twin) => twin.object)).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: inHomeDr('svc-dr'),
        spec: {
          replicas: 1,
          selector: { matchLabels: SELECT_DR },
          template: {
            metadata: { labels: SELECT_DR },
            spec: {
              containers: [{ name: 'app', image: 'example.org/svc:1', envFrom: [{ configMapRef: { name: 'config-dr' } }] }],
              volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-dr' } }],
              ...PLACED,
            },
          },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: inHomeDr('svc-dr'), spec: { selector: SELECT_DR, ports: [{ port: 80 }] } },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: inHomeDr('data-dr'),
        spec: { storageClassName: 'zfs-storage-znvm-dr', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
      // Both variants of the Service share the namespace of their clients: the short name still reaches it.
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: inHomeDr('config-dr'), data: { BACKEND: 'http://svc-dr:80/' } },
    ]);
  });

  it('records metadata.namespace among the changed paths', () => {
    expect(twinsOf(app, suffixed()).map((twin) => twin.changed)).toEqual([
      [
        'metadata.name',
        'metadata.namespace',
        'spec.replicas',
        'spec.selector.matchLabels["app.kubernetes.io/instance"]',
        'spec.template.metadata.labels["app.kubernetes.io/instance"]',
        'spec.template.spec.containers[0].envFrom[0].configMapRef.name',
        'spec.template.spec.nodeSelector["kubernetes.io/hostname"]',
        'spec.template.spec.tolerations',
        'spec.template.spec.volumes[0].persistentVolumeClaim.claimName',
      ],
      ['metadata.name', 'metadata.namespace', 'spec.selector["app.kubernetes.io/instance"]'],
      ['metadata.name', 'metadata.namespace', 'spec.storageClassName'],
      ['data.BACKEND', 'metadata.name', 'metadata.namespace'],
    ]);
  });

  it('keeps every namespace that the environment maps to itself', () => {
    const twins = twinsOf(app, rulesFor('standby', { namespace: (prodNamespace) => prodNamespace }));
    expect(twins.map((twin) => twin.object.metadata.namespace)).toEqual(['home', 'home', 'home', 'home']);
    expect(twins.flatMap((twin) => twin.changed).filter((path) => path === 'metadata.namespace')).toEqual([]);
  });
});

describe('references naming a namespace', () => {
  const route: ApiObjectJson = {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'IngressRoute',
    metadata: { name: 'svc-ingressroute', namespace: 'traefik' },
    spec: {
      entryPoints: ['websecure'],
      routes: [
        {
          kind: 'Rule',
          match: 'Host(`blog.example.org`)',
          middlewares: [{ name: 'redirect-to-https', namespace: 'traefik' }],
          services: [
            { name: 'svc', namespace: 'home', port: 80 },
            // Not an object of the app: neither its name nor its namespace follows.
            { name: 'legacy', namespace: 'home', port: 80 },
          ],
        },
      ],
    },
  };

  it('an IngressRoute in traefik stays there and routes to svc-dr in home-dr', () => {
    // The route lives beside its Traefik instance, not with the app: only namespaces where the
    // app has objects that live with it (home) move; traefik has none, so the route stays.
    const [, twin] = twinsOf([service, route], suffixed());
    expect(twin).toEqual({
      object: {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRoute',
        metadata: { name: 'svc-ingressroute-dr', namespace: 'traefik' },
        spec: {
          entryPoints: ['websecure'],
          routes: [
            {
              kind: 'Rule',
              match: 'Host(`blog-dr.example.org`) || Host(`blog.example.org`)',
              middlewares: [{ name: 'redirect-to-https', namespace: 'traefik' }],
              services: [
                { name: 'svc-dr', namespace: 'home-dr', port: 80 },
                { name: 'legacy', namespace: 'home', port: 80 },
              ],
            },
          ],
        },
      },
      changed: ['metadata.name', 'spec.routes[0].match', 'spec.routes[0].services[0].name', 'spec.routes[0].services[0].namespace'],
    });
  });

  it('a RoleBinding subject follows its ServiceAccount into home-dr; another namespace\'s account stays', () => {
    const account: ApiObjectJson = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: inHome('svc') };
    const binding: ApiObjectJson = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: inHome('svc'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'ServiceAccount', name: 'svc', namespace: 'home' },
        { kind: 'ServiceAccount', name: 'svc', namespace: 'monitoring' },
      ],
    };
    expect(twinsOf([account, binding], suffixed())[1]?.object).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: inHomeDr('svc-dr'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'ServiceAccount', name: 'svc-dr', namespace: 'home-dr' },
        { kind: 'ServiceAccount', name: 'svc', namespace: 'monitoring' },
      ],
    });
  });

  it('a HelmRelease in flux-system stays there and installs its twin into home-dr', () => {
    const release: ApiObjectJson = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'svc', namespace: 'flux-system' },
      spec: {
        releaseName: 'svc',
        targetNamespace: 'home',
        chart: { spec: { chart: 'svc', sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } },
      },
    };
    expect(twinsOf([release], suffixed())[0]).toEqual({
      object: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'svc-dr', namespace: 'flux-system' },
        spec: {
          releaseName: 'svc-dr',
          targetNamespace: 'home-dr',
          chart: { spec: { chart: 'svc', sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } },
        },
      },
      changed: ['metadata.name', 'spec.releaseName', 'spec.targetNamespace'],
    });
  });
});

describe('in-cluster hosts', () => {
  const redis: ApiObjectJson = { apiVersion: 'v1', kind: 'Service', metadata: inHome('redis'), spec: { selector: { app: 'redis' } } };
  const hostsConfig = (data: Record<string, string>): ApiObjectJson => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: inHome('hosts'), data });
  const twinData = (prod: readonly ApiObjectJson[], rules: TwinRules) =>
    twinsOf(prod, rules).find((twin) => twin.object.kind === 'ConfigMap')?.object.data as Record<string, string> | undefined;

  it('qualified hosts of a renamed Service name the twin Service in the twin namespace', () => {
    const data = hostsConfig({
      NS: 'redis.home',
      SVC: 'redis.home.svc',
      FULL: 'redis.home.svc.cluster.local',
      URL: 'redis://redis.home.svc.cluster.local:6379/0',
      PEER: 'redis.cache.svc:6379',
      // Another Service of the same name elsewhere is not the app's: it stays.
      OTHER: 'redis.elsewhere.svc',
    });
    const rules = suffixed({ peerServices: [{ kind: 'Service', name: 'redis', namespace: 'cache' }] });
    expect(twinData([redis, data], rules)).toEqual({
      NS: 'redis-dr.home-dr',
      SVC: 'redis-dr.home-dr.svc',
      FULL: 'redis-dr.home-dr.svc.cluster.local',
      URL: 'redis://redis-dr.home-dr.svc.cluster.local:6379/0',
      PEER: 'redis-dr.cache-dr.svc:6379',
      OTHER: 'redis.elsewhere.svc',
    });
  });

  describe('a fixed Service (a peer app with no twin) in the namespace the twin leaves', () => {
    const postgres = { kind: 'Service', name: 'postgres', namespace: 'home' };
    const data = hostsConfig({
      WHOLE_HOST: 'postgres',
      PORT_ADDRESS: 'postgres:5432',
      URL: 'http://postgres/',
      SETTING: 'DRIVER=postgres',
      QUALIFIED: 'postgres.home.svc',
    });

    it('is reached by its namespace-qualified host', () => {
      expect(twinData([data], suffixed({ fixedServices: [postgres] }))).toEqual({
        WHOLE_HOST: 'postgres.home.svc',
        PORT_ADDRESS: 'postgres.home.svc:5432',
        URL: 'http://postgres.home.svc/',
        SETTING: 'DRIVER=postgres',
        QUALIFIED: 'postgres.home.svc',
      });
    });

    it('keeps its short name when the twin stays in home', () => {
      expect(twinData([data], rulesFor('standby', { fixedServices: [postgres] }))).toEqual(data.data);
    });

    it('keeps its short name when it lives in another namespace', () => {
      const elsewhere = { ...postgres, namespace: 'databases' };
      expect(twinData([data], suffixed({ fixedServices: [elsewhere] }))?.WHOLE_HOST).toBe('postgres');
    });

    it('stays a plain name in a field that holds a Service name, not a host', () => {
      const ingress: ApiObjectJson = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: inHome('db-admin'),
        spec: { defaultBackend: { service: { name: 'postgres', port: { number: 5432 } } } },
      };
      expect(twinsOf([ingress], suffixed({ fixedServices: [postgres] }))[0]?.object.spec).toEqual({
        defaultBackend: { service: { name: 'postgres', port: { number: 5432 } } },
      });
    });
  });
});

describe('errors of a twin in its own namespace', () => {
  const secret: ApiObjectJson = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: inHome('db-credentials'),
    spec: { target: { name: 'db-credentials' } },
  };

  it('refuses a shared object the moved twin could not reference', () => {
    const rules = suffixed({ shared: [{ kind: 'ExternalSecret', name: 'db-credentials' }] });
    expect(twinObjects([secret, deployment], rules)).toEqual({
      ok: false,
      errors: [
        {
          object: 'ExternalSecret/db-credentials',
          path: 'metadata.namespace',
          message:
            'ExternalSecret/db-credentials is shared with prod in namespace home, but the twin lives in home-dr, where references cannot reach it: ' +
            'do not declare it shared when the twin lives in its own namespace, so the twin gets its own copy',
        },
      ],
    });
  });

  it('shares it when the twin stays in prod\'s namespace', () => {
    const rules = rulesFor('standby', { shared: [{ kind: 'ExternalSecret', name: 'db-credentials' }] });
    expect(twinsOf([secret, deployment], rules).map((twin) => twin.object.metadata.name)).toEqual(['svc-dr']);
  });

  it('refuses a fixed Service that is not a Service', () => {
    expect(twinObjects([config], suffixed({ fixedServices: [{ kind: 'Deployment', name: 'postgres' }] }))).toEqual({
      ok: false,
      errors: [{ object: 'Deployment/postgres', message: 'Deployment/postgres is a fixed Service in the twin rules: expected kind Service, given Deployment' }],
    });
  });
});
