import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { FluxUnit, fluxPath } from '../../lib/constructs/flux';
import { lab } from '../support/environments';

describe('FluxUnit', () => {
  it('reconciles one unit folder from the flux-system source, pruning and waiting', () => {
    const chart = new Chart(new App(), 'entry', { disableResourceNameHashes: true });
    new FluxUnit(chart, 'wordpress-dr', {
      name: 'wordpress-dr',
      path: 'home/home/apps/wordpress/dr',
      dependsOn: ['infrastructure-storage', 'wordpress'],
      gitops: lab().gitops,
    });
    expect(chart.toJson()).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
          "kind": "Kustomization",
          "metadata": {
            "labels": {
              "app.kubernetes.io/managed-by": "twinops",
            },
            "name": "wordpress-dr",
            "namespace": "flux-system",
          },
          "spec": {
            "dependsOn": [
              {
                "name": "infrastructure-storage",
              },
              {
                "name": "wordpress",
              },
            ],
            "interval": "10m",
            "path": "./dist/home/home/apps/wordpress/dr",
            "prune": true,
            "retryInterval": "1m",
            "sourceRef": {
              "kind": "GitRepository",
              "name": "flux-system",
            },
            "timeout": "5m",
            "wait": true,
          },
        },
      ]
    `);
  });

  it('joins the dist prefix and the unit path', () => {
    expect(fluxPath('./dist', 'home/clusters/home')).toBe('./dist/home/clusters/home');
    expect(fluxPath('./deploy/dist/', 'a/b')).toBe('./deploy/dist/a/b');
    expect(fluxPath('.', 'a/b')).toBe('./a/b');
    expect(fluxPath('', 'a/b')).toBe('./a/b');
  });
});
