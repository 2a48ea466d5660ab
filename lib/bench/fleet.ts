/**
 * A synthetic fleet for the benchmark: `clusters` copies of the home lab (a main node, a
 * tainted DR node, ZFS and local-path storage, the prod and DR Traefik instances with their
 * address plans, every app with its twin), as environment YAML.
 */
import { stringify } from 'yaml';
import type { EnvironmentSpec } from '../config/schema';

export function fleetSpec(clusters: number, apps: readonly string[]): EnvironmentSpec {
  const pad = String(clusters).length;
  return {
    description: `Synthetic fleet of ${clusters} clusters for twinops bench.`,
    secrets: { name: 'vault' },
    dr: { storageClasses: { 'local-path': 'local-path' } },
    clusters: Array.from({ length: clusters }, (_, i) => {
      const id = String(i + 1).padStart(pad, '0');
      return {
        name: `site-${id}`,
        nodes: [
          { name: 'main' },
          { name: 'remote', taints: [{ key: 'dedicated', value: 'remote', effect: 'NoSchedule' as const }] },
        ],
        dr: { node: 'remote' },
        storageClasses: [
          { name: 'zfs-storage-znvm', provisioner: 'zfs.csi.openebs.io', node: 'main', parameters: { poolname: 'znvm/k3s' }, dr: { parameters: { poolname: 'backup/znvm/k3s' } } },
          { name: 'zfs-storage-nas', provisioner: 'zfs.csi.openebs.io', node: 'main', parameters: { poolname: 'nas/k3s' }, dr: { parameters: { poolname: 'backup/nas/k3s' } } },
          { name: 'local-path', provisioner: 'rancher.io/local-path' },
        ],
        storageRoles: { database: 'zfs-storage-znvm', files: 'zfs-storage-nas' },
        edge: {
          acmeEmail: 'hostmaster@example.org',
          publicDns: true,
          prod: { ipv6: { pool: 'lb-v6', cidr: '2001:db8:0:100::/112' }, ipv4: { pool: 'lb-v4', cidr: '192.0.2.64/28', public: '192.0.2.1' } },
          dr: { externalDns: false, ipv6: { pool: 'lb-v6-dr', cidr: '2001:db8:200:100::/112' }, ipv4: { address: '192.0.2.200' } },
        },
        apps: apps.map((app) => ({ app, host: `${app}.site-${id}.example.org`, dr: true })),
      };
    }),
  };
}

export function fleetYaml(clusters: number, apps: readonly string[]): string {
  return stringify(fleetSpec(clusters, apps));
}

/** The one-app change of the incremental bench: which app of which cluster gets which host. */
export interface HostChange {
  readonly cluster: string;
  readonly app: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The fleet with one app's host changed, as a user would edit it: the first app of the cluster
 * at `index` (default the first) moves to `<app>-moved.<cluster>.example.org`. Everything else
 * is the same objects.
 */
export function withOneHostChanged(spec: EnvironmentSpec, index = 0): { readonly spec: EnvironmentSpec; readonly change: HostChange } {
  const cluster = spec.clusters[index];
  const [app, ...others] = cluster?.apps ?? [];
  if (cluster === undefined || app === undefined || app.host === undefined) {
    throw new Error(`the bench fleet has no cluster ${index + 1} with an app that has a host to change`);
  }
  const moved = `${app.app}-moved.${cluster.name}.example.org`;
  // A one-cluster fleet changes the same app twice: the second time it moves on again.
  const to = app.host === moved ? `${app.app}-moved-again.${cluster.name}.example.org` : moved;
  const clusters = spec.clusters.map((each, at) => (at === index ? { ...cluster, apps: [{ ...app, host: to }, ...others] } : each));
  return { spec: { ...spec, clusters }, change: { cluster: cluster.name, app: app.app, from: app.host, to } };
}
