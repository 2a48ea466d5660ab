/**
 * Credentials of an app. twinops never renders a plaintext Secret: it renders an
 * ExternalSecret that materialises the Secret from the environment's store. A twin in the prod
 * namespace shares prod's Secret (a cloned database keeps prod's passwords), so only the variant
 * that owns shared objects renders it.
 */
import { Construct } from 'constructs';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind } from '../../imports/external-secrets.io';
import { appScopeOf } from '../variant/scope';

export interface CredentialsProps {
  /** Name of the Secret the ExternalSecret creates; the same for both variants. */
  readonly name: string;
  /** Key in the store, e.g. `wordpress/db`. */
  readonly remoteKey: string;
  /** Secret keys, each read from the property of the same name at `remoteKey`. */
  readonly keys: readonly string[];
}

export class Credentials extends Construct {
  /** Name of the Secret pods reference. */
  public readonly secretName: string;

  public constructor(scope: Construct, id: string, props: CredentialsProps) {
    super(scope, id);
    const appScope = appScopeOf(this);
    const { variant, secretStore } = appScope;
    this.secretName = props.name;
    if (!variant.ownsSharedObjects) return;
    if (secretStore === undefined) {
      throw new Error(`${variant.app} needs credentials but the environment declares no \`secrets\` store`);
    }
    new ExternalSecret(this, 'Resource', {
      metadata: { name: props.name, namespace: variant.namespace, labels: variant.labels(props.name) },
      spec: {
        refreshInterval: secretStore.refreshInterval,
        secretStoreRef: {
          kind:
            secretStore.kind === 'SecretStore'
              ? ExternalSecretSpecSecretStoreRefKind.SECRET_STORE
              : ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
          name: secretStore.name,
        },
        target: { name: props.name },
        data: props.keys.map((key) => ({ secretKey: key, remoteRef: { key: props.remoteKey, property: key } })),
      },
    });
  }
}
