/**
 * A persistent volume claim of an app, protected from prune. It asks for a storage role, not a
 * class: the environment maps the role to the cluster's class, and the twin gets its DR class.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { variantOf } from '../variant/scope';
import { PRUNE_PROTECTION } from './protect';

export interface VolumeProps {
  /** Prod name of the claim, e.g. `wordpress-db`; the twin's is derived. */
  readonly name: string;
  /** Requested size as a Kubernetes quantity, e.g. `10Gi`. */
  readonly size: string;
  /**
   * Storage role the claim needs, e.g. `database` or `files`: the environment's `storageRoles`
   * maps it to the cluster's class (default: the cluster's only class).
   */
  readonly role: string;
  /** Access mode. Default: ReadWriteOnce. */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadWriteMany' | 'ReadOnlyMany';
}

export class Volume extends Construct {
  /** Prod name of the claim: the same in both variants, so pods can name their volume by it. */
  public readonly baseName: string;
  /** Name of the claim in this variant, for pods to reference. */
  public readonly claimName: string;

  public constructor(scope: Construct, id: string, props: VolumeProps) {
    super(scope, id);
    const variant = variantOf(this);
    this.baseName = props.name;
    this.claimName = variant.name(props.name);
    new k8s.KubePersistentVolumeClaim(this, 'Resource', {
      metadata: {
        name: this.claimName,
        namespace: variant.namespace,
        labels: variant.labels(props.name),
        annotations: { ...PRUNE_PROTECTION },
      },
      spec: {
        accessModes: [props.accessMode ?? 'ReadWriteOnce'],
        storageClassName: variant.storageClass(props.role),
        resources: { requests: { storage: k8s.Quantity.fromString(props.size) } },
      },
    });
  }
}
