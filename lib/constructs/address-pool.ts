/**
 * A pool of load balancer addresses, for the provider that assigns them: a Calico IPPool
 * restricted to LoadBalancer use and assigned only on request, or a MetalLB IPAddressPool (not
 * auto-assigned) with the L2Advertisement that announces it.
 */
import { Construct } from 'constructs';
import { IpPool, IpPoolSpecAllowedUses, IpPoolSpecAssignmentMode } from '../../imports/crd.projectcalico.org';
import { IpAddressPool, L2Advertisement } from '../../imports/metallb.io';
import type { Edge } from '../config/environment';
import { LABEL } from '../variant/rules';

/** Where MetalLB runs and reads its pools from. */
export const METALLB_NAMESPACE = 'metallb-system';

export interface AddressPoolProps {
  readonly name: string;
  readonly cidr: string;
  readonly provider: Edge['provider'];
}

export class AddressPool extends Construct {
  public constructor(scope: Construct, id: string, props: AddressPoolProps) {
    super(scope, id);
    const labels = { [LABEL.managedBy]: 'twinops' };
    if (props.provider === 'calico') {
      new IpPool(this, 'Resource', {
        metadata: { name: props.name, labels },
        spec: {
          cidr: props.cidr,
          allowedUses: [IpPoolSpecAllowedUses.LOAD_BALANCER],
          // Only Services that name the pool get its addresses.
          assignmentMode: IpPoolSpecAssignmentMode.MANUAL,
          natOutgoing: false,
          disabled: false,
        },
      });
      return;
    }
    new IpAddressPool(this, 'Resource', {
      metadata: { name: props.name, namespace: METALLB_NAMESPACE, labels },
      spec: { addresses: [props.cidr], autoAssign: false },
    });
    new L2Advertisement(this, 'Advertisement', {
      metadata: { name: props.name, namespace: METALLB_NAMESPACE, labels },
      spec: { ipAddressPools: [props.name] },
    });
  }
}
