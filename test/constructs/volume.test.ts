import { describe, expect, it } from 'vitest';
import { Volume } from '../../lib/constructs/volume';
import { appChart, objects } from '../support/scope';

describe('Volume', () => {
  it('renders a protected claim on the variant class', () => {
    const chart = appChart('dr');
    const volume = new Volume(chart, 'db', { name: 'wordpress-db', size: '10Gi', role: 'database' });
    expect(volume.claimName).toBe('wordpress-db-dr');
    expect(volume.baseName).toBe('wordpress-db');
    expect(objects(chart)).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "v1",
          "kind": "PersistentVolumeClaim",
          "metadata": {
            "annotations": {
              "argocd.argoproj.io/sync-options": "Prune=false",
              "kustomize.toolkit.fluxcd.io/prune": "disabled",
            },
            "labels": {
              "app.kubernetes.io/instance": "wordpress-db-dr",
              "app.kubernetes.io/managed-by": "twinops",
              "app.kubernetes.io/name": "wordpress-db",
              "app.kubernetes.io/part-of": "wordpress",
              "twinops.dev/variant": "dr",
            },
            "name": "wordpress-db-dr",
            "namespace": "wordpress",
          },
          "spec": {
            "accessModes": [
              "ReadWriteOnce",
            ],
            "resources": {
              "requests": {
                "storage": "10Gi",
              },
            },
            "storageClassName": "zfs-storage-znvm-dr",
          },
        },
      ]
    `);
  });

  it('keeps prod names and classes for prod', () => {
    const chart = appChart('prod');
    new Volume(chart, 'db', { name: 'wordpress-db', size: '10Gi', role: 'database', accessMode: 'ReadWriteOncePod' });
    const [claim] = objects(chart);
    expect(claim?.metadata.name).toBe('wordpress-db');
    expect(claim?.spec).toEqual({
      accessModes: ['ReadWriteOncePod'],
      resources: { requests: { storage: '10Gi' } },
      storageClassName: 'zfs-storage-znvm',
    });
  });
});
