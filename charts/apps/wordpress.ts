/** WordPress with its MariaDB, its identity config (WP_HOME, WP_SITEURL) and Redis as cache. */
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { AppProps } from '../../lib/app/definition';
import { Credentials } from '../../lib/constructs/credentials';
import { Claim } from './parts/claim';
import { appLabels } from './parts/labels';
import { envSecret, envValue, Server } from './parts/server';

const APP = 'wordpress';

export class WordPress extends Chart {
  public constructor(scope: Construct, id: string, props: AppProps) {
    super(scope, id, props);
    const url = `https://${props.host}`;
    const credentials = new Credentials(this, 'credentials', {
      name: 'wordpress-db-credentials',
      store: props.secretStore,
      remoteKey: 'wordpress/db',
      keys: ['password', 'root-password'],
      labels: appLabels(APP, 'wordpress-db-credentials'),
    });

    const db = new Claim(this, 'db-volume', { app: APP, name: 'wordpress-db', size: '10Gi', storageClass: props.storageClass('database') });
    new Server(this, 'db', {
      app: APP,
      name: 'wordpress-db',
      image: 'mariadb:11.4.3',
      // One database pod on a ReadWriteOnce claim.
      replicas: 1,
      ports: [{ name: 'mysql', port: 3306 }],
      env: [
        envValue('MARIADB_DATABASE', 'wordpress'),
        envValue('MARIADB_USER', 'wordpress'),
        envSecret('MARIADB_PASSWORD', credentials.secretName, 'password'),
        envSecret('MARIADB_ROOT_PASSWORD', credentials.secretName, 'root-password'),
      ],
      mounts: [{ claim: db.claimName, mountPath: '/var/lib/mysql' }],
      requests: { cpu: '100m', memory: '256Mi' },
    });

    // The identity the site believes it has: the config a twin gets with its own host.
    new k8s.KubeConfigMap(this, 'identity', {
      metadata: { name: 'wordpress-identity', labels: appLabels(APP, 'wordpress-identity') },
      data: { WP_HOME: url, WP_SITEURL: url },
    });
    const html = new Claim(this, 'html-volume', { app: APP, name: 'wordpress-html', size: '100Gi', storageClass: props.storageClass('files') });
    new Server(this, 'web', {
      app: APP,
      name: 'wordpress',
      image: 'wordpress:6.6.2-apache',
      // The document root is a ReadWriteOnce claim: one pod at a time.
      replicas: Math.min(1, props.replicas),
      ports: [{ name: 'http', port: 80 }],
      env: [
        envValue('WORDPRESS_DB_HOST', props.serviceHost(APP, 'wordpress-db')),
        envValue('WORDPRESS_DB_NAME', 'wordpress'),
        envValue('WORDPRESS_DB_USER', 'wordpress'),
        envSecret('WORDPRESS_DB_PASSWORD', credentials.secretName, 'password'),
        envValue('WP_REDIS_HOST', props.serviceHost('redis', 'redis')),
        envValue(
          'WORDPRESS_CONFIG_EXTRA',
          [
            "define('WP_HOME', getenv('WP_HOME'));",
            "define('WP_SITEURL', getenv('WP_SITEURL'));",
            "define('WP_REDIS_HOST', getenv('WP_REDIS_HOST'));",
          ].join('\n'),
        ),
      ],
      envFromConfigMaps: ['wordpress-identity'],
      mounts: [{ claim: html.claimName, mountPath: '/var/www/html' }],
      requests: { cpu: '100m', memory: '256Mi' },
    });
  }
}
