/**
 * No secret reaches `dist/` through a free-form field: storage class parameters are rendered in
 * plain text into Git, so a parameter whose key names a credential is refused with a pointer to
 * the secret store. References to Kubernetes Secrets, as CSI drivers take them
 * (`csi.storage.k8s.io/provisioner-secret-name`, `…-secret-namespace`), are names, not secrets.
 */
import type { Cluster } from './environment';
import type { ConfigPath } from './errors';
import { finding, quote, type CheckContext } from './semantic-context';

/** Words that name a credential, alone or as the start of a longer word (`passwords`, `tokenfile`). */
const SECRET_WORDS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'credential', 'apikey', 'privatekey'];
/** Word pairs that do: `api-key`, `api_key`, `apiKey`, `private-key`. */
const SECRET_PAIRS = [['api', 'key'], ['private', 'key']] as const;

/** `csi.storage.k8s.io/node-stage-secret-name` → `node`, `stage`, `secret`, `name`; `adminSecretName` → `admin`, `secret`, `name`. */
function words(key: string): string[] {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Whether a parameter key names a credential rather than a reference to a Secret object. */
export function looksLikeSecret(key: string): boolean {
  const parts = words(key);
  const last = parts.at(-1);
  // `…-secret-name`, `…SecretNamespace`: the name of a Secret the driver reads, not its content.
  if (parts.at(-2) === 'secret' && (last === 'name' || last === 'namespace')) return false;
  if (parts.some((word) => SECRET_WORDS.some((secret) => word.startsWith(secret)))) return true;
  return parts.some((word, i) => SECRET_PAIRS.some(([first, second]) => word === first && parts[i + 1] === second));
}

export function checkSecretParameters(context: CheckContext, cluster: Cluster, c: number): void {
  const store = context.env.secrets === undefined ? 'a secret store (a top-level `secrets:`)' : `the secret store named in \`secrets:\` (${quote(context.env.secrets.name)})`;
  const check = (parameters: Readonly<Record<string, string>> | undefined, at: ConfigPath) => {
    for (const key of Object.keys(parameters ?? {})) {
      if (!looksLikeSecret(key)) continue;
      const lead = `parameter ${quote(key)} looks like a secret, and parameters are rendered in plain text into Git: put it in ${store} and reference it; twinops never renders a secret`;
      const expected = 'a parameter that is not a credential, or a reference to a Kubernetes Secret such as csi.storage.k8s.io/provisioner-secret-name';
      context.report([...at, key], finding(expected, quote(key), lead), { target: 'key' });
    }
  };
  cluster.storageClasses.forEach((sc, k) => {
    const at: ConfigPath = ['clusters', c, 'storageClasses', k];
    check(sc.parameters, [...at, 'parameters']);
    check(sc.dr?.parameters, [...at, 'dr', 'parameters']);
  });
}
