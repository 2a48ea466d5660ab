/**
 * CAPO (OpenStack) infrastructure at v1beta1, after CAPO v0.14.7's `templates/cluster-template.yaml`
 * (study §B.3, reference render §D.6): the OpenStackCluster with its managed network and security
 * groups, one OpenStackMachineTemplate per machine group, and the ExternalSecret that writes the
 * `<c>-cloud-config` Secret CAPO reads, from the store, so `clouds.yaml` is never rendered.
 */
import type { Construct } from 'constructs';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind } from '../../../imports/external-secrets.io';
import {
  OpenStackCluster,
  OpenStackClusterSpecIdentityRefType,
  OpenStackClusterSpecManagedSecurityGroupsAllNodesSecurityGroupRulesDirection as AllNodesDirection,
  OpenStackClusterSpecManagedSecurityGroupsAllNodesSecurityGroupRulesEtherType as AllNodesEtherType,
  OpenStackClusterSpecManagedSecurityGroupsAllNodesSecurityGroupRulesRemoteManagedGroups as AllNodesGroup,
  OpenStackClusterSpecManagedSecurityGroupsControlPlaneNodesSecurityGroupRulesDirection as ControlPlaneDirection,
  OpenStackClusterSpecManagedSecurityGroupsControlPlaneNodesSecurityGroupRulesEtherType as ControlPlaneEtherType,
  OpenStackClusterSpecManagedSecurityGroupsControlPlaneNodesSecurityGroupRulesRemoteManagedGroups as ControlPlaneGroup,
  OpenStackMachineTemplate,
  type OpenStackClusterSpecManagedSecurityGroupsAllNodesSecurityGroupRules as AllNodesRule,
  type OpenStackClusterSpecManagedSecurityGroupsControlPlaneNodesSecurityGroupRules as ControlPlaneRule,
} from '../../../imports/infrastructure.cluster.x-k8s.io';
import { capiMetadata, GROUP, type CapiObjectRef, type InfrastructureRefs } from './metadata';
import type { CapiNames, CapiOpenStackProps, ResolvedCapiCluster } from './props';

/** Secret keys CAPO reads from the `identityRef` Secret. */
const CLOUDS_YAML = 'clouds.yaml';
const CA_CERT = 'cacert';

/** A rule between the cluster's own nodes, in words; CAPO's default rules do not open these ports. */
interface NodePort {
  readonly name: string;
  readonly description: string;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
}

/** Cilium's VXLAN overlay and health checks, the two ports seed 003 opens for Cilium. */
const CILIUM_PORTS: readonly NodePort[] = [
  { name: 'cilium-vxlan', description: 'Cilium VXLAN overlay', protocol: 'udp', port: 8472 },
  { name: 'cilium-health', description: 'Cilium health checks', protocol: 'tcp', port: 4240 },
];

/** RKE2's supervisor, where joining nodes register; on the control-plane nodes only. [inferred, §B.3] */
const RKE2_SUPERVISOR: NodePort = { name: 'rke2-supervisor', description: 'RKE2 supervisor (node registration)', protocol: 'tcp', port: 9345 };

const allNodesRule = (p: NodePort): AllNodesRule => ({
  name: p.name,
  description: p.description,
  direction: AllNodesDirection.INGRESS,
  etherType: AllNodesEtherType.I_PV4,
  protocol: p.protocol,
  portRangeMin: p.port,
  portRangeMax: p.port,
  remoteManagedGroups: [AllNodesGroup.CONTROLPLANE, AllNodesGroup.WORKER],
});

const controlPlaneRule = (p: NodePort): ControlPlaneRule => ({
  name: p.name,
  description: p.description,
  direction: ControlPlaneDirection.INGRESS,
  etherType: ControlPlaneEtherType.I_PV4,
  protocol: p.protocol,
  portRangeMin: p.port,
  portRangeMax: p.port,
  remoteManagedGroups: [ControlPlaneGroup.CONTROLPLANE, ControlPlaneGroup.WORKER],
});

export function openstackInfrastructure(scope: Construct, cluster: ResolvedCapiCluster, names: CapiNames): InfrastructureRefs {
  const openstack = requireOpenStack(cluster);
  const allNodesRules = cluster.cni === 'cilium' ? CILIUM_PORTS.map(allNodesRule) : [];
  const controlPlaneRules = cluster.controlPlane === 'rke2' ? [controlPlaneRule(RKE2_SUPERVISOR)] : [];
  new OpenStackCluster(scope, 'OpenStackCluster', {
    metadata: capiMetadata(cluster, names.cluster),
    spec: {
      // Always a load balancer, so the control plane can grow from 1 to 3 machines later.
      apiServerLoadBalancer: { enabled: true },
      externalNetwork: { id: openstack.externalNetwork },
      identityRef: {
        cloudName: openstack.cloud,
        name: names.cloudConfig,
        ...(cluster.region !== undefined ? { region: cluster.region } : {}),
        // Defaulted by the API server, but required by the schema strict validation uses.
        type: OpenStackClusterSpecIdentityRefType.SECRET,
      },
      managedSecurityGroups: {
        allowAllInClusterTraffic: false,
        ...(allNodesRules.length > 0 ? { allNodesSecurityGroupRules: allNodesRules } : {}),
        ...(controlPlaneRules.length > 0 ? { controlPlaneNodesSecurityGroupRules: controlPlaneRules } : {}),
      },
      managedSubnets: [{ cidr: openstack.nodeCidr, ...(openstack.dnsNameservers ? { dnsNameservers: [...openstack.dnsNameservers] } : {}) }],
    },
  });
  const template = (id: string, name: string, flavor: string): CapiObjectRef => {
    new OpenStackMachineTemplate(scope, id, {
      metadata: capiMetadata(cluster, name),
      spec: {
        template: {
          spec: { flavor, image: { filter: { name: openstack.image } }, ...(openstack.sshKey !== undefined ? { sshKeyName: openstack.sshKey } : {}) },
        },
      },
    });
    return { apiGroup: GROUP.infrastructure, kind: 'OpenStackMachineTemplate', name };
  };
  const refs: InfrastructureRefs = {
    cluster: { apiGroup: GROUP.infrastructure, kind: 'OpenStackCluster', name: names.cluster },
    controlPlaneMachines: template('ControlPlaneMachineTemplate', names.controlPlane, openstack.flavors.controlPlane),
    workerMachines: template('WorkerMachineTemplate', names.workers, openstack.flavors.workers),
  };
  cloudConfig(scope, cluster, names, openstack);
  return refs;
}

/** ExternalSecret `<c>-cloud-config`: the Secret CAPO's `identityRef` names, filled from the store. */
function cloudConfig(scope: Construct, cluster: ResolvedCapiCluster, names: CapiNames, openstack: CapiOpenStackProps): void {
  const store = cluster.secretStore;
  if (store === undefined) throw new Error(`CapiCluster ${JSON.stringify(cluster.name)}: secretStore: expected the store holding clouds.yaml; given nothing`);
  const keys = openstack.caCert === true ? [CLOUDS_YAML, CA_CERT] : [CLOUDS_YAML];
  new ExternalSecret(scope, 'CloudConfig', {
    metadata: capiMetadata(cluster, names.cloudConfig),
    spec: {
      data: keys.map((key) => ({ secretKey: key, remoteRef: { key: openstack.credentials, property: key } })),
      refreshInterval: store.refreshInterval,
      secretStoreRef: {
        kind: store.kind === 'SecretStore' ? ExternalSecretSpecSecretStoreRefKind.SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
        name: store.name,
      },
      target: { name: names.cloudConfig },
    },
  });
}

function requireOpenStack(cluster: ResolvedCapiCluster): CapiOpenStackProps {
  if (cluster.openstack === undefined) throw new Error(`CapiCluster ${JSON.stringify(cluster.name)}: openstack: expected the OpenStack block; given nothing`);
  return cluster.openstack;
}
