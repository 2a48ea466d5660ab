import { describe, expect, it } from 'vitest';
import type { ApiObjectJson } from '../../../lib/model';
import { meta, rulesFor, twinOf, twinsOf } from './support';

describe('PersistentVolumeClaim', () => {
  it('takes the DR class of its prod class', () => {
    const claim: ApiObjectJson = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('web-data', { annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } }),
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'zfs-storage-nas', resources: { requests: { storage: '10Gi' } } },
    };
    expect(twinOf(claim)).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('web-data-dr', { annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } }),
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'zfs-storage-nas-dr', resources: { requests: { storage: '10Gi' } } },
    });
  });
});

describe('ConfigMap', () => {
  const config: ApiObjectJson = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('web-identity'),
    data: {
      WP_HOME: 'https://blog.example.org',
      MIRROR: 'https://www.blog.example.org',
      CACHE_URL: 'redis://cache:6379/0',
      CACHE_DRIVER: 'cache',
      CACHE_HOST: 'cache',
      DB: 'db.web.svc.cluster.local:5432',
      IMAGE: 'cache:1-dr',
    },
  };
  const cache: ApiObjectJson = { apiVersion: 'v1', kind: 'Service', metadata: meta('cache'), spec: { selector: { 'app.kubernetes.io/instance': 'cache' } } };
  const db: ApiObjectJson = { apiVersion: 'v1', kind: 'Service', metadata: meta('db'), spec: { selector: { 'app.kubernetes.io/instance': 'db' } } };

  it('takes the DR identity host and follows in-cluster hosts, whole tokens only', () => {
    expect(twinsOf([config, cache, db])[0]?.object).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('web-identity-dr'),
      data: {
        WP_HOME: 'https://blog-dr.example.org',
        MIRROR: 'https://www.blog.example.org',
        CACHE_URL: 'redis://cache-dr:6379/0',
        // A whole value equal to a Service name is its host only under a key that names a host (names.ts).
        CACHE_DRIVER: 'cache',
        CACHE_HOST: 'cache-dr',
        DB: 'db-dr.web.svc.cluster.local:5432',
        IMAGE: 'cache:1-dr',
      },
    });
  });

  it('keeps the production identity when the twin answers as production', () => {
    const rules = rulesFor('active', { hosts: { twinOf: { 'blog.example.org': 'blog-dr.example.org' }, routesAnswerBoth: true, identity: 'production' } });
    expect((twinOf(config, rules).data as Record<string, string>).WP_HOME).toBe('https://blog.example.org');
  });

  it('needs no change beyond its name without hosts', () => {
    const plain: ApiObjectJson = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings'), data: { LEVEL: 'debug' } };
    expect(twinOf(plain)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings-dr'), data: { LEVEL: 'debug' } });
  });
});

describe('HelmRelease', () => {
  const release: ApiObjectJson = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: meta('gitea'),
    spec: {
      releaseName: 'gitea',
      dependsOn: [{ name: 'postgres' }, { name: 'cert-manager', namespace: 'infra' }],
      chart: { spec: { chart: 'gitea', sourceRef: { kind: 'HelmRepository', name: 'gitea', namespace: 'flux-system' } } },
      values: {
        persistence: { storageClass: 'zfs-storage-znvm', size: '10Gi' },
        nodeSelector: { 'kubernetes.io/arch': 'amd64' },
        gitea: { config: { server: { DOMAIN: 'blog.example.org' }, database: { HOST: 'postgres:5432' } } },
        replicaCount: 2,
      },
    },
  };
  const postgres: ApiObjectJson = { ...release, metadata: meta('postgres'), spec: { chart: { spec: { chart: 'postgresql' } } } };
  const declaration = {
    kind: 'HelmRelease',
    name: 'gitea',
    names: [{ path: 'spec.values.gitea.config.database.HOST', kind: 'Service' }],
    hosts: ['spec.values.gitea.config.server.DOMAIN'],
    storageClasses: ['spec.values.persistence.storageClass'],
    nodeSelectors: ['spec.values.nodeSelector'],
    tolerations: ['spec.values.tolerations'],
    replicas: ['spec.values.replicaCount'],
  };
  const postgresService: ApiObjectJson = { apiVersion: 'v1', kind: 'Service', metadata: meta('postgres'), spec: {} };

  it('transforms the declared value paths and follows dependsOn', () => {
    const rules = rulesFor('standby', { declarations: [declaration, { kind: 'HelmRelease', name: 'postgres' }] });
    expect(twinsOf([release, postgres, postgresService], rules)[0]?.object).toEqual({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: meta('gitea-dr'),
      spec: {
        releaseName: 'gitea-dr',
        dependsOn: [{ name: 'postgres-dr' }, { name: 'cert-manager', namespace: 'infra' }],
        chart: { spec: { chart: 'gitea', sourceRef: { kind: 'HelmRepository', name: 'gitea', namespace: 'flux-system' } } },
        values: {
          persistence: { storageClass: 'zfs-storage-znvm-dr', size: '10Gi' },
          nodeSelector: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'remote' },
          gitea: { config: { server: { DOMAIN: 'blog-dr.example.org' }, database: { HOST: 'postgres-dr:5432' } } },
          replicaCount: 1,
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' }],
        },
      },
    });
  });

  it('refuses values nobody declared', () => {
    const result = twinsOf.bind(null, [release]);
    expect(result).toThrow(
      'HelmRelease/gitea: spec.values is only transformed as declared: declare its value paths holding names, hosts, storage classes and placement (an empty declaration if none)',
    );
  });

  it("maps a declared ingress class path to the twin's Traefik instance", () => {
    const withIngress = { ...release, spec: { ...(release.spec as object), values: { ingress: { className: 'traefik-external', hosts: [{ host: 'blog.example.org' }] } } } };
    const rules = rulesFor('standby', { declarations: [{ kind: 'HelmRelease', name: 'gitea', ingressClasses: ['spec.values.ingress.className'], hosts: ['spec.values.ingress.hosts[].host'] }] });
    const twin = twinsOf([withIngress], rules)[0];
    expect((twin?.object.spec as { values: unknown }).values).toEqual({ ingress: { className: 'traefik-dr', hosts: [{ host: 'blog-dr.example.org' }] } });
    expect(twin?.changed).toContain('spec.values.ingress.className');
  });

  it('refuses a declared path that matches nothing', () => {
    const rules = rulesFor('standby', { declarations: [{ kind: 'HelmRelease', name: 'gitea', storageClasses: ['spec.values.persistance.storageClass'] }] });
    expect(() => twinsOf([release], rules)).toThrow(
      'HelmRelease/gitea: declared storage class path "spec.values.persistance.storageClass" matches no field of the object',
    );
  });
});

describe('Flux Kustomization', () => {
  it('follows dependsOn to twinned Kustomizations only', () => {
    const infra: ApiObjectJson = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: meta('web-db', { namespace: 'flux-system' }), spec: { path: './db' } };
    const app: ApiObjectJson = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: meta('web', { namespace: 'flux-system' }),
      spec: { path: './web', dependsOn: [{ name: 'web-db' }, { name: 'storage' }], sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    };
    expect(twinsOf([infra, app])[1]?.object).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: meta('web-dr', { namespace: 'flux-system' }),
      spec: { path: './web', dependsOn: [{ name: 'web-db-dr' }, { name: 'storage' }], sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    });
  });
});
