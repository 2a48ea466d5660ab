/**
 * What each DR state renders, as the complete set of objects and fields that differ from
 * standby: nothing outside the documented change set (DESIGN.md "DR state and activation").
 */
import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import { withAppState, withEnvironmentState } from '../../lib/config/state';
import { diffRenders, formatDiff } from '../../lib/dr/diff';
import { loadHome } from '../support/render';

/** The home lab with redis at 3 replicas, so a twin's production replica count shows. */
function home(): Environment {
  const env = loadHome();
  return {
    ...env,
    clusters: env.clusters.map((cluster) => ({
      ...cluster,
      apps: cluster.apps.map((app) => (app.app === 'redis' ? { ...app, replicas: 3 } : app)),
    })),
  };
}

const changeTo = (state: 'active' | 'syncing') =>
  formatDiff(diffRenders(composeEnvironment(home()), composeEnvironment(withEnvironmentState(home(), state))));

describe('DR states', () => {
  it('activates exactly: twin identity, prod balancer and DNS record, twin replicas, twin no longer waiting for prod', () => {
    expect(changeTo('active')).toEqual([
      // Flux: a dead prod must not block the twins.
      '~ home/clusters/home Kustomization flux-system/keycloak-dr',
      '    spec.dependsOn[3]: {"name":"keycloak"} → (absent)',
      '~ home/clusters/home Kustomization flux-system/nextcloud-dr',
      '    spec.dependsOn[3]: {"name":"nextcloud"} → (absent)',
      '~ home/clusters/home Kustomization flux-system/redis-dr',
      '    spec.dependsOn[3]: {"name":"redis"} → (absent)',
      '~ home/clusters/home Kustomization flux-system/wordpress-dr',
      '    spec.dependsOn[3]: {"name":"wordpress"} → (absent)',
      // keycloak's clone always had the production identity: only its edge moves.
      '~ home/home/apps/keycloak/prod Service keycloak/keycloak-name',
      '    spec.externalName: "192.0.2.1" → "192.0.2.200"',
      '~ home/home/apps/keycloak/prod Service traefik-external/traefik-external-keycloak',
      '    metadata.annotations["projectcalico.org/ipv6pools"]: "[\\"loadbalancer-ipv6-pool\\"]" → "[\\"loadbalancer-ipv6-pool-dr\\"]"',
      '    spec.selector.app: "traefik-external" → "traefik-dr"',
      '~ home/home/apps/nextcloud/dr ConfigMap nextcloud/nextcloud-identity-dr',
      '    data.NEXTCLOUD_TRUSTED_DOMAINS: "cloud-dr.example.org" → "cloud.example.org"',
      '    data.OVERWRITECLIURL: "https://cloud-dr.example.org" → "https://cloud.example.org"',
      '    data.OVERWRITEHOST: "cloud-dr.example.org" → "cloud.example.org"',
      '~ home/home/apps/nextcloud/prod Service nextcloud/nextcloud-name',
      '    spec.externalName: "192.0.2.1" → "192.0.2.200"',
      '~ home/home/apps/nextcloud/prod Service traefik-external/traefik-external-nextcloud',
      '    metadata.annotations["projectcalico.org/ipv6pools"]: "[\\"loadbalancer-ipv6-pool\\"]" → "[\\"loadbalancer-ipv6-pool-dr\\"]"',
      '    spec.selector.app: "traefik-external" → "traefik-dr"',
      // redis: an independent cache, no identity, no edge: it only scales up.
      '~ home/home/apps/redis/dr Deployment wordpress/redis-dr',
      '    spec.replicas: 1 → 3',
      '~ home/home/apps/wordpress/dr ConfigMap wordpress/wordpress-identity-dr',
      '    data.WP_HOME: "https://blog-dr.example.org" → "https://blog.example.org"',
      '    data.WP_SITEURL: "https://blog-dr.example.org" → "https://blog.example.org"',
      '~ home/home/apps/wordpress/prod Service traefik-external/traefik-external-wordpress',
      '    metadata.annotations["projectcalico.org/ipv6pools"]: "[\\"loadbalancer-ipv6-pool\\"]" → "[\\"loadbalancer-ipv6-pool-dr\\"]"',
      '    spec.selector.app: "traefik-external" → "traefik-dr"',
      '~ home/home/apps/wordpress/prod Service wordpress/wordpress-name',
      '    spec.externalName: "192.0.2.1" → "192.0.2.200"',
    ]);
  });

  it('holds exactly the DR workloads at zero replicas while syncing', () => {
    expect(changeTo('syncing')).toEqual([
      '~ home/home/apps/keycloak/dr Deployment keycloak/keycloak-db-dr',
      '    spec.replicas: 1 → 0',
      '~ home/home/apps/keycloak/dr Deployment keycloak/keycloak-dr',
      '    spec.replicas: 1 → 0',
      '~ home/home/apps/nextcloud/dr Deployment nextcloud/nextcloud-db-dr',
      '    spec.replicas: 1 → 0',
      '~ home/home/apps/nextcloud/dr Deployment nextcloud/nextcloud-dr',
      '    spec.replicas: 1 → 0',
      '~ home/home/apps/redis/dr Deployment wordpress/redis-dr',
      '    spec.replicas: 1 → 0',
      '~ home/home/apps/wordpress/dr Deployment wordpress/wordpress-db-dr',
      '    spec.replicas: 1 → 0',
      '~ home/home/apps/wordpress/dr Deployment wordpress/wordpress-dr',
      '    spec.replicas: 1 → 0',
    ]);
  });

  it('activates one app alone, touching nothing of the others', () => {
    const diff = diffRenders(composeEnvironment(home()), composeEnvironment(withAppState(home(), 'wordpress', 'active')));
    expect(diff.changed.map((change) => `${change.unit} ${change.kind}/${change.name}`)).toEqual([
      'home/clusters/home Kustomization/wordpress-dr',
      'home/home/apps/wordpress/dr ConfigMap/wordpress-identity-dr',
      'home/home/apps/wordpress/prod Service/traefik-external-wordpress',
      'home/home/apps/wordpress/prod Service/wordpress-name',
    ]);
    expect([diff.added, diff.removed]).toEqual([[], []]);
  });
});
