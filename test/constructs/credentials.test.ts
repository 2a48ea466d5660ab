import { describe, expect, it } from 'vitest';
import { Credentials } from '../../lib/constructs/credentials';
import { lab } from '../support/environments';
import { appChart, objects } from '../support/scope';

describe('Credentials', () => {
  it('renders an ExternalSecret, never a Secret', () => {
    const chart = appChart('prod');
    new Credentials(chart, 'c', { name: 'wordpress-db-credentials', remoteKey: 'wordpress/db', keys: ['password', 'root-password'] });
    expect(objects(chart)).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "external-secrets.io/v1",
          "kind": "ExternalSecret",
          "metadata": {
            "labels": {
              "app.kubernetes.io/instance": "wordpress-db-credentials",
              "app.kubernetes.io/managed-by": "twinops",
              "app.kubernetes.io/name": "wordpress-db-credentials",
              "app.kubernetes.io/part-of": "wordpress",
              "twinops.dev/variant": "prod",
            },
            "name": "wordpress-db-credentials",
            "namespace": "wordpress",
          },
          "spec": {
            "data": [
              {
                "remoteRef": {
                  "key": "wordpress/db",
                  "property": "password",
                },
                "secretKey": "password",
              },
              {
                "remoteRef": {
                  "key": "wordpress/db",
                  "property": "root-password",
                },
                "secretKey": "root-password",
              },
            ],
            "refreshInterval": "1h",
            "secretStoreRef": {
              "kind": "ClusterSecretStore",
              "name": "vault",
            },
            "target": {
              "name": "wordpress-db-credentials",
            },
          },
        },
      ]
    `);
  });

  it('lets a twin in the prod namespace share prod credentials', () => {
    const chart = appChart('dr');
    const credentials = new Credentials(chart, 'c', { name: 'wordpress-db-credentials', remoteKey: 'wordpress/db', keys: ['password'] });
    expect(credentials.secretName).toBe('wordpress-db-credentials');
    expect(objects(chart)).toEqual([]);
  });

  it('renders its own for a twin in a namespace of its own', () => {
    const chart = appChart('dr', 'wordpress', lab({ dr: { namespace: 'suffixed' } }));
    new Credentials(chart, 'c', { name: 'wordpress-db-credentials', remoteKey: 'wordpress/db', keys: ['password'] });
    expect(objects(chart).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ExternalSecret wordpress-dr/wordpress-db-credentials',
    ]);
  });
});
