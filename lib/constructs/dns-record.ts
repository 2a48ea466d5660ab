/**
 * A DNS record as a Service of type ExternalName: external-dns publishes `hostname` with the
 * target address. twinops renders one per app and variant; activation repoints prod's.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { externalDnsAnnotations } from './external-dns';

export interface DnsRecordProps {
  readonly name: string;
  readonly namespace: string;
  /** The host name of the record. */
  readonly hostname: string;
  /** The address it points at. */
  readonly target: string;
  /** TTL in seconds when published; absent: the record is rendered without external-dns annotations. */
  readonly ttl?: number;
  readonly labels?: Readonly<Record<string, string>>;
}

export class DnsRecord extends Construct {
  public constructor(scope: Construct, id: string, props: DnsRecordProps) {
    super(scope, id);
    new k8s.KubeService(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(props.ttl !== undefined ? { annotations: externalDnsAnnotations({ hostname: props.hostname, ttl: props.ttl }) } : {}),
      },
      spec: { type: 'ExternalName', externalName: props.target },
    });
  }
}
