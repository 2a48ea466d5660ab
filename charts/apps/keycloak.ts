/** Keycloak with its PostgreSQL; its identity is the public URL it issues tokens for. */
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { AppProps } from '../../lib/app/definition';
import { Credentials } from '../../lib/constructs/credentials';
import { appLabels } from './parts/labels';
import { postgres } from './parts/postgres';
import { envSecret, envValue, Server } from './parts/server';

const APP = 'keycloak';

export class Keycloak extends Chart {
  public constructor(scope: Construct, id: string, props: AppProps) {
    super(scope, id, props);
    const credentials = (name: string, remoteKey: string) =>
      new Credentials(this, name, { name, store: props.secretStore, remoteKey, keys: ['password'], labels: appLabels(APP, name) });
    const db = credentials('keycloak-db-credentials', 'keycloak/db');
    const admin = credentials('keycloak-admin', 'keycloak/admin');
    postgres(this, { app: APP, name: 'keycloak-db', database: 'keycloak', size: '5Gi', storageClass: props.storageClass('database'), secret: db.secretName });

    new k8s.KubeConfigMap(this, 'identity', {
      metadata: { name: 'keycloak-identity', labels: appLabels(APP, 'keycloak-identity') },
      data: { KC_HOSTNAME: `https://${props.host}` },
    });
    new Server(this, 'keycloak', {
      app: APP,
      name: 'keycloak',
      image: 'quay.io/keycloak/keycloak:26.0.5',
      replicas: props.replicas,
      args: ['start'],
      ports: [{ name: 'http', port: 8080 }],
      env: [
        envValue('KC_DB', 'postgres'),
        envValue('KC_DB_URL_HOST', props.serviceHost(APP, 'keycloak-db')),
        envValue('KC_DB_URL_DATABASE', 'keycloak'),
        envValue('KC_DB_USERNAME', 'keycloak'),
        envSecret('KC_DB_PASSWORD', db.secretName, 'password'),
        envValue('KC_BOOTSTRAP_ADMIN_USERNAME', 'admin'),
        envSecret('KC_BOOTSTRAP_ADMIN_PASSWORD', admin.secretName, 'password'),
        // TLS ends at Traefik; Keycloak trusts its forwarded headers.
        envValue('KC_HTTP_ENABLED', 'true'),
        envValue('KC_PROXY_HEADERS', 'xforwarded'),
      ],
      envFromConfigMaps: ['keycloak-identity'],
      requests: { cpu: '250m', memory: '512Mi' },
    });
  }
}
