import { describe, expect, it } from 'vitest';
import { isSecretKey, maskObject, maskPair, wordsOf } from '../../lib/diff/mask';
import type { ApiObjectJson } from '../../lib/model';

describe('isSecretKey', () => {
  it('splits camelCase, snake_case and kebab-case into words', () => {
    expect(wordsOf('dbPassword')).toEqual(['db', 'password']);
    expect(wordsOf('API_KEY')).toEqual(['api', 'key']);
    expect(wordsOf('client-secret')).toEqual(['client', 'secret']);
    expect(wordsOf('OIDCClientSecret')).toEqual(['oidc', 'client', 'secret']);
  });

  it('finds the secret words anywhere in a key', () => {
    for (const key of ['password', 'DB_PASSWORD', 'adminPassword', 'apiToken', 'client-secret', 'privateKey', 'AWS_CREDENTIALS', 'apikey']) {
      expect(isSecretKey(key), key).toBe(true);
    }
  });

  it('leaves alone keys without one, keys that name a secret, and a bare key that names something', () => {
    for (const key of ['host', 'keycloak', 'monkey', 'secretName', 'passwordSecretRef', 'tokenFile', 'secretStoreRef']) {
      expect(isSecretKey(key), key).toBe(false);
    }
    expect(isSecretKey('key', ['key', 'operator', 'effect'])).toBe(false);
    expect(isSecretKey('key', ['key', 'values'])).toBe(false);
    expect(isSecretKey('key', ['name', 'key'])).toBe(false);
    expect(isSecretKey('key', ['key', 'cert'])).toBe(true);
  });
});

describe('maskPair', () => {
  const secret = (password: string): ApiObjectJson => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'web' },
    data: { password: Buffer.from(password).toString('base64'), user: 'YWRtaW4=' },
    stringData: { 'config.ini': `password=${password}` },
  });

  it("masks all of a Secret's data and any stringData, and shows a changed value as changed", () => {
    const [before, after] = maskPair(secret('hunter2'), secret('hunter3'));
    expect(before).toEqual({ ...secret('x'), data: { password: '***', user: '***' }, stringData: { 'config.ini': '***' } });
    expect(after).toEqual({ ...secret('x'), data: { password: '*** (changed)', user: '***' }, stringData: { 'config.ini': '*** (changed)' } });
  });

  it('masks values under secret-like keys, and environment variables with secret-like names', () => {
    const deployment: ApiObjectJson = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'web', env: [{ name: 'API_TOKEN', value: 'tok-1' }, { name: 'HOST', value: 'web.example.org' }] }],
            tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' }],
          },
        },
        values: { admin: { password: 'hunter2', user: 'admin' }, credentials: { id: 'a', key: 'b' } },
      },
    };
    expect(maskObject(deployment)).toEqual({
      ...deployment,
      spec: {
        template: {
          spec: {
            containers: [{ name: 'web', env: [{ name: 'API_TOKEN', value: '***' }, { name: 'HOST', value: 'web.example.org' }] }],
            tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' }],
          },
        },
        values: { admin: { password: '***', user: 'admin' }, credentials: { id: '***', key: '***' } },
      },
    });
  });

  it("keeps an ExternalSecret's store references readable", () => {
    const external: ApiObjectJson = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: 'web' },
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
        data: [{ secretKey: 'password', remoteRef: { key: 'web/db', property: 'password' } }],
        dataFrom: [{ extract: { key: 'web/admin' } }],
      },
    };
    expect(maskObject(external)).toEqual(external);
  });
});
