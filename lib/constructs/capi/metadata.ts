/** The metadata and object references every Cluster API object of one cluster shares. */
import type { ApiObjectMetadata } from 'cdk8s';
import { LABEL } from '../../variant/rules';
import type { ResolvedCapiCluster } from './props';
import { protectionAnnotations, type ProtectedRole } from './protection';

/** A v1beta2 contract reference: `{apiGroup, kind, name}`, all three required, nothing else allowed. */
export interface CapiObjectRef {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

export const GROUP = {
  cluster: 'cluster.x-k8s.io',
  bootstrap: 'bootstrap.cluster.x-k8s.io',
  controlPlane: 'controlplane.cluster.x-k8s.io',
  infrastructure: 'infrastructure.cluster.x-k8s.io',
} as const;

/** Name, the cluster's namespace, the managed-by label and the protection `cluster.protect` asks for. */
export function capiMetadata(
  cluster: ResolvedCapiCluster,
  name: string,
  options: { readonly role?: ProtectedRole; readonly labels?: Readonly<Record<string, string>> } = {},
): ApiObjectMetadata {
  const annotations = protectionAnnotations(cluster.protect, options.role ?? 'owned');
  return {
    name,
    namespace: cluster.namespace,
    labels: { [LABEL.managedBy]: 'twinops', ...options.labels },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

/** What an infrastructure provider renders that the Cluster, control plane and workers point at. */
export interface InfrastructureRefs {
  /** DockerCluster / OpenStackCluster, for `Cluster.spec.infrastructureRef`. */
  readonly cluster: CapiObjectRef;
  /** Machine template of the control plane. */
  readonly controlPlaneMachines: CapiObjectRef;
  /** Machine template of MachineDeployment `<c>-md-0`. */
  readonly workerMachines: CapiObjectRef;
}

/** What a control-plane provider renders that the Cluster and the workers point at. */
export interface ControlPlaneRefs {
  /** KubeadmControlPlane / RKE2ControlPlane, for `Cluster.spec.controlPlaneRef`. */
  readonly controlPlane: CapiObjectRef;
  /** KubeadmConfigTemplate / RKE2ConfigTemplate of the workers, for the MachineDeployment's `bootstrap.configRef`. */
  readonly workerBootstrap: CapiObjectRef;
}
