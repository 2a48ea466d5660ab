import { describe, expect, it } from 'vitest';
import { planEnvironment } from '../lib/plan';
import { lab } from './support/environments';

const chartDependencies = (app: string) => (app === 'wordpress' ? ['redis'] : []);

function flux(state?: 'standby' | 'syncing' | 'active') {
  const env = state ? lab({ dr: { state } }) : lab();
  const [cluster] = planEnvironment(env, chartDependencies).clusters;
  return cluster!.units.map((unit) => ({ name: unit.fluxName, path: unit.path, dependsOn: unit.dependsOn }));
}

describe('plan', () => {
  it('orders units add-ons → infrastructure → prod apps → twins, each in its own folder', () => {
    expect(flux()).toEqual([
      // The lab declares a secret store, a local-path class and ZFS classes: their operator and provisioners come first.
      { name: 'addon-external-secrets', path: 'lab/home/addons/external-secrets', dependsOn: [] },
      { name: 'addon-local-path', path: 'lab/home/addons/local-path', dependsOn: [] },
      { name: 'addon-zfs-localpv', path: 'lab/home/addons/zfs-localpv', dependsOn: [] },
      { name: 'infrastructure-storage', path: 'lab/home/infrastructure/storage', dependsOn: ['addon-external-secrets', 'addon-local-path', 'addon-zfs-localpv'] },
      { name: 'wordpress', path: 'lab/home/apps/wordpress/prod', dependsOn: ['infrastructure-storage', 'redis'] },
      { name: 'redis', path: 'lab/home/apps/redis/prod', dependsOn: ['infrastructure-storage'] },
      { name: 'keycloak', path: 'lab/home/apps/keycloak/prod', dependsOn: ['infrastructure-storage'] },
      { name: 'wordpress-dr', path: 'lab/home/apps/wordpress/dr', dependsOn: ['infrastructure-storage', 'wordpress', 'redis-dr'] },
      { name: 'redis-dr', path: 'lab/home/apps/redis/dr', dependsOn: ['infrastructure-storage', 'redis'] },
      { name: 'keycloak-dr', path: 'lab/home/apps/keycloak/dr', dependsOn: ['infrastructure-storage', 'keycloak'] },
    ]);
  });

  it('lets active twins stop waiting for prod, so a dead prod cannot block failover', () => {
    expect(flux('active').filter((unit) => unit.name.endsWith('-dr'))).toEqual([
      { name: 'wordpress-dr', path: 'lab/home/apps/wordpress/dr', dependsOn: ['infrastructure-storage', 'redis-dr'] },
      { name: 'redis-dr', path: 'lab/home/apps/redis/dr', dependsOn: ['infrastructure-storage'] },
      { name: 'keycloak-dr', path: 'lab/home/apps/keycloak/dr', dependsOn: ['infrastructure-storage'] },
    ]);
  });

  it('lets a twin use the prod variant of a dependency that has no twin', () => {
    const env = lab();
    const cluster = env.clusters[0]!;
    const withoutRedisTwin = {
      ...env,
      clusters: [{ ...cluster, apps: cluster.apps.map((app) => (app.app === 'redis' ? { ...app, dr: { enabled: false, identity: 'own' as const } } : app)) }],
    };
    const units = planEnvironment(withoutRedisTwin, chartDependencies).clusters[0]!.units;
    expect(units.find((unit) => unit.fluxName === 'wordpress-dr')?.dependsOn).toEqual(['infrastructure-storage', 'wordpress', 'redis']);
  });
});
