/** WordPress with its MariaDB, its identity config (WP_HOME, WP_SITEURL) and Redis as cache. */
import { Config } from '../../lib/constructs/config';
import { Credentials } from '../../lib/constructs/credentials';
import { Endpoint } from '../../lib/constructs/endpoint';
import { Volume } from '../../lib/constructs/volume';
import { Workload } from '../../lib/constructs/workload';
import { requireHost, type AppChart } from '../catalog-types';

const VOLUMES = {
  html: { name: 'wordpress-html', size: '100Gi', role: 'files' },
  db: { name: 'wordpress-db', size: '10Gi', role: 'database' },
} as const;

export const wordpress: AppChart = {
  name: 'wordpress',
  needsHost: true,
  needsSecrets: true,
  dependsOn: ['redis'],
  volumes: Object.values(VOLUMES),
  render(scope, input) {
    const url = `https://${requireHost('wordpress', input)}`;
    const credentials = new Credentials(scope, 'credentials', {
      name: 'wordpress-db-credentials',
      remoteKey: 'wordpress/db',
      keys: ['password', 'root-password'],
    });

    const dbVolume = new Volume(scope, 'db-volume', VOLUMES.db);
    new Workload(scope, 'db', {
      name: 'wordpress-db',
      image: 'mariadb:11.4.3',
      singleton: true,
      ports: [{ name: 'mysql', port: 3306 }],
      env: {
        MARIADB_DATABASE: 'wordpress',
        MARIADB_USER: 'wordpress',
        MARIADB_PASSWORD: { secret: credentials, key: 'password' },
        MARIADB_ROOT_PASSWORD: { secret: credentials, key: 'root-password' },
      },
      mounts: [{ volume: dbVolume, mountPath: '/var/lib/mysql' }],
      requests: { cpu: '100m', memory: '256Mi' },
    });

    // The identity a clone believes it has: the only config that differs between prod and DR.
    const identity = new Config(scope, 'identity', {
      name: 'wordpress-identity',
      data: { WP_HOME: url, WP_SITEURL: url },
    });
    const html = new Volume(scope, 'html-volume', VOLUMES.html);
    const web = new Workload(scope, 'web', {
      name: 'wordpress',
      image: 'wordpress:6.6.2-apache',
      // The document root is a ReadWriteOnce volume: one pod at a time.
      singleton: true,
      ports: [{ name: 'http', port: 80 }],
      env: {
        WORDPRESS_DB_HOST: { serviceOf: 'wordpress', service: 'wordpress-db' },
        WORDPRESS_DB_NAME: 'wordpress',
        WORDPRESS_DB_USER: 'wordpress',
        WORDPRESS_DB_PASSWORD: { secret: credentials, key: 'password' },
        WP_REDIS_HOST: { serviceOf: 'redis', service: 'redis' },
        WORDPRESS_CONFIG_EXTRA: [
          "define('WP_HOME', getenv('WP_HOME'));",
          "define('WP_SITEURL', getenv('WP_SITEURL'));",
          "define('WP_REDIS_HOST', getenv('WP_REDIS_HOST'));",
        ].join('\n'),
      },
      envFrom: [identity],
      mounts: [{ volume: html, mountPath: '/var/www/html' }],
      requests: { cpu: '100m', memory: '256Mi' },
    });
    new Endpoint(scope, 'endpoint', { workload: web, port: 80 });
  },
};
