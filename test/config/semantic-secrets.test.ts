import { describe, expect, it } from 'vitest';
import { looksLikeSecret } from '../../lib/config/semantic-secrets';
import { lab, load } from './lab';
import { problems } from './support';

const LOOKS =
  'looks like a secret, and parameters are rendered in plain text into Git: put it in the secret store named in `secrets:` ("vault") and reference it; twinops never renders a secret; expected a parameter that is not a credential, or a reference to a Kubernetes Secret such as csi.storage.k8s.io/provisioner-secret-name';

describe('secrets in parameters', () => {
  it('knows credentials from references to Secrets', () => {
    const secret = ['password', 'passwd', 'adminPassword', 'secret', 'secretKey', 'token', 'apikey', 'api-key', 'api_key', 'apiKey', 'private-key', 'privateKey', 'credentials', 'credential', 'passphrase', 'example.org/auth-token'];
    const fine = ['poolname', 'fstype', 'csi.storage.k8s.io/provisioner-secret-name', 'csi.storage.k8s.io/provisioner-secret-namespace', 'csi.storage.k8s.io/node-stage-secret-name', 'adminSecretName', 'keyring', 'description'];
    expect(secret.filter((key) => !looksLikeSecret(key))).toEqual([]);
    expect(fine.filter(looksLikeSecret)).toEqual([]);
  });

  it('refuses a secret-looking key in parameters and in DR parameters, pointing at the secret store', () => {
    const text = lab(['parameters: { poolname: tank/k8s }', 'parameters: { poolname: tank/k8s, password: hunter2 }'], ['dr: { parameters: { poolname: vault/k8s } }', 'dr: { parameters: { poolname: vault/k8s, api_key: x } }']);
    expect(problems(text)).toEqual([
      `environments/test.yaml:16:43 clusters[0].storageClasses[0].parameters.password: parameter "password" ${LOOKS}; given "password"`,
      `environments/test.yaml:17:50 clusters[0].storageClasses[0].dr.parameters.api_key: parameter "api_key" ${LOOKS}; given "api_key"`,
    ]);
  });

  it('says to declare a secret store when the environment has none', () => {
    const text = lab(['secrets: { name: vault }\n', ''], ['      - app: wordpress\n        host: www.example.org\n        dr: true\n', ''], ['parameters: { poolname: tank/k8s }', 'parameters: { token: x }']);
    expect(problems(text)).toEqual([
      'environments/test.yaml:15:23 clusters[0].storageClasses[0].parameters.token: parameter "token" looks like a secret, and parameters are rendered in plain text into Git: put it in a secret store (a top-level `secrets:`) and reference it; twinops never renders a secret; expected a parameter that is not a credential, or a reference to a Kubernetes Secret such as csi.storage.k8s.io/provisioner-secret-name; given "token"',
    ]);
  });

  it('accepts CSI references to Secrets and a free-text description', () => {
    const text = lab(
      ['secrets: { name: vault }\n', 'secrets: { name: vault }\ndescription: "password rotation: monthly"\n'],
      ['parameters: { poolname: tank/k8s }', 'parameters: { csi.storage.k8s.io/provisioner-secret-name: rbd, csi.storage.k8s.io/provisioner-secret-namespace: ceph }'],
    );
    expect(load(text).clusters[0]?.storageClasses[0]?.parameters).toEqual({
      'csi.storage.k8s.io/provisioner-secret-name': 'rbd',
      'csi.storage.k8s.io/provisioner-secret-namespace': 'ceph',
    });
  });
});
