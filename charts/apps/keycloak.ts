/** Keycloak with its PostgreSQL; its identity is the public URL it issues tokens for. */
import { Config } from '../../lib/constructs/config';
import { Credentials } from '../../lib/constructs/credentials';
import { Endpoint } from '../../lib/constructs/endpoint';
import { Workload } from '../../lib/constructs/workload';
import { requireHost, type AppChart } from '../catalog-types';
import { postgres } from './parts/postgres';

const VOLUMES = {
  db: { name: 'keycloak-db', size: '5Gi', role: 'database' },
} as const;

export const keycloak: AppChart = {
  name: 'keycloak',
  needsHost: true,
  needsSecrets: true,
  dependsOn: [],
  volumes: Object.values(VOLUMES),
  render(scope, input) {
    const host = requireHost('keycloak', input);
    const dbCredentials = new Credentials(scope, 'db-credentials', {
      name: 'keycloak-db-credentials',
      remoteKey: 'keycloak/db',
      keys: ['password'],
    });
    const adminCredentials = new Credentials(scope, 'admin-credentials', {
      name: 'keycloak-admin',
      remoteKey: 'keycloak/admin',
      keys: ['password'],
    });
    postgres(scope, { name: 'keycloak-db', database: 'keycloak', volume: VOLUMES.db, credentials: dbCredentials });

    const identity = new Config(scope, 'identity', {
      name: 'keycloak-identity',
      data: { KC_HOSTNAME: `https://${host}` },
    });
    const web = new Workload(scope, 'keycloak', {
      name: 'keycloak',
      image: 'quay.io/keycloak/keycloak:26.0.5',
      args: ['start'],
      ports: [{ name: 'http', port: 8080 }],
      env: {
        KC_DB: 'postgres',
        KC_DB_URL_HOST: { serviceOf: 'keycloak', service: 'keycloak-db' },
        KC_DB_URL_DATABASE: 'keycloak',
        KC_DB_USERNAME: 'keycloak',
        KC_DB_PASSWORD: { secret: dbCredentials, key: 'password' },
        KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
        KC_BOOTSTRAP_ADMIN_PASSWORD: { secret: adminCredentials, key: 'password' },
        // TLS ends at Traefik; Keycloak trusts its forwarded headers.
        KC_HTTP_ENABLED: 'true',
        KC_PROXY_HEADERS: 'xforwarded',
      },
      envFrom: [identity],
      requests: { cpu: '250m', memory: '512Mi' },
    });
    new Endpoint(scope, 'endpoint', { workload: web, port: 8080 });
  },
};
