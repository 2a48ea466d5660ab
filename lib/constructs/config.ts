/** A ConfigMap of an app, such as the identity config that differs between prod and its twin. */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { variantOf } from '../variant/scope';

export interface ConfigProps {
  /** Prod name of the ConfigMap, e.g. `wordpress-identity`; the twin's is derived. */
  readonly name: string;
  /** Its data, already resolved for the variant by the chart's inputs. */
  readonly data: Readonly<Record<string, string>>;
}

export class Config extends Construct {
  /** Name of the ConfigMap in this variant, for pods to reference. */
  public readonly configMapName: string;

  public constructor(scope: Construct, id: string, props: ConfigProps) {
    super(scope, id);
    const variant = variantOf(this);
    this.configMapName = variant.name(props.name);
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: this.configMapName, namespace: variant.namespace, labels: variant.labels(props.name) },
      data: { ...props.data },
    });
  }
}
