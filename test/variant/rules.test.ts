import { describe, expect, it } from 'vitest';
import type { AppPlacement } from '../../lib/config/environment';
import { drHost, drStorageClass, variantsOf } from '../../lib/variant/rules';
import { lab, onlyCluster, placed } from '../support/environments';

function twinOf(app: string, env = lab()) {
  const variants = variantsOf(env, onlyCluster(env), placed(env, app));
  const [prod, dr] = variants;
  if (!prod || !dr) throw new Error(`${app} has no twin`);
  return { prod, dr, variants };
}

describe('names', () => {
  it('suffixes every twin name with -dr and leaves prod names alone', () => {
    const { prod, dr } = twinOf('wordpress');
    expect(prod.name('wordpress-db')).toBe('wordpress-db');
    expect(dr.name('wordpress-db')).toBe('wordpress-db-dr');
  });

  it('uses the configured suffix', () => {
    const { dr } = twinOf('wordpress', lab({ dr: { suffix: '-standby' } }));
    expect(dr.name('wordpress')).toBe('wordpress-standby');
  });

  it('renders only prod when DR is off for the app', () => {
    const env = lab();
    const spec = { ...placed(env, 'wordpress'), dr: { enabled: false, identity: 'own' as const } };
    expect(variantsOf(env, onlyCluster(env), spec).map((variant) => variant.kind)).toEqual(['prod']);
  });
});

describe('storage classes', () => {
  it('resolves a role through the cluster mapping, and the twin to <class>-dr by default', () => {
    const { prod, dr } = twinOf('wordpress');
    expect([prod.storageClass('database'), dr.storageClass('database')]).toEqual(['zfs-storage-znvm', 'zfs-storage-znvm-dr']);
    expect([prod.storageClass('files'), dr.storageClass('files')]).toEqual(['local-path', 'local-path-dr']);
  });

  it('lets a placement override the roles it lists, and only those', () => {
    const env = lab();
    const spec = { ...placed(env, 'wordpress'), storageRoles: { files: 'zfs-storage-znvm' } };
    const [prod, dr] = variantsOf(env, onlyCluster(env), spec);
    expect([prod?.storageClass('files'), dr?.storageClass('files')]).toEqual(['zfs-storage-znvm', 'zfs-storage-znvm-dr']);
    expect(prod?.storageClass('database')).toBe('zfs-storage-znvm');
  });

  it('falls back to the only class of a cluster that declares one, and fails for several', () => {
    const env = lab();
    const cluster = onlyCluster(env);
    const ceph = { ...cluster.storageClasses[0]!, name: 'ceph-rbd', provisioner: 'rbd.csi.ceph.com' };
    const [prod] = variantsOf(env, { ...cluster, storageClasses: [ceph], storageRoles: {} }, placed(env, 'wordpress'));
    expect(prod?.storageClass('cache')).toBe('ceph-rbd');
    const [unmapped] = variantsOf(env, { ...cluster, storageRoles: {} }, placed(env, 'wordpress'));
    expect(() => unmapped?.storageClass('files')).toThrow('wordpress asks for storage role "files", which cluster home does not map');
  });

  it('follows the explicit map first', () => {
    const env = lab({ dr: { storageClasses: { 'local-path': 'local-path' } } });
    expect(drStorageClass(env, 'local-path')).toBe('local-path');
    expect(drStorageClass(env, 'zfs-storage-znvm')).toBe('zfs-storage-znvm-dr');
  });
});

describe('placement', () => {
  it('pins twins to the DR node with a toleration for its taint, as in the 002 manifests', () => {
    expect(twinOf('wordpress').dr.placement).toEqual({
      nodeSelector: { 'kubernetes.io/hostname': 'remote' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' }],
    });
  });

  it('never lets prod pods tolerate the DR taint', () => {
    expect(twinOf('wordpress').prod.placement).toEqual({});
  });

  it('tolerates a value-less taint with Exists', () => {
    const env = lab();
    const cluster = onlyCluster(env);
    const remote = { ...cluster.nodes[1]!, taints: [{ key: 'dr', effect: 'NoExecute' as const }] };
    const changed = { ...env, clusters: [{ ...cluster, nodes: [cluster.nodes[0]!, remote] }] };
    const [, dr] = variantsOf(changed, onlyCluster(changed), placed(changed, 'wordpress'));
    expect(dr?.placement.tolerations).toEqual([{ key: 'dr', operator: 'Exists', effect: 'NoExecute' }]);
  });
});

describe('labels and selectors', () => {
  it('gives prod and DR pods different instance labels so no selector crosses over', () => {
    const { prod, dr } = twinOf('wordpress');
    expect(prod.selector('wordpress')).toEqual({
      'app.kubernetes.io/name': 'wordpress',
      'app.kubernetes.io/instance': 'wordpress',
    });
    expect(dr.selector('wordpress')).toEqual({
      'app.kubernetes.io/name': 'wordpress',
      'app.kubernetes.io/instance': 'wordpress-dr',
    });
    expect(dr.labels('wordpress')).toEqual({
      'app.kubernetes.io/name': 'wordpress',
      'app.kubernetes.io/instance': 'wordpress-dr',
      'app.kubernetes.io/part-of': 'wordpress',
      'app.kubernetes.io/managed-by': 'twinops',
      'twinops.dev/variant': 'dr',
    });
  });
});

describe('namespace', () => {
  it('keeps the prod namespace by default, so secrets are shared and not rendered twice', () => {
    const { prod, dr } = twinOf('wordpress');
    expect(dr.namespace).toBe('wordpress');
    expect(prod.ownsSharedObjects).toBe(true);
    expect(dr.ownsSharedObjects).toBe(false);
  });

  it('suffixes the namespace when configured, and the twin then owns its credentials', () => {
    const { dr } = twinOf('wordpress', lab({ dr: { namespace: 'suffixed' } }));
    expect(dr.namespace).toBe('wordpress-dr');
    expect(dr.ownsSharedObjects).toBe(true);
  });
});

describe('identity and hosts', () => {
  it('gives a standby twin its own DR identity and a route for both hosts', () => {
    const { prod, dr } = twinOf('wordpress');
    expect(prod.identityHost).toBe('blog.example.org');
    expect(prod.routeHosts).toEqual(['blog.example.org']);
    expect(dr.identityHost).toBe('blog-dr.example.org');
    expect(dr.routeHosts).toEqual(['blog-dr.example.org', 'blog.example.org']);
  });

  it('keeps the production identity for a twin declared so (keycloak)', () => {
    expect(twinOf('keycloak').dr.identityHost).toBe('keycloak.example.org');
  });

  it('takes the production identity when active', () => {
    expect(twinOf('wordpress', lab({ dr: { state: 'active' } })).dr.identityHost).toBe('blog.example.org');
  });
});

describe('drHost', () => {
  const app = (dr: AppPlacement['dr'], host?: string): AppPlacement => ({
    app: 'wordpress',
    namespace: 'wordpress',
    replicas: 1,
    storageRoles: {},
    dr,
    ...(host === undefined ? {} : { host }),
  });

  it('prefers the explicit DR host, else derives it with the suffix, else has none', () => {
    expect(drHost(lab(), app({ enabled: true, identity: 'own', host: 'standby.example.org' }, 'blog.example.org'))).toBe('standby.example.org');
    expect(drHost(lab(), app({ enabled: true, identity: 'own' }, 'blog.example.org'))).toBe('blog-dr.example.org');
    expect(drHost(lab({ dr: { suffix: '-standby' } }), app({ enabled: true, identity: 'own' }, 'blog.example.org'))).toBe('blog-standby.example.org');
    expect(drHost(lab(), app({ enabled: true, identity: 'own' }))).toBeUndefined();
  });
});

describe('replicas per DR state', () => {
  it.each([
    ['standby', 1],
    ['syncing', 0],
    ['active', 3],
  ] as const)('a twin in %s runs %i of 3 prod replicas', (state, expected) => {
    const env = lab({ dr: { state } });
    const cluster = onlyCluster(env);
    const wordpress = { ...placed(env, 'wordpress'), replicas: 3 };
    const [prod, dr] = variantsOf(env, cluster, wordpress);
    expect(prod?.replicas).toBe(3);
    expect(dr?.replicas).toBe(expected);
  });
});
