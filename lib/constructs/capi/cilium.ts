/**
 * Cilium on the cluster, installed by the Cluster API Add-on Provider for Helm (CAAPH v0.6.4,
 * `addons.cluster.x-k8s.io/v1alpha1`, study §B.7): a HelmChartProxy in the cluster's namespace
 * that selects Clusters labelled `cni: cilium` there. The CNI has to come before any workload,
 * so Flux on the management cluster cannot deliver it (seed 003).
 */
import type { Construct } from 'constructs';
import { HelmChartProxy } from '../../../imports/addons.cluster.x-k8s.io';
import { capiMetadata } from './metadata';
import type { ResolvedCapiCluster } from './props';

/** The label a Cluster carries to get Cilium, and the selector of the HelmChartProxy. */
export const CILIUM_CLUSTER_LABEL: Readonly<Record<string, string>> = { cni: 'cilium' };

/** Cilium's chart repository (Cilium docs, seed 003). */
const CILIUM_REPO = 'https://helm.cilium.io/';

/**
 * Cilium allocates pod addresses from each node's `podCIDR`, which kubeadm and RKE2 carve from
 * the Cluster's pod CIDR; kube-proxy stays (its replacement needs a per-cluster API address).
 * A Go template for CAAPH with no `{{ }}` in it; never `${`, which Flux substitution would eat.
 */
const CILIUM_VALUES = 'ipam:\n  mode: kubernetes\n';

export function ciliumChartProxy(scope: Construct, cluster: ResolvedCapiCluster, version: string): void {
  new HelmChartProxy(scope, 'Cilium', {
    metadata: capiMetadata(cluster, 'cilium'),
    spec: {
      chartName: 'cilium',
      clusterSelector: { matchLabels: { ...CILIUM_CLUSTER_LABEL } },
      namespace: 'kube-system',
      options: { timeout: '5m', wait: true },
      // Fixed, so the CAAPH that takes over after `clusterctl move` adopts the release instead of installing a second one. [inferred]
      releaseName: 'cilium',
      repoUrl: CILIUM_REPO,
      valuesTemplate: CILIUM_VALUES,
      version,
    },
  });
}
