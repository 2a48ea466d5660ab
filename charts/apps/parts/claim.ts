/** A ReadWriteOnce claim of a shipped app, on the class the environment maps its storage role to. */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { appLabels } from './labels';

export interface ClaimProps {
  /** The app it belongs to. */
  readonly app: string;
  /** Claim name, e.g. `wordpress-db`. */
  readonly name: string;
  /** Requested size, e.g. `10Gi`. */
  readonly size: string;
  /** Storage class: the app's `props.storageClass(role)`. */
  readonly storageClass: string;
}

export class Claim extends Construct {
  public readonly claimName: string;

  public constructor(scope: Construct, id: string, props: ClaimProps) {
    super(scope, id);
    this.claimName = props.name;
    new k8s.KubePersistentVolumeClaim(this, 'Resource', {
      metadata: { name: props.name, labels: appLabels(props.app, props.name) },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(props.size) } },
      },
    });
  }
}
