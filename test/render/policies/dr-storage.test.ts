/** Claims on classes their cluster renders; DR claims on DR classes not pinned to a prod node. */
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../lib/config/environment';
import { drStorage } from '../../../lib/render/policies/dr-storage';
import { DR_PLACEMENT, LAB_ENV, LAB_UNITS, WP_DR, WP_PROD, editUnit, find } from './lab';

const LAB_CLASSES = '["local-path","zfs-storage-nas","zfs-storage-nas-dr","zfs-storage-znvm","zfs-storage-znvm-dr"]';
const LAB_DR_CLASSES = '["local-path","zfs-storage-nas-dr","zfs-storage-znvm-dr"]';
const DR_RULE = 'a DR claim must use the DR class of a class of its cluster (dr.storageClasses, else <class><suffix>)';

/** A DR StatefulSet placed on the DR node, with one claim template on `storageClass`. */
const statefulSet = (storageClass: string) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'cache-dr', namespace: 'wordpress' },
  spec: {
    serviceName: 'cache-dr',
    selector: { matchLabels: { app: 'cache-dr' } },
    template: {
      metadata: { labels: { app: 'cache-dr' } },
      spec: { ...structuredClone(DR_PLACEMENT), containers: [{ name: 'cache', image: 'valkey/valkey:8' }] },
    },
    volumeClaimTemplates: [
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: storageClass, resources: { requests: { storage: '1Gi' } } } },
    ],
  },
});

describe('storage of the lab', () => {
  it('passes as rendered', () => {
    expect(drStorage(LAB_UNITS, LAB_ENV)).toEqual([]);
  });

  it('accepts a DR StatefulSet claim template on a mapped DR class', () => {
    expect(drStorage(editUnit(WP_DR, (objects) => [...objects, statefulSet('zfs-storage-znvm-dr')]), LAB_ENV)).toEqual([]);
  });

  it('refuses a DR StatefulSet claim template on the prod class', () => {
    const units = editUnit(WP_DR, (objects) => [...objects, statefulSet('zfs-storage-znvm')]);
    expect(drStorage(units, LAB_ENV)).toEqual([
      {
        file: WP_DR,
        kind: 'StatefulSet',
        name: 'cache-dr',
        path: 'spec.volumeClaimTemplates[0].spec.storageClassName',
        message: `${DR_RULE}: expected one of ${LAB_DR_CLASSES}; given "zfs-storage-znvm"`,
      },
    ]);
  });

  it("refuses a DR PVC that names no class (the cluster's default is no DR class)", () => {
    const units = editUnit(WP_DR, (objects) => {
      delete find(objects, 'PersistentVolumeClaim', 'wordpress-html-dr').spec.storageClassName;
    });
    expect(drStorage(units, LAB_ENV).map((problem) => `${problem.name} ${problem.path}: ${problem.message}`)).toEqual([
      `wordpress-html-dr spec.storageClassName: ${DR_RULE}: expected one of ${LAB_DR_CLASSES}; given none (the cluster's default class)`,
    ]);
  });

  it('refuses a DR PVC on a DR class pinned to the prod node', () => {
    // The loader refuses this mapping; the policy holds whatever produced the environment.
    const archive = { name: 'archive', provisioner: 'zfs.csi.openebs.io', node: 'alpha', parameters: {}, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' } as const;
    const env: Environment = {
      ...LAB_ENV,
      dr: { ...LAB_ENV.dr, storageClasses: { ...LAB_ENV.dr.storageClasses, 'zfs-storage-nas': 'archive' } },
      clusters: LAB_ENV.clusters.map((cluster) => ({ ...cluster, storageClasses: [...cluster.storageClasses, archive] })),
    };
    const units = editUnit(WP_DR, (objects) => {
      find(objects, 'PersistentVolumeClaim', 'wordpress-html-dr').spec.storageClassName = 'archive';
    });
    expect(drStorage(units, env)).toEqual([
      {
        file: WP_DR,
        kind: 'PersistentVolumeClaim',
        name: 'wordpress-html-dr',
        path: 'spec.storageClassName',
        message: `a DR claim's storage class must not be pinned to a node other than DR node bravo; given "archive", pinned to node alpha`,
      },
    ]);
  });

  it('refuses a prod PVC on a class the cluster lacks', () => {
    const units = editUnit(WP_PROD, (objects) => {
      find(objects, 'PersistentVolumeClaim', 'wordpress-db').spec.storageClassName = 'ceph-rbd';
    });
    expect(drStorage(units, LAB_ENV)).toEqual([
      {
        file: WP_PROD,
        kind: 'PersistentVolumeClaim',
        name: 'wordpress-db',
        path: 'spec.storageClassName',
        message: `a claim's storage class must exist in cluster lab: expected one of ${LAB_CLASSES}; given "ceph-rbd"`,
      },
    ]);
  });

  it('refuses a DR claim template on a class that neither exists nor is a DR class', () => {
    const units = editUnit(WP_DR, (objects) => [...objects, statefulSet('ceph-rbd-dr')]);
    expect(drStorage(units, LAB_ENV).map((problem) => problem.message)).toEqual([
      `a claim's storage class must exist in cluster lab: expected one of ${LAB_CLASSES}; given "ceph-rbd-dr"`,
      `${DR_RULE}: expected one of ${LAB_DR_CLASSES}; given "ceph-rbd-dr"`,
    ]);
  });
});
