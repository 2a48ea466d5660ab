/** Nextcloud with its PostgreSQL; every host name lives in its identity config, not on disk. */
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { AppProps } from '../../lib/app/definition';
import { Credentials } from '../../lib/constructs/credentials';
import { Claim } from './parts/claim';
import { appLabels } from './parts/labels';
import { postgres } from './parts/postgres';
import { envSecret, envValue, Server } from './parts/server';

const APP = 'nextcloud';

export class Nextcloud extends Chart {
  public constructor(scope: Construct, id: string, props: AppProps) {
    super(scope, id, props);
    const credentials = (name: string, remoteKey: string) =>
      new Credentials(this, name, { name, store: props.secretStore, remoteKey, keys: ['password'], labels: appLabels(APP, name) });
    const db = credentials('nextcloud-db-credentials', 'nextcloud/db');
    const admin = credentials('nextcloud-admin', 'nextcloud/admin');
    postgres(this, { app: APP, name: 'nextcloud-db', database: 'nextcloud', size: '10Gi', storageClass: props.storageClass('database'), secret: db.secretName });

    // Host names are config, not data: a clone of the data volume works under either identity.
    const host = props.host;
    new k8s.KubeConfigMap(this, 'identity', {
      metadata: { name: 'nextcloud-identity', labels: appLabels(APP, 'nextcloud-identity') },
      data: {
        NEXTCLOUD_TRUSTED_DOMAINS: host,
        OVERWRITEHOST: host,
        OVERWRITEPROTOCOL: 'https',
        OVERWRITECLIURL: `https://${host}`,
      },
    });
    const data = new Claim(this, 'data-volume', { app: APP, name: 'nextcloud-data', size: '200Gi', storageClass: props.storageClass('files') });
    new Server(this, 'web', {
      app: APP,
      name: 'nextcloud',
      image: 'nextcloud:30.0.2-apache',
      // The web root is a ReadWriteOnce claim: one pod at a time.
      replicas: Math.min(1, props.replicas),
      ports: [{ name: 'http', port: 80 }],
      env: [
        envValue('POSTGRES_HOST', props.serviceHost(APP, 'nextcloud-db')),
        envValue('POSTGRES_DB', 'nextcloud'),
        envValue('POSTGRES_USER', 'nextcloud'),
        envSecret('POSTGRES_PASSWORD', db.secretName, 'password'),
        envValue('NEXTCLOUD_ADMIN_USER', 'admin'),
        envSecret('NEXTCLOUD_ADMIN_PASSWORD', admin.secretName, 'password'),
      ],
      envFromConfigMaps: ['nextcloud-identity'],
      mounts: [{ claim: data.claimName, mountPath: '/var/www/html' }],
      requests: { cpu: '250m', memory: '512Mi' },
    });
  }
}
