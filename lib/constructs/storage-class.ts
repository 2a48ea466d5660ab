/** A StorageClass, optionally pinned to one node, protected from prune. */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { LABEL } from '../variant/rules';
import type { StorageClassPlan } from '../variant/storage';
import { PRUNE_PROTECTION } from './protect';

/** The label a node pin matches: the well-known hostname label. */
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export class StorageClass extends Construct {
  public constructor(scope: Construct, id: string, plan: StorageClassPlan) {
    super(scope, id);
    const hostname = plan.node ? (plan.node.labels[HOSTNAME_LABEL] ?? plan.node.name) : undefined;
    new k8s.KubeStorageClass(this, 'Resource', {
      metadata: {
        name: plan.name,
        labels: { [LABEL.managedBy]: 'twinops', [LABEL.variant]: plan.variant },
        annotations: { ...PRUNE_PROTECTION },
      },
      provisioner: plan.provisioner,
      parameters: Object.keys(plan.parameters).length > 0 ? { ...plan.parameters } : undefined,
      reclaimPolicy: plan.reclaimPolicy,
      volumeBindingMode: plan.volumeBindingMode,
      allowVolumeExpansion: plan.allowVolumeExpansion,
      allowedTopologies: hostname
        ? [{ matchLabelExpressions: [{ key: HOSTNAME_LABEL, values: [hostname] }] }]
        : undefined,
    });
  }
}
