/** A namespace of apps, protected from prune because it holds their volumes and secrets. */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { LABEL } from '../variant/rules';
import { PRUNE_PROTECTION } from './protect';

export interface NamespaceProps {
  /** Namespace name. */
  readonly name: string;
}

export class Namespace extends Construct {
  public constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: { [LABEL.managedBy]: 'twinops' },
        annotations: { ...PRUNE_PROTECTION },
      },
    });
  }
}
