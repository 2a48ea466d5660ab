/**
 * The core example of the source documents (002): the rendered prod/DR pair equals its
 * manifests field by field, with the example's names. The seed's PVC also carries a label left
 * over from kompose (`io.kompose.service`); twinops labels its objects with the
 * app.kubernetes.io set instead, asserted exactly below.
 */
import { describe, expect, it } from 'vitest';
import { object, podSpec, renderHome } from '../support/render';

const rendered = renderHome();

const SEED_PVC_SPEC = {
  accessModes: ['ReadWriteOnce'],
  storageClassName: 'zfs-storage-znvm',
  resources: { requests: { storage: '10Gi' } },
};

describe('002 wordpress-db and its twin', () => {
  it('renders the prod claim of the seed', () => {
    const pvc = object(rendered, 'PersistentVolumeClaim', 'wordpress-db');
    expect(pvc.apiVersion).toBe('v1');
    expect(pvc.metadata.name).toBe('wordpress-db');
    expect(pvc.metadata.namespace).toBe('wordpress');
    expect(pvc.spec).toEqual(SEED_PVC_SPEC);
  });

  it('renders the DR claim of the seed: -dr name, -dr storage class, same namespace and size', () => {
    const pvc = object(rendered, 'PersistentVolumeClaim', 'wordpress-db-dr');
    expect(pvc.apiVersion).toBe('v1');
    expect(pvc.metadata.name).toBe('wordpress-db-dr');
    expect(pvc.metadata.namespace).toBe('wordpress');
    expect(pvc.spec).toEqual({ ...SEED_PVC_SPEC, storageClassName: 'zfs-storage-znvm-dr' });
  });

  it('labels and protects both claims', () => {
    expect(object(rendered, 'PersistentVolumeClaim', 'wordpress-db-dr').metadata).toEqual({
      name: 'wordpress-db-dr',
      namespace: 'wordpress',
      labels: {
        'app.kubernetes.io/instance': 'wordpress-db-dr',
        'app.kubernetes.io/managed-by': 'twinops',
        'app.kubernetes.io/name': 'wordpress-db',
        'app.kubernetes.io/part-of': 'wordpress',
        'twinops.dev/app': 'wordpress',
        'twinops.dev/variant': 'dr',
      },
      annotations: {
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      },
    });
  });

  it('pins the DR pods to remote with the toleration of the seed', () => {
    for (const name of ['wordpress-dr', 'wordpress-db-dr']) {
      const pod = podSpec(object(rendered, 'Deployment', name));
      expect(pod.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'remote' });
      expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' }]);
    }
  });

  it('keeps prod pods free of the DR placement', () => {
    for (const name of ['wordpress', 'wordpress-db']) {
      const pod = podSpec(object(rendered, 'Deployment', name));
      expect(pod.nodeSelector).toBeUndefined();
      expect(pod.tolerations).toBeUndefined();
    }
  });

  it('binds each twin to its own -dr claim', () => {
    expect(podSpec(object(rendered, 'Deployment', 'wordpress-db-dr')).volumes).toEqual([
      { name: 'wordpress-db', persistentVolumeClaim: { claimName: 'wordpress-db-dr' } },
    ]);
    expect(podSpec(object(rendered, 'Deployment', 'wordpress-dr')).volumes).toEqual([
      { name: 'wordpress-html', persistentVolumeClaim: { claimName: 'wordpress-html-dr' } },
    ]);
  });

  it('gives the standby twin its own identity through its -dr config map', () => {
    expect(object(rendered, 'ConfigMap', 'wordpress-identity').data).toEqual({
      WP_HOME: 'https://blog.example.org',
      WP_SITEURL: 'https://blog.example.org',
    });
    expect(object(rendered, 'ConfigMap', 'wordpress-identity-dr').data).toEqual({
      WP_HOME: 'https://blog-dr.example.org',
      WP_SITEURL: 'https://blog-dr.example.org',
    });
  });
});

describe('002 other components', () => {
  const env = (deployment: string) =>
    (object(rendered, 'Deployment', deployment) as unknown as {
      spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } };
    }).spec.template.spec.containers[0]?.env ?? [];

  it('points the wordpress twin at the independent redis twin', () => {
    expect(env('wordpress').find((v) => v.name === 'WP_REDIS_HOST')?.value).toBe('redis');
    expect(env('wordpress-dr').find((v) => v.name === 'WP_REDIS_HOST')?.value).toBe('redis-dr');
    expect(env('wordpress-dr').find((v) => v.name === 'WORDPRESS_DB_HOST')?.value).toBe('wordpress-db-dr');
  });

  it('keeps the production identity in the keycloak clone', () => {
    expect(object(rendered, 'ConfigMap', 'keycloak-identity-dr').data).toEqual({ KC_HOSTNAME: 'https://keycloak.example.org' });
  });

  it('shares credentials with prod instead of rendering them twice in one namespace', () => {
    const names = rendered.units.flatMap((u) => u.objects).filter((o) => o.kind === 'ExternalSecret').map((o) => o.metadata.name);
    expect(names.sort()).toEqual([
      'keycloak-admin',
      'keycloak-db-credentials',
      'nextcloud-admin',
      'nextcloud-db-credentials',
      'wordpress-db-credentials',
    ]);
  });

  it('derives the -dr storage classes pinned to the DR node with the DR pool', () => {
    expect(object(rendered, 'StorageClass', 'zfs-storage-znvm-dr')).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: 'zfs-storage-znvm-dr',
        labels: { 'app.kubernetes.io/managed-by': 'twinops', 'twinops.dev/variant': 'dr' },
        annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
      },
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'kubernetes.io/hostname', values: ['remote'] }] }],
      parameters: { fstype: 'zfs', poolname: 'backup/znvm/k3s' },
      provisioner: 'zfs.csi.openebs.io',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  });

  it('renders local-path as in 000: WaitForFirstConsumer, Retain, and no twin', () => {
    const localPath = object(rendered, 'StorageClass', 'local-path');
    expect(localPath).toMatchObject({ provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Retain' });
    expect(rendered.units.flatMap((u) => u.objects).some((o) => o.metadata.name === 'local-path-dr')).toBe(false);
  });
});
