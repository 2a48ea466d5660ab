import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Namespace } from '../../lib/constructs/namespace';
import { StorageClass } from '../../lib/constructs/storage-class';
import type { ApiObjectJson } from '../../lib/model';
import { storageClassesOf } from '../../lib/variant/storage';
import { lab, onlyCluster } from '../support/environments';

const chart = () => new Chart(new App(), 'storage', { disableResourceNameHashes: true });

describe('storage classes', () => {
  it('derives a twin for each class whose DR name is not declared, pinned to the DR node', () => {
    const env = lab();
    expect(storageClassesOf(env, onlyCluster(env)).map((sc) => [sc.name, sc.variant, sc.node?.name ?? null, sc.parameters])).toEqual([
      ['zfs-storage-znvm', 'prod', 'hassio', { poolname: 'znvm/k3s', fstype: 'zfs' }],
      ['local-path', 'prod', null, {}],
      ['zfs-storage-znvm-dr', 'dr', 'remote', { poolname: 'backup/znvm/k3s', fstype: 'zfs' }],
      ['local-path-dr', 'dr', null, {}],
    ]);
  });

  it('renders no twin for a class the DR map keeps', () => {
    const env = lab({ dr: { storageClasses: { 'local-path': 'local-path' } } });
    expect(storageClassesOf(env, onlyCluster(env)).map((sc) => sc.name)).toEqual(['zfs-storage-znvm', 'local-path', 'zfs-storage-znvm-dr']);
  });

  it('renders no twin for a declared class that is the DR class of another (it serves the twins already)', () => {
    const base = lab();
    const cluster = onlyCluster(base);
    const ceph = { ...cluster.storageClasses[1]!, name: 'ceph-dr', provisioner: 'rbd.csi.ceph.com' };
    const env = { ...base, dr: { ...base.dr, storageClasses: { 'zfs-storage-znvm': 'ceph-dr' } }, clusters: [{ ...cluster, storageClasses: [cluster.storageClasses[0]!, ceph] }] };
    expect(storageClassesOf(env, onlyCluster(env)).map((sc) => [sc.name, sc.variant])).toEqual([
      ['zfs-storage-znvm', 'prod'],
      ['ceph-dr', 'prod'],
    ]);
  });

  it('renders a protected, node-pinned StorageClass', () => {
    const env = lab();
    const c = chart();
    const [znvm] = storageClassesOf(env, onlyCluster(env));
    new StorageClass(c, 'sc', znvm!);
    expect(c.toJson() as ApiObjectJson[]).toMatchInlineSnapshot(`
      [
        {
          "allowedTopologies": [
            {
              "matchLabelExpressions": [
                {
                  "key": "kubernetes.io/hostname",
                  "values": [
                    "hassio",
                  ],
                },
              ],
            },
          ],
          "apiVersion": "storage.k8s.io/v1",
          "kind": "StorageClass",
          "metadata": {
            "annotations": {
              "argocd.argoproj.io/sync-options": "Prune=false,Delete=false",
              "kustomize.toolkit.fluxcd.io/prune": "disabled",
            },
            "labels": {
              "app.kubernetes.io/managed-by": "twinops",
              "twinops.dev/variant": "prod",
            },
            "name": "zfs-storage-znvm",
          },
          "parameters": {
            "fstype": "zfs",
            "poolname": "znvm/k3s",
          },
          "provisioner": "zfs.csi.openebs.io",
          "reclaimPolicy": "Retain",
          "volumeBindingMode": "WaitForFirstConsumer",
        },
      ]
    `);
  });

  it('renders a protected Namespace', () => {
    const c = chart();
    new Namespace(c, 'ns', { name: 'wordpress' });
    expect((c.toJson() as ApiObjectJson[])[0]?.metadata).toEqual({
      name: 'wordpress',
      labels: { 'app.kubernetes.io/managed-by': 'twinops' },
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
    });
  });
});
