import { describe, expect, it } from 'vitest';
import type { ProviderVersions } from '../lib/constructs/capi-providers';
import type { ClusterProviderNeeds } from '../lib/plan-fleet';
import {
  CLUSTER_AVAILABLE,
  clusterUnit,
  deliveryUnit,
  neededProviders,
  providerNeeds,
  providerUnits,
  remoteDelivery,
} from '../lib/plan-fleet';

const VERSIONS: ProviderVersions = { version: 'v1.14.0', openstack: 'v0.14.7', rke2: 'v0.25.0', helm: 'v0.6.4', certManager: 'v1.21.1' };

const dockerKubeadm: ClusterProviderNeeds = { infrastructure: 'docker', controlPlane: 'kubeadm', cni: 'cilium' };
const openstackRke2: ClusterProviderNeeds = { infrastructure: 'openstack', controlPlane: 'rke2', cni: 'cilium' };

/** `name ← dependsOn` per unit, in the order returned: the install order at a glance. */
function order(needs: ClusterProviderNeeds[]): string[] {
  return providerUnits(providerNeeds(needs), VERSIONS).map((unit) => `${unit.fluxName} ← ${unit.dependsOn.join(', ')}`);
}

describe('provider units', () => {
  it('installs the fleet example in stages, each waiting on every unit of the stage before', () => {
    expect(order([dockerKubeadm, dockerKubeadm, openstackRke2])).toEqual([
      'capi-cert-manager ← ',
      'capi-core ← capi-cert-manager',
      'capi-bootstrap-kubeadm ← capi-core',
      'capi-bootstrap-rke2 ← capi-core',
      'capi-control-plane-kubeadm ← capi-bootstrap-kubeadm, capi-bootstrap-rke2',
      'capi-control-plane-rke2 ← capi-bootstrap-kubeadm, capi-bootstrap-rke2',
      'capi-infrastructure-docker ← capi-control-plane-kubeadm, capi-control-plane-rke2',
      'capi-infrastructure-openstack ← capi-control-plane-kubeadm, capi-control-plane-rke2',
      'capi-addon-helm ← capi-infrastructure-docker, capi-infrastructure-openstack',
    ]);
  });

  it('installs only what a docker/kubeadm cluster needs (the kind bootstrap entry)', () => {
    expect(order([dockerKubeadm])).toEqual([
      'capi-cert-manager ← ',
      'capi-core ← capi-cert-manager',
      'capi-bootstrap-kubeadm ← capi-core',
      'capi-control-plane-kubeadm ← capi-bootstrap-kubeadm',
      'capi-infrastructure-docker ← capi-control-plane-kubeadm',
      'capi-addon-helm ← capi-infrastructure-docker',
    ]);
  });

  it('leaves out the Helm add-on provider when no cluster uses Cilium', () => {
    expect(order([{ ...openstackRke2, cni: 'none' }])).toEqual([
      'capi-cert-manager ← ',
      'capi-core ← capi-cert-manager',
      'capi-bootstrap-rke2 ← capi-core',
      'capi-control-plane-rke2 ← capi-bootstrap-rke2',
      'capi-infrastructure-openstack ← capi-control-plane-rke2',
    ]);
  });

  it('pairs a kubeadm control plane with an OpenStack infrastructure', () => {
    expect(order([{ infrastructure: 'openstack', controlPlane: 'kubeadm', cni: 'cilium' }])).toEqual([
      'capi-cert-manager ← ',
      'capi-core ← capi-cert-manager',
      'capi-bootstrap-kubeadm ← capi-core',
      'capi-control-plane-kubeadm ← capi-bootstrap-kubeadm',
      'capi-infrastructure-openstack ← capi-control-plane-kubeadm',
      'capi-addon-helm ← capi-infrastructure-openstack',
    ]);
  });

  it('installs nothing when no cluster is a Cluster API cluster', () => {
    expect(providerUnits(providerNeeds([]), VERSIONS)).toEqual([]);
  });

  it('puts each provider in its own folder under capi/providers with a provisioning timeout', () => {
    const units = providerUnits(providerNeeds([dockerKubeadm]), VERSIONS);
    expect(units.map((unit) => unit.folder)).toEqual([
      'capi/providers/cert-manager',
      'capi/providers/core',
      'capi/providers/bootstrap-kubeadm',
      'capi/providers/control-plane-kubeadm',
      'capi/providers/infrastructure-docker',
      'capi/providers/addon-helm',
    ]);
    expect(new Set(units.map((unit) => unit.timeout))).toEqual(new Set(['10m']));
  });
});

describe('provider sources', () => {
  const fleet = providerUnits(providerNeeds([dockerKubeadm, openstackRke2]), VERSIONS);
  const source = (provider: string) => fleet.find((unit) => unit.provider === provider)?.source;

  it('pins cert-manager to the chart version of the capi block', () => {
    expect(source('cert-manager')).toEqual({
      kind: 'helm',
      repository: 'jetstack',
      url: 'https://charts.jetstack.io',
      chart: 'cert-manager',
      version: 'v1.21.1',
      namespace: 'cert-manager',
    });
  });

  it('checks out the Cluster API repository once, in core, at the capi version, with the config trees needed', () => {
    expect(source('core')).toEqual({
      kind: 'git',
      repository: 'cluster-api',
      url: 'https://github.com/kubernetes-sigs/cluster-api',
      tag: 'v1.14.0',
      sparseCheckout: ['bootstrap/kubeadm/config', 'controlplane/kubeadm/config', 'core/config', 'test/infrastructure/docker/config'],
      ownsRepository: true,
      path: './core/config/default',
      image: {
        name: 'gcr.io/k8s-staging-cluster-api/cluster-api-controller',
        newName: 'registry.k8s.io/cluster-api/cluster-api-controller',
        newTag: 'v1.14.0',
      },
    });
    for (const provider of ['bootstrap-kubeadm', 'control-plane-kubeadm', 'infrastructure-docker']) {
      expect(source(provider)).toMatchObject({ repository: 'cluster-api', tag: 'v1.14.0', ownsRepository: false });
    }
  });

  it('checks out only the core tree when no other provider of that repository is needed', () => {
    const units = providerUnits(providerNeeds([{ ...openstackRke2, cni: 'none' }]), VERSIONS);
    expect(units.find((unit) => unit.provider === 'core')?.source).toMatchObject({ sparseCheckout: ['core/config'] });
  });

  it('pins RKE2, OpenStack and the Helm add-on provider to their own tags and release images', () => {
    expect(source('bootstrap-rke2')).toMatchObject({
      repository: 'cluster-api-provider-rke2',
      url: 'https://github.com/rancher/cluster-api-provider-rke2',
      tag: 'v0.25.0',
      ownsRepository: true,
      sparseCheckout: ['bootstrap/config', 'controlplane/config'],
      path: './bootstrap/config/default',
      image: { name: 'ghcr.io/rancher/cluster-api-provider-rke2-bootstrap', newTag: 'v0.25.0' },
    });
    expect(source('control-plane-rke2')).toMatchObject({ ownsRepository: false, path: './controlplane/config/default' });
    expect(source('infrastructure-openstack')).toMatchObject({
      url: 'https://github.com/kubernetes-sigs/cluster-api-provider-openstack',
      tag: 'v0.14.7',
      ownsRepository: true,
      path: './config/default',
      image: { newName: 'registry.k8s.io/capi-openstack/capi-openstack-controller', newTag: 'v0.14.7' },
    });
    expect(source('addon-helm')).toMatchObject({
      url: 'https://github.com/kubernetes-sigs/cluster-api-addon-provider-helm',
      tag: 'v0.6.4',
      image: { newName: 'registry.k8s.io/cluster-api-helm/cluster-api-helm-controller', newTag: 'v0.6.4' },
    });
  });

  it('keeps the folders of the whole environment when planning the smaller bootstrap entry', () => {
    const environment = neededProviders(providerNeeds([dockerKubeadm, openstackRke2]));
    const bootstrap = providerUnits(providerNeeds([dockerKubeadm]), VERSIONS, environment);
    expect(bootstrap.find((unit) => unit.provider === 'core')?.source).toEqual(source('core'));
    expect(bootstrap.find((unit) => unit.provider === 'addon-helm')?.dependsOn).toEqual(['capi-infrastructure-docker']);
  });
});

describe('cluster and delivery units', () => {
  it('gates a cluster on the Available condition of its v1beta2 Cluster, after its own providers', () => {
    expect(clusterUnit({ name: 'edge-1', capi: dockerKubeadm })).toEqual({
      fluxName: 'cluster-edge-1',
      folder: 'capi/clusters/edge-1',
      dependsOn: ['capi-bootstrap-kubeadm', 'capi-control-plane-kubeadm', 'capi-infrastructure-docker', 'capi-addon-helm'],
      timeout: '30m',
      healthCheckExprs: [
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'Cluster',
          current: "status.conditions.exists(e, e.type == 'Available' && e.status == 'True')",
        },
      ],
    });
    expect(clusterUnit({ name: 'edge-2', capi: { ...openstackRke2, cni: 'none' } }).dependsOn).toEqual([
      'capi-bootstrap-rke2',
      'capi-control-plane-rke2',
      'capi-infrastructure-openstack',
    ]);
  });

  it('never uses a health check that holds on an empty condition list', () => {
    expect(CLUSTER_AVAILABLE.current).toContain('exists(');
    expect(CLUSTER_AVAILABLE.current).not.toContain('Ready');
  });

  it('delivers a workload cluster entry once its cluster unit is ready', () => {
    expect(deliveryUnit({ name: 'edge-1' }, 'fleet/clusters/edge-1')).toEqual({
      fluxName: 'delivery-edge-1',
      path: 'fleet/clusters/edge-1',
      dependsOn: ['cluster-edge-1'],
      timeout: '30m',
    });
  });

  it('reaches a workload cluster through the kubeconfig Secret Cluster API writes, key value', () => {
    expect(remoteDelivery({ name: 'edge-1', namespace: 'edge-1-capi' }, 'flux-system', ['infrastructure-storage'])).toEqual({
      namespace: 'edge-1-capi',
      kubeConfig: { secretRef: { name: 'edge-1-kubeconfig', key: 'value' } },
      dependsOn: [{ name: 'cluster-edge-1', namespace: 'flux-system' }, 'infrastructure-storage'],
    });
  });
});
