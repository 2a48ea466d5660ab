/**
 * RKE2 control plane and worker bootstrap template (CAPRKE2 v0.25.0) at v1beta2, after its
 * `examples/templates/openstack/cluster-template.yaml` with the v1beta2 field names (study §B.2,
 * §B.3, §D.6). CAPRKE2 passes the Cluster's pod and service CIDRs to RKE2 itself.
 */
import type { Construct } from 'constructs';
import { Rke2ConfigTemplateV1Beta2, type Rke2ConfigTemplateV1Beta2SpecTemplateSpec } from '../../../imports/bootstrap.cluster.x-k8s.io';
import {
  Rke2ControlPlaneV1Beta2,
  Rke2ControlPlaneV1Beta2SpecRegistrationMethod,
  Rke2ControlPlaneV1Beta2SpecRolloutStrategyRollingUpdateMaxSurge as MaxSurge,
  Rke2ControlPlaneV1Beta2SpecServerConfigCni,
} from '../../../imports/controlplane.cluster.x-k8s.io';
import { capiMetadata, GROUP, type ControlPlaneRefs, type InfrastructureRefs } from './metadata';
import type { CapiNames, ResolvedCapiCluster } from './props';

/** Node name and provider ID on OpenStack, filled in from the metadata service by cloud-init. */
const OPENSTACK_AGENT = {
  nodeName: '{{ ds.meta_data.local_hostname }}',
  kubelet: { extraArgs: ['provider-id=openstack:///{{ ds.meta_data.uuid }}'] },
};

export function rke2ControlPlane(scope: Construct, cluster: ResolvedCapiCluster, names: CapiNames, infrastructure: InfrastructureRefs): ControlPlaneRefs {
  const agentConfig = cluster.infrastructure === 'openstack' ? OPENSTACK_AGENT : undefined;
  new Rke2ControlPlaneV1Beta2(scope, 'RKE2ControlPlane', {
    metadata: capiMetadata(cluster, names.controlPlane),
    spec: {
      ...(agentConfig ? { agentConfig } : {}),
      machineTemplate: { spec: { infrastructureRef: { ...infrastructure.controlPlaneMachines } } },
      // Docker is refused with rke2 (props.ts), so this is OpenStack's method: nodes register on internal IPs first.
      registrationMethod: Rke2ControlPlaneV1Beta2SpecRegistrationMethod.INTERNAL_HYPHEN_FIRST,
      replicas: cluster.controlPlaneReplicas,
      rolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: MaxSurge.fromNumber(1) } },
      // RKE2 installs canal unless told otherwise; Cilium comes from CAAPH instead. With `cni: none`
      // RKE2 keeps its bundled default. [inferred]
      ...(cluster.cni === 'cilium' ? { serverConfig: { cni: Rke2ControlPlaneV1Beta2SpecServerConfigCni.NONE } } : {}),
      version: cluster.kubernetes,
    },
  });
  const workerSpec: Rke2ConfigTemplateV1Beta2SpecTemplateSpec = agentConfig ? { agentConfig } : {};
  new Rke2ConfigTemplateV1Beta2(scope, 'RKE2ConfigTemplate', {
    metadata: capiMetadata(cluster, names.workers),
    spec: { template: { spec: workerSpec } },
  });
  return {
    controlPlane: { apiGroup: GROUP.controlPlane, kind: 'RKE2ControlPlane', name: names.controlPlane },
    workerBootstrap: { apiGroup: GROUP.bootstrap, kind: 'RKE2ConfigTemplate', name: names.workers },
  };
}
