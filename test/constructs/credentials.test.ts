import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Credentials } from '../../lib/constructs/credentials';
import type { ApiObjectJson } from '../../lib/model';

const chart = () => new Chart(new App(), 'app', { namespace: 'blog', disableResourceNameHashes: true });
const objects = (of: Chart) => of.toJson() as ApiObjectJson[];

describe('Credentials', () => {
  it('renders an ExternalSecret reading each key from the store, never a Secret', () => {
    const scope = chart();
    const credentials = new Credentials(scope, 'c', {
      name: 'blog-db',
      store: { kind: 'ClusterSecretStore', name: 'vault', refreshInterval: '30m' },
      remoteKey: 'blog/db',
      keys: ['password', 'root-password'],
      labels: { 'app.kubernetes.io/name': 'blog-db' },
    });
    expect(credentials.secretName).toBe('blog-db');
    expect(objects(scope)).toEqual([
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'blog-db', namespace: 'blog', labels: { 'app.kubernetes.io/name': 'blog-db' } },
        spec: {
          refreshInterval: '30m',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
          target: { name: 'blog-db' },
          data: [
            { secretKey: 'password', remoteRef: { key: 'blog/db', property: 'password' } },
            { secretKey: 'root-password', remoteRef: { key: 'blog/db', property: 'root-password' } },
          ],
        },
      },
    ]);
  });

  it('reads a namespaced SecretStore when the environment names one', () => {
    const scope = chart();
    new Credentials(scope, 'c', { name: 'x', store: { kind: 'SecretStore', name: 'local', refreshInterval: '1h' }, remoteKey: 'x', keys: ['k'] });
    const [secret] = objects(scope);
    expect((secret?.spec as { secretStoreRef: unknown }).secretStoreRef).toEqual({ kind: 'SecretStore', name: 'local' });
  });
});
