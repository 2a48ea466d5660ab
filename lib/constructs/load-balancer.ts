/**
 * A LoadBalancer Service in front of a Traefik instance, for one IP family: its address from a
 * named pool (Calico or MetalLB annotation) or one fixed address (`loadBalancerIP` plus
 * `externalIPs`, as on a VPS with a single public address), `externalTrafficPolicy: Local` so
 * Traefik sees client addresses, and optionally published by external-dns.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { AddressPlan, Edge } from '../config/environment';
import { externalDnsAnnotations, type PublicDns } from './external-dns';

export interface LoadBalancerProps {
  readonly name: string;
  readonly namespace: string;
  readonly family: 'IPv4' | 'IPv6';
  /** The Traefik instance it selects (its pods carry `app: <instance>`). */
  readonly instance: string;
  /** Where its address comes from. */
  readonly plan: AddressPlan;
  /** What assigns pool addresses. */
  readonly provider: Edge['provider'];
  /** external-dns publication. Default: none. */
  readonly publish?: PublicDns;
  readonly labels?: Readonly<Record<string, string>>;
}

/** Traefik's entry points, by the chart's container port names. */
export const ENTRY_POINTS = [
  { name: 'web', port: 80 },
  { name: 'websecure', port: 443 },
] as const;

function addressAnnotations(props: LoadBalancerProps): Record<string, string> {
  const { plan, provider, family } = props;
  if (provider === 'metallb') {
    if (plan.address) return { 'metallb.io/loadBalancerIPs': plan.address };
    return plan.pool ? { 'metallb.io/address-pool': plan.pool } : {};
  }
  if (plan.address || !plan.pool) return {};
  return { [`projectcalico.org/${family.toLowerCase()}pools`]: JSON.stringify([plan.pool]) };
}

export class LoadBalancer extends Construct {
  public constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const annotations = { ...addressAnnotations(props), ...(props.publish ? externalDnsAnnotations(props.publish) : {}) };
    // Calico's IPAM has no annotation for one fixed address; the Service fields carry it.
    const fixed = props.provider === 'calico' && props.plan.address !== undefined;
    new k8s.KubeService(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: [props.family],
        ...(fixed ? { loadBalancerIp: props.plan.address, externalIPs: [props.plan.address!] } : {}),
        ports: ENTRY_POINTS.map((entry) => ({
          name: entry.name,
          port: entry.port,
          protocol: 'TCP',
          targetPort: k8s.IntOrString.fromString(entry.name),
        })),
        selector: { app: props.instance },
      },
    });
  }
}
