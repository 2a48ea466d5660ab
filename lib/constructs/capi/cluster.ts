/**
 * The Cluster API objects of one cluster, as they live on the management cluster in the
 * cluster's namespace (study fleet.md §B.1–§B.4, §B.7, §B.12, reference renders §D.6): Namespace,
 * Cluster, infrastructure cluster, control plane, machine templates, MachineDeployment `<c>-md-0`,
 * worker bootstrap template, the OpenStack credentials ExternalSecret, and Cilium's
 * HelmChartProxy. Explicit objects, not a ClusterClass: topology is an Alpha gate in CAPI v1.14
 * and its CAPD templates have no CRDs here (§B.4).
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { ClusterV1Beta2, MachineDeploymentV1Beta2 } from '../../../imports/cluster.x-k8s.io';
import { LABEL } from '../../variant/rules';
import { CILIUM_CLUSTER_LABEL, ciliumChartProxy } from './cilium';
import { FLUX_CONTROLLERS_LABEL, fluxControllersChartProxy } from './flux-controllers';
import { dockerInfrastructure } from './docker';
import { kubeadmControlPlane } from './kubeadm';
import { capiMetadata, type ControlPlaneRefs, type InfrastructureRefs } from './metadata';
import { openstackInfrastructure } from './openstack';
import { capiNames, resolveCapiCluster, type CapiClusterProps, type CapiNames, type ResolvedCapiCluster } from './props';
import { DESTROY_PROTECTION } from './protection';
import { rke2ControlPlane } from './rke2';

/** The label CAPI puts on a cluster's machines; rendered on the MachineDeployment's selector so it is not defaulted server-side. */
const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

export class CapiCluster extends Construct {
  /** Names of the cluster's objects (`<c>-control-plane`, `<c>-md-0`, `<c>-cloud-config`). */
  public readonly names: CapiNames;
  /** Namespace of every object on the management cluster. */
  public readonly namespace: string;
  /** Name of the Secret CAPI writes with the cluster's kubeconfig (key `value`), for remote delivery. */
  public readonly kubeconfigSecret: string;

  public constructor(scope: Construct, id: string, props: CapiClusterProps) {
    super(scope, id);
    const cluster = resolveCapiCluster(props);
    this.names = capiNames(cluster.name);
    this.namespace = cluster.namespace;
    this.kubeconfigSecret = `${cluster.name}-kubeconfig`;

    new k8s.KubeNamespace(this, 'Namespace', {
      // Holds the kubeconfig and credentials Secrets teardown needs: always protected (protection.ts).
      metadata: { name: cluster.namespace, labels: { [LABEL.managedBy]: 'twinops' }, annotations: { ...DESTROY_PROTECTION } },
    });
    const infrastructure = (cluster.infrastructure === 'docker' ? dockerInfrastructure : openstackInfrastructure)(this, cluster, this.names);
    const controlPlane = (cluster.controlPlane === 'kubeadm' ? kubeadmControlPlane : rke2ControlPlane)(this, cluster, this.names, infrastructure);
    this.renderCluster(cluster, infrastructure, controlPlane);
    this.renderWorkers(cluster, infrastructure, controlPlane);
    if (cluster.cni === 'cilium') ciliumChartProxy(this, cluster, cluster.ciliumVersion ?? '');
    if (cluster.fluxControllersVersion !== undefined) fluxControllersChartProxy(this, cluster, cluster.fluxControllersVersion);
  }

  private renderCluster(cluster: ResolvedCapiCluster, infrastructure: InfrastructureRefs, controlPlane: ControlPlaneRefs): void {
    new ClusterV1Beta2(this, 'Cluster', {
      metadata: capiMetadata(cluster, cluster.name, {
        role: 'cluster',
        labels: { ...(cluster.cni === 'cilium' ? CILIUM_CLUSTER_LABEL : {}), ...(cluster.fluxControllersVersion !== undefined ? FLUX_CONTROLLERS_LABEL : {}) },
      }),
      spec: {
        clusterNetwork: { pods: { cidrBlocks: [cluster.pods] }, services: { cidrBlocks: [cluster.services] } },
        controlPlaneRef: { ...controlPlane.controlPlane },
        infrastructureRef: { ...infrastructure.cluster },
      },
    });
  }

  private renderWorkers(cluster: ResolvedCapiCluster, infrastructure: InfrastructureRefs, controlPlane: ControlPlaneRefs): void {
    const machineLabels = { [CLUSTER_NAME_LABEL]: cluster.name };
    new MachineDeploymentV1Beta2(this, 'MachineDeployment', {
      metadata: capiMetadata(cluster, this.names.workers),
      spec: {
        clusterName: cluster.name,
        replicas: cluster.workers,
        selector: { matchLabels: machineLabels },
        template: {
          metadata: { labels: machineLabels },
          spec: {
            bootstrap: { configRef: { ...controlPlane.workerBootstrap } },
            clusterName: cluster.name,
            infrastructureRef: { ...infrastructure.workerMachines },
            version: cluster.kubernetes,
          },
        },
      },
    });
  }
}
