/** Nextcloud with its PostgreSQL; every host name lives in its identity config, not on disk. */
import { Config } from '../../lib/constructs/config';
import { Credentials } from '../../lib/constructs/credentials';
import { Endpoint } from '../../lib/constructs/endpoint';
import { Volume } from '../../lib/constructs/volume';
import { Workload } from '../../lib/constructs/workload';
import { requireHost, type AppChart } from '../catalog-types';
import { postgres } from './parts/postgres';

const VOLUMES = {
  data: { name: 'nextcloud-data', size: '200Gi', role: 'files' },
  db: { name: 'nextcloud-db', size: '10Gi', role: 'database' },
} as const;

export const nextcloud: AppChart = {
  name: 'nextcloud',
  needsHost: true,
  needsSecrets: true,
  dependsOn: [],
  volumes: Object.values(VOLUMES),
  render(scope, input) {
    const host = requireHost('nextcloud', input);
    const dbCredentials = new Credentials(scope, 'db-credentials', {
      name: 'nextcloud-db-credentials',
      remoteKey: 'nextcloud/db',
      keys: ['password'],
    });
    const adminCredentials = new Credentials(scope, 'admin-credentials', {
      name: 'nextcloud-admin',
      remoteKey: 'nextcloud/admin',
      keys: ['password'],
    });
    postgres(scope, { name: 'nextcloud-db', database: 'nextcloud', volume: VOLUMES.db, credentials: dbCredentials });

    // Host names are config, not data: a clone of the data volume works under either identity.
    const identity = new Config(scope, 'identity', {
      name: 'nextcloud-identity',
      data: {
        NEXTCLOUD_TRUSTED_DOMAINS: host,
        OVERWRITEHOST: host,
        OVERWRITEPROTOCOL: 'https',
        OVERWRITECLIURL: `https://${host}`,
      },
    });
    const data = new Volume(scope, 'data-volume', VOLUMES.data);
    const web = new Workload(scope, 'web', {
      name: 'nextcloud',
      image: 'nextcloud:30.0.2-apache',
      singleton: true,
      ports: [{ name: 'http', port: 80 }],
      env: {
        POSTGRES_HOST: { serviceOf: 'nextcloud', service: 'nextcloud-db' },
        POSTGRES_DB: 'nextcloud',
        POSTGRES_USER: 'nextcloud',
        POSTGRES_PASSWORD: { secret: dbCredentials, key: 'password' },
        NEXTCLOUD_ADMIN_USER: 'admin',
        NEXTCLOUD_ADMIN_PASSWORD: { secret: adminCredentials, key: 'password' },
      },
      envFrom: [identity],
      mounts: [{ volume: data, mountPath: '/var/www/html' }],
      requests: { cpu: '250m', memory: '512Mi' },
    });
    new Endpoint(scope, 'endpoint', { workload: web, port: 80 });
  },
};
