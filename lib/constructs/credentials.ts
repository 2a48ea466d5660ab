/**
 * Credentials of an app. twinops never renders a plaintext Secret: an app asks for an
 * ExternalSecret that materialises the Secret from the environment's store (`props.secretStore`).
 * Variant-free: a twin in the prod namespace shares prod's ExternalSecret (a cloned database keeps
 * prod's passwords); the variant engine decides that, not this construct.
 */
import { Construct } from 'constructs';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind } from '../../imports/external-secrets.io';
import type { SecretStoreRef } from '../app/definition';

export interface CredentialsProps {
  /** Name of the ExternalSecret and of the Secret it creates. */
  readonly name: string;
  /** The store to read from: the app's `props.secretStore`. */
  readonly store: SecretStoreRef;
  /** Key in the store, e.g. `wordpress/db`. */
  readonly remoteKey: string;
  /** Secret keys, each read from the property of the same name at `remoteKey`. */
  readonly keys: readonly string[];
  /** Namespace of the ExternalSecret and its Secret. Default: the chart's. */
  readonly namespace?: string;
  /** Labels of the ExternalSecret. Default: none. */
  readonly labels?: Readonly<Record<string, string>>;
}

export class Credentials extends Construct {
  /** Name of the Secret pods reference. */
  public readonly secretName: string;

  public constructor(scope: Construct, id: string, props: CredentialsProps) {
    super(scope, id);
    this.secretName = props.name;
    new ExternalSecret(this, 'Resource', {
      metadata: { name: props.name, ...(props.namespace ? { namespace: props.namespace } : {}), ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: {
        refreshInterval: props.store.refreshInterval,
        secretStoreRef: {
          kind:
            props.store.kind === 'SecretStore'
              ? ExternalSecretSpecSecretStoreRefKind.SECRET_STORE
              : ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
          name: props.store.name,
        },
        target: { name: props.name },
        data: props.keys.map((key) => ({ secretKey: key, remoteRef: { key: props.remoteKey, property: key } })),
      },
    });
  }
}
