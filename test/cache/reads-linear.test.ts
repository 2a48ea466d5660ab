/**
 * What the render cache records grows linearly with the fleet (issue 11, goal 5): every read it
 * keeps is checked again on every change, so a computation done once per cluster that reads
 * something of every cluster (a scan by name instead of an index) makes each change, and the
 * memory the reads take, quadratic. Counted, not timed: twice the clusters may note at most
 * twice the reads. Three topologies, since each reaches other code: twins on the cluster's own
 * DR node (the bench fleet), twins on the next cluster (a ring of regions), and Cluster API
 * workload clusters delivered from a management cluster.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { fleetSpec } from '../../lib/bench/fleet';
import type { ReadSet } from '../../lib/cache/reads';
import { UnitCache } from '../../lib/render/unit-cache';
import { environmentFiles, loadEnvironments, renderFiles } from '../../lib/synth';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-reads-linear-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every read the cache keeps after rendering `spec`: each distinct ReadSet counted once, shared ones included. */
function readsKept(name: string, spec: unknown): number {
  const folder = join(root, name);
  mkdirSync(join(folder, 'environments'), { recursive: true });
  writeFileSync(join(folder, 'environments', `${name}.yaml`), stringify(spec));
  const cache = new UnitCache('program');
  renderFiles(loadEnvironments(environmentFiles(join(folder, 'environments')), APP_CATALOG), composeUnits, join(folder, 'dist'), undefined, cache);
  const counted = new Set<ReadSet>();
  let reads = 0;
  const count = (set: ReadSet) => {
    if (counted.has(set)) return;
    counted.add(set);
    reads += set.size;
    for (const shared of set.includes()) count(shared);
  };
  for (const entry of cache.environments.values()) {
    count(entry.global);
    for (const unit of entry.units.values()) count(unit.reads);
    for (const block of entry.runbook.values()) count(block.reads);
  }
  return reads;
}

const apps = [...APP_CATALOG.keys()].sort();

/**
 * `clusters` clusters in a ring, as in the regions example: each one's twins run on the next
 * cluster, which places the other two apps (one cluster runs an app once): `clusters` is even.
 */
function ringSpec(clusters: number) {
  const name = (i: number) => `region-${String((i % clusters) + 1).padStart(2, '0')}`;
  return {
    description: `A ring of ${clusters} regions.`,
    secrets: { kind: 'ClusterSecretStore', name: 'vault' },
    dr: { storageClasses: { 'local-path': 'local-path' } },
    clusters: Array.from({ length: clusters }, (_, i) => ({
      name: name(i),
      nodes: [
        { name: 'node-1', addresses: [`192.0.2.${i + 1}`], controlPlane: true },
        { name: 'node-2', addresses: [`198.51.100.${i + 1}`] },
      ],
      dr: { cluster: name(i + 1) },
      storageClasses: [{ name: 'local-path', provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Retain' }],
      apps: (i % 2 === 0 ? ['redis', 'wordpress'] : ['keycloak', 'nextcloud']).map((app) => ({ app, host: `${app}.${name(i)}.example.org`, dr: true })),
    })),
  };
}

/** A management cluster and `workloads` Cluster API clusters (an even number); every other one places a cache whose twin runs on the next. */
function capiSpec(workloads: number) {
  const name = (i: number) => `edge-${String((i % workloads) + 1).padStart(2, '0')}`;
  return {
    description: `A Cluster API fleet of ${workloads} workload clusters.`,
    secrets: { kind: 'ClusterSecretStore', name: 'vault' },
    capi: { version: 'v1.14.0', helm: 'v0.6.4', certManager: 'v1.21.1', cilium: '1.16.3' },
    clusters: [
      {
        name: 'mgmt',
        role: 'management',
        capi: { infrastructure: 'docker', controlPlane: 'kubeadm', kubernetes: 'v1.34.0', workers: 1, pods: '192.168.0.0/20', services: '10.128.0.0/16' },
      },
      ...Array.from({ length: workloads }, (_, i) => ({
        name: name(i),
        capi: { infrastructure: 'docker', controlPlane: 'kubeadm', kubernetes: 'v1.34.0', workers: 2, pods: `192.168.${16 * (i + 1)}.0/20`, services: `10.${129 + i}.0.0/16` },
        apps: i % 2 === 0 ? [{ app: 'redis', dr: { cluster: name(i + 1) } }] : [],
      })),
    ],
  };
}

describe('the reads the render cache keeps', () => {
  // Each pair: the same estate at N and 2N clusters. Before the runbook's delivery commands and
  // the DR placement policy looked clusters up by name, they scanned the fleet once per cluster.
  it.each([
    ['twins on their own DR node (the bench fleet)', () => fleetSpec(5, apps), () => fleetSpec(10, apps)],
    ['twins on the next cluster', () => ringSpec(8), () => ringSpec(16)],
    ['Cluster API workload clusters', () => capiSpec(6), () => capiSpec(12)],
  ])('grow linearly with the fleet: %s', (_topology, small, large) => {
    const few = readsKept('few', small());
    const many = readsKept('many', large());
    expect(few).toBeGreaterThan(0);
    expect(many).toBeLessThanOrEqual(2 * few);
  });
});
