import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import { credentialsSection, teardownSection } from '../../lib/runbook/credentials';
import { loadHome } from '../support/render';
import { tiny } from './support';

describe('the Credentials section', () => {
  it('lists every store key the rendered ExternalSecrets read, with their properties and readers', () => {
    const env = loadHome();
    expect(credentialsSection(env, composeEnvironment(env)).split('\n').slice(4)).toEqual([
      '| Store key | Properties | Read by (namespace/ExternalSecret) |',
      '| --- | --- | --- |',
      '| `keycloak/admin` | `password` | keycloak/keycloak-admin |',
      '| `keycloak/db` | `password` | keycloak/keycloak-db-credentials |',
      '| `nextcloud/admin` | `password` | nextcloud/nextcloud-admin |',
      '| `nextcloud/db` | `password` | nextcloud/nextcloud-db-credentials |',
      '| `wordpress/db` | `password` and `root-password` | wordpress/wordpress-db-credentials |',
    ]);
  });

  it('says so when nothing reads a store', () => {
    const env = tiny({ clusters: [{ name: 'lab', nodes: [{ name: 'main', controlPlane: true }], apps: [{ app: 'redis' }] }] });
    const { secrets: _none, ...withoutStore } = env;
    expect(credentialsSection(withoutStore, composeEnvironment(withoutStore))).toBe('## Credentials\n\nThe environment declares no secret store, and nothing rendered reads one.');
  });

  it('has no teardown section without Cluster API workload clusters', () => {
    expect(teardownSection(tiny())).toBeUndefined();
  });
});
