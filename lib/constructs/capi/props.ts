/**
 * What one Cluster API cluster is made of, as the environment's `capi` block states it
 * (study fleet.md §C.1), and the checks a construct can make on its own: combinations and
 * formats. The loader checks the same fields with file:line:column; these errors are the last
 * line of defence for a caller that builds props by hand.
 */
import type { SecretStoreRef } from '../../app/definition';

export type CapiInfrastructure = 'docker' | 'openstack';
export type CapiControlPlane = 'kubeadm' | 'rke2';
export type CapiCni = 'cilium' | 'none';

/** OpenStack specifics (CAPO); required with `infrastructure: openstack`, refused otherwise. */
export interface CapiOpenStackProps {
  /** Entry of `clouds.yaml` to use: `OpenStackCluster.spec.identityRef.cloudName`, e.g. `openstack`. */
  readonly cloud: string;
  /** Store key holding property `clouds.yaml` (and `cacert`), e.g. `capi/edge-2/openstack`. Never rendered in plaintext. */
  readonly credentials: string;
  /** Also read property `cacert` (CAPO's key for a private CA). Default: false. */
  readonly caCert?: boolean;
  /** UUID of the external network: `OpenStackCluster.spec.externalNetwork.id`. */
  readonly externalNetwork: string;
  /** Image name machines boot from: `image.filter.name`, e.g. `ubuntu-24.04`. */
  readonly image: string;
  /** Flavors of the control-plane and worker machines, e.g. `m1.medium`. */
  readonly flavors: { readonly controlPlane: string; readonly workers: string };
  /** Nova key pair installed on every machine. Default: none. */
  readonly sshKey?: string;
  /** IPv4 CIDR of the cluster's managed subnet: `managedSubnets[0].cidr`. */
  readonly nodeCidr: string;
  /** DNS servers of the managed subnet. Default: none (the subnet's DHCP default). */
  readonly dnsNameservers?: readonly string[];
}

export interface CapiClusterProps {
  /** Cluster name: the Cluster object and the prefix of its other objects, e.g. `edge-1`. */
  readonly name: string;
  /** Namespace of every object on the management cluster. Default: the cluster name (seed 003). */
  readonly namespace?: string;
  /** Infrastructure provider: CAPD (`docker`) or CAPO (`openstack`). */
  readonly infrastructure: CapiInfrastructure;
  /** Bootstrap and control-plane provider: kubeadm (CABPK + KCP) or CAPRKE2. */
  readonly controlPlane: CapiControlPlane;
  /** Kubernetes version: `v1.34.0` for kubeadm, `v1.33.1+rke2r1` for RKE2. */
  readonly kubernetes: string;
  /** Control-plane machines: 1, 3 or 5 (etcd quorum). Default: 1. */
  readonly controlPlaneReplicas?: number;
  /** Replicas of MachineDeployment `<name>-md-0`, 0 to 100. Default: 1. */
  readonly workers?: number;
  /** IPv4 CIDR of pods: `Cluster.spec.clusterNetwork.pods.cidrBlocks[0]`. */
  readonly pods: string;
  /** IPv4 CIDR of services: `Cluster.spec.clusterNetwork.services.cidrBlocks[0]`. */
  readonly services: string;
  /** CNI twinops installs: `cilium` through CAAPH, or `none` (the user's, or RKE2's bundled default). Default: `cilium`. */
  readonly cni?: CapiCni;
  /** Cilium chart version CAAPH installs, e.g. `1.16.3`. Required when `cni` is `cilium`. */
  readonly ciliumVersion?: string;
  /** Region the cluster runs in; for OpenStack also `identityRef.region`. Default: none. */
  readonly region?: string;
  /** Destroy protection: while true every object resists prune and deletion by Flux and Argo CD. Default: true. */
  readonly protect?: boolean;
  /** Store the OpenStack credentials are read from. Required with `infrastructure: openstack`. */
  readonly secretStore?: SecretStoreRef;
  /** OpenStack specifics. Required with `infrastructure: openstack`, refused otherwise. */
  readonly openstack?: CapiOpenStackProps;
  /**
   * Mount the host's Docker socket into the CAPD machines, so CAPD running inside this cluster
   * can create machines (a self-managed CAPD management cluster). Docker only. Default: false.
   */
  readonly dockerSocket?: boolean;
  /**
   * Version of the fluxcd-community `flux2` chart CAAPH installs on the cluster (source and helm
   * controllers only), for a workload cluster the management cluster delivers to. Default: none
   * (the management cluster runs its own bootstrapped Flux).
   */
  readonly fluxControllersVersion?: string;
}

/** Props with defaults applied and combinations checked. */
export interface ResolvedCapiCluster extends CapiClusterProps {
  readonly namespace: string;
  readonly controlPlaneReplicas: number;
  readonly workers: number;
  readonly cni: CapiCni;
  readonly protect: boolean;
}

/** The names of a cluster's objects, fixed by the upstream templates (`<c>-control-plane`, `<c>-md-0`). */
export interface CapiNames {
  readonly cluster: string;
  readonly controlPlane: string;
  readonly workers: string;
  /** The Secret CAPO reads (`identityRef.name`) and the ExternalSecret that writes it. */
  readonly cloudConfig: string;
}

export function capiNames(cluster: string): CapiNames {
  return { cluster, controlPlane: `${cluster}-control-plane`, workers: `${cluster}-md-0`, cloudConfig: `${cluster}-cloud-config` };
}

const KUBERNETES_VERSION: Record<CapiControlPlane, { readonly pattern: RegExp; readonly example: string }> = {
  kubeadm: { pattern: /^v1\.\d+\.\d+$/, example: 'v1.34.0' },
  // RKE2ControlPlane v1beta2's own pattern, anchored: `v1.xx.y+rke2rN`.
  rke2: { pattern: /^v1\.\d{2}\.\d+\+rke2r\d+$/, example: 'v1.33.1+rke2r1' },
};

const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

/** Applies the defaults and checks the props; throws one error listing every problem. */
export function resolveCapiCluster(props: CapiClusterProps): ResolvedCapiCluster {
  const resolved: ResolvedCapiCluster = {
    ...props,
    namespace: props.namespace ?? props.name,
    controlPlaneReplicas: props.controlPlaneReplicas ?? 1,
    workers: props.workers ?? 1,
    cni: props.cni ?? 'cilium',
    protect: props.protect ?? true,
  };
  const problems = capiProblems(resolved);
  if (problems.length > 0) {
    throw new Error(`CapiCluster ${JSON.stringify(props.name)}: ${problems.length === 1 ? problems[0] : `\n  - ${problems.join('\n  - ')}`}`);
  }
  return resolved;
}

function capiProblems(c: ResolvedCapiCluster): string[] {
  const problems: string[] = [];
  const given = (value: unknown) => JSON.stringify(value);
  const version = KUBERNETES_VERSION[c.controlPlane];
  if (!version.pattern.test(c.kubernetes)) {
    problems.push(`kubernetes: expected a ${c.controlPlane} version like ${version.example}; given ${given(c.kubernetes)}`);
  }
  if (![1, 3, 5].includes(c.controlPlaneReplicas)) {
    problems.push(`controlPlaneReplicas: expected 1, 3 or 5; given ${given(c.controlPlaneReplicas)}`);
  }
  if (!Number.isInteger(c.workers) || c.workers < 0 || c.workers > 100) {
    problems.push(`workers: expected an integer from 0 to 100; given ${given(c.workers)}`);
  }
  for (const field of ['pods', 'services'] as const) {
    if (!IPV4_CIDR.test(c[field])) problems.push(`${field}: expected an IPv4 CIDR like 192.0.2.0/24; given ${given(c[field])}`);
  }
  if (c.cni === 'cilium' && (c.ciliumVersion === undefined || c.ciliumVersion === '')) {
    problems.push('ciliumVersion: expected the Cilium chart version (cni is cilium); given nothing');
  }
  if (c.infrastructure === 'docker' && c.controlPlane === 'rke2') {
    // CAPRKE2 on CAPD needs a custom HAProxy ConfigMap that also balances port 9345 (study §B.3).
    problems.push('controlPlane: rke2 on docker is not supported (CAPD\'s load balancer would need a custom HAProxy config for port 9345); expected kubeadm with docker');
  }
  if (c.infrastructure === 'openstack') {
    if (c.openstack === undefined) problems.push('openstack: expected the OpenStack block (infrastructure is openstack); given nothing');
    else if (!IPV4_CIDR.test(c.openstack.nodeCidr)) problems.push(`openstack.nodeCidr: expected an IPv4 CIDR like 192.0.2.0/24; given ${given(c.openstack.nodeCidr)}`);
    if (c.secretStore === undefined) problems.push('secretStore: expected the store holding clouds.yaml (infrastructure is openstack); given nothing');
  } else if (c.openstack !== undefined) {
    problems.push(`openstack: only allowed with infrastructure openstack; given infrastructure ${given(c.infrastructure)}`);
  }
  if (c.dockerSocket === true && c.infrastructure !== 'docker') {
    problems.push(`dockerSocket: only allowed with infrastructure docker; given infrastructure ${given(c.infrastructure)}`);
  }
  return problems;
}
