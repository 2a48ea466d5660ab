/**
 * kubeadm control plane (KCP) and worker bootstrap template (CABPK) at v1beta2, after CAPI's
 * v1.12.0 e2e bases on Docker and CAPO v0.14.7's template on OpenStack (study §B.2, §B.3, §D.6).
 * v1beta2 rejects empty objects (`minProperties: 1`), so nothing empty is rendered: on Docker the
 * worker template has no `spec` at all, as CAPI's own `md.yaml` renders it.
 */
import type { Construct } from 'constructs';
import { KubeadmConfigTemplateV1Beta2 } from '../../../imports/bootstrap.cluster.x-k8s.io';
import { KubeadmControlPlaneV1Beta2, type KubeadmControlPlaneV1Beta2SpecKubeadmConfigSpec } from '../../../imports/controlplane.cluster.x-k8s.io';
import { capiMetadata, GROUP, type ControlPlaneRefs, type InfrastructureRefs } from './metadata';
import type { CapiNames, ResolvedCapiCluster } from './props';

/** Names the API server certificate must carry on CAPD, where it is reached through the host (seed 004). */
const DOCKER_CERT_SANS = ['localhost', '127.0.0.1', '0.0.0.0'];

/**
 * The kubelet's provider ID on OpenStack, filled in by cloud-init (CAPO's template). CAPO's
 * `cloud-provider: external` is left out: it taints nodes until an OpenStack cloud-controller-manager
 * runs, which twinops does not install. [inferred, §B.3]
 */
const OPENSTACK_KUBELET_ARGS = [{ name: 'provider-id', value: "openstack:///'{{ instance_id }}'" }];

export function kubeadmControlPlane(scope: Construct, cluster: ResolvedCapiCluster, names: CapiNames, infrastructure: InfrastructureRefs): ControlPlaneRefs {
  new KubeadmControlPlaneV1Beta2(scope, 'KubeadmControlPlane', {
    metadata: capiMetadata(cluster, names.controlPlane),
    spec: {
      kubeadmConfigSpec: controlPlaneConfig(cluster),
      machineTemplate: { spec: { infrastructureRef: { ...infrastructure.controlPlaneMachines } } },
      replicas: cluster.controlPlaneReplicas,
      version: cluster.kubernetes,
    },
  });
  new KubeadmConfigTemplateV1Beta2(scope, 'KubeadmConfigTemplate', {
    metadata: capiMetadata(cluster, names.workers),
    ...(cluster.infrastructure === 'openstack'
      ? { spec: { template: { spec: { joinConfiguration: { nodeRegistration: { kubeletExtraArgs: OPENSTACK_KUBELET_ARGS } } } } } }
      : {}),
  });
  return {
    controlPlane: { apiGroup: GROUP.controlPlane, kind: 'KubeadmControlPlane', name: names.controlPlane },
    workerBootstrap: { apiGroup: GROUP.bootstrap, kind: 'KubeadmConfigTemplate', name: names.workers },
  };
}

function controlPlaneConfig(cluster: ResolvedCapiCluster): KubeadmControlPlaneV1Beta2SpecKubeadmConfigSpec {
  if (cluster.infrastructure === 'docker') return { clusterConfiguration: { apiServer: { certSaNs: DOCKER_CERT_SANS } } };
  const nodeRegistration = { kubeletExtraArgs: OPENSTACK_KUBELET_ARGS };
  return { initConfiguration: { nodeRegistration }, joinConfiguration: { nodeRegistration } };
}
