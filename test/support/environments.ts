/** Small environments for unit tests, built through the same defaults the loader applies. */
import { withDefaults, type Environment } from '../../lib/config/environment';
import type { EnvironmentSpec } from '../../lib/config/schema';

/** The 002 lab in miniature: `hassio` and the tainted DR node `remote`, wordpress with a twin. */
export const LAB_SPEC: EnvironmentSpec = {
  secrets: { name: 'vault' },
  clusters: [
    {
      name: 'home',
      nodes: [
        { name: 'hassio' },
        {
          name: 'remote',
          labels: { 'kubernetes.io/hostname': 'remote' },
          taints: [{ key: 'dedicated', value: 'remote', effect: 'NoSchedule' }],
        },
      ],
      dr: { node: 'remote' },
      storageClasses: [
        {
          name: 'zfs-storage-znvm',
          provisioner: 'zfs.csi.openebs.io',
          node: 'hassio',
          parameters: { poolname: 'znvm/k3s', fstype: 'zfs' },
          dr: { parameters: { poolname: 'backup/znvm/k3s' } },
        },
        { name: 'local-path', provisioner: 'rancher.io/local-path' },
      ],
      storageRoles: { database: 'zfs-storage-znvm', files: 'local-path' },
      apps: [
        { app: 'wordpress', host: 'blog.example.org', dr: true },
        { app: 'redis', namespace: 'wordpress', dr: true },
        { app: 'keycloak', host: 'keycloak.example.org', dr: { identity: 'production' } },
      ],
    },
  ],
};

export function lab(overrides: Partial<EnvironmentSpec> = {}): Environment {
  return withDefaults('lab', 'environments/lab.yaml', { ...LAB_SPEC, ...overrides });
}

export function onlyCluster(env: Environment) {
  const cluster = env.clusters[0];
  if (!cluster) throw new Error('no cluster');
  return cluster;
}

export function placed(env: Environment, app: string) {
  const placement = onlyCluster(env).apps.find((candidate) => candidate.app === app);
  if (!placement) throw new Error(`${app} is not placed`);
  return placement;
}
