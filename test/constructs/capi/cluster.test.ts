import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CapiCluster, type CapiClusterProps } from '../../../lib/constructs/capi';
import type { ApiObjectJson } from '../../../lib/model';
import { objectNameProblems } from '../../../lib/render/policies/kubernetes-names';
import { validateObjects } from '../../../lib/render/validate';

const PROTECT = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' };
const MANAGED = { 'app.kubernetes.io/managed-by': 'twinops' };

/** The study's edge-1 (fleet.md §C.2): kubeadm on Docker with Cilium. */
const EDGE_1: CapiClusterProps = {
  name: 'edge-1',
  infrastructure: 'docker',
  controlPlane: 'kubeadm',
  kubernetes: 'v1.34.0',
  workers: 2,
  pods: '192.168.16.0/20',
  services: '10.129.0.0/16',
  ciliumVersion: '1.16.3',
};

/** The study's edge-2: RKE2 on OpenStack, three control-plane machines, credentials from the store. */
const EDGE_2: CapiClusterProps = {
  name: 'edge-2',
  region: 'RegionOne',
  infrastructure: 'openstack',
  controlPlane: 'rke2',
  kubernetes: 'v1.33.1+rke2r1',
  controlPlaneReplicas: 3,
  workers: 2,
  pods: '192.168.32.0/20',
  services: '10.130.0.0/16',
  ciliumVersion: '1.16.3',
  secretStore: { kind: 'ClusterSecretStore', name: 'vault', refreshInterval: '1h' },
  openstack: {
    cloud: 'openstack',
    credentials: 'capi/edge-2/openstack',
    externalNetwork: '00000000-0000-4000-8000-000000000001',
    image: 'ubuntu-24.04',
    sshKey: 'fleet',
    flavors: { controlPlane: 'm1.medium', workers: 'm1.large' },
    nodeCidr: '10.6.0.0/24',
    dnsNameservers: ['192.0.2.53'],
  },
};

function render(props: CapiClusterProps): ApiObjectJson[] {
  const chart = new Chart(new App(), 'capi', { disableResourceNameHashes: true });
  new CapiCluster(chart, props.name, props);
  return chart.toJson() as ApiObjectJson[];
}

const byKindName = (objects: readonly ApiObjectJson[]) => Object.fromEntries(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: extra['namespace'] ?? 'edge-1', labels: MANAGED, annotations: PROTECT, ...extra });

describe('CapiCluster: kubeadm on Docker', () => {
  const objects = render(EDGE_1);
  const o = byKindName(objects);

  it('renders exactly the cluster unit of the reference render, every object protected', () => {
    expect(Object.keys(o)).toEqual([
      'Namespace/edge-1',
      'DockerCluster/edge-1',
      'DockerMachineTemplate/edge-1-control-plane',
      'DockerMachineTemplate/edge-1-md-0',
      'KubeadmControlPlane/edge-1-control-plane',
      'KubeadmConfigTemplate/edge-1-md-0',
      'Cluster/edge-1',
      'MachineDeployment/edge-1-md-0',
      'HelmChartProxy/cilium',
    ]);
    expect(o['Namespace/edge-1']).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge-1', labels: MANAGED, annotations: PROTECT } });
    for (const object of objects) expect(object.metadata.annotations, `${object.kind}/${object.metadata.name}`).toEqual(PROTECT);
  });

  it('renders the Cluster at v1beta2 with the networks, v1beta2 refs and the Cilium label', () => {
    expect(o['Cluster/edge-1']).toEqual({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: meta('edge-1', { labels: { ...MANAGED, cni: 'cilium' } }),
      spec: {
        clusterNetwork: { pods: { cidrBlocks: ['192.168.16.0/20'] }, services: { cidrBlocks: ['10.129.0.0/16'] } },
        controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: 'edge-1-control-plane' },
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerCluster', name: 'edge-1' },
      },
    });
  });

  it('renders the Docker infrastructure with empty specs and no Docker socket by default', () => {
    expect(o['DockerCluster/edge-1']).toEqual({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', kind: 'DockerCluster', metadata: meta('edge-1'), spec: {} });
    for (const name of ['edge-1-control-plane', 'edge-1-md-0']) {
      expect(o[`DockerMachineTemplate/${name}`]).toEqual({
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        kind: 'DockerMachineTemplate',
        metadata: meta(name),
        spec: { template: { spec: {} } },
      });
    }
  });

  it('renders the kubeadm control plane and a worker bootstrap template without spec', () => {
    expect(o['KubeadmControlPlane/edge-1-control-plane']).toEqual({
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmControlPlane',
      metadata: meta('edge-1-control-plane'),
      spec: {
        kubeadmConfigSpec: { clusterConfiguration: { apiServer: { certSANs: ['localhost', '127.0.0.1', '0.0.0.0'] } } },
        machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachineTemplate', name: 'edge-1-control-plane' } } },
        replicas: 1,
        version: 'v1.34.0',
      },
    });
    expect(o['KubeadmConfigTemplate/edge-1-md-0']).toEqual({ apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2', kind: 'KubeadmConfigTemplate', metadata: meta('edge-1-md-0') });
  });

  it('renders MachineDeployment <c>-md-0 with an explicit selector and refs to the worker templates', () => {
    expect(o['MachineDeployment/edge-1-md-0']).toEqual({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: meta('edge-1-md-0'),
      spec: {
        clusterName: 'edge-1',
        replicas: 2,
        selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'edge-1' } },
        template: {
          metadata: { labels: { 'cluster.x-k8s.io/cluster-name': 'edge-1' } },
          spec: {
            bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 'edge-1-md-0' } },
            clusterName: 'edge-1',
            infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachineTemplate', name: 'edge-1-md-0' },
            version: 'v1.34.0',
          },
        },
      },
    });
  });

  it("renders Cilium's HelmChartProxy in the cluster's namespace, selecting the Cluster's label", () => {
    expect(o['HelmChartProxy/cilium']).toEqual({
      apiVersion: 'addons.cluster.x-k8s.io/v1alpha1',
      kind: 'HelmChartProxy',
      metadata: meta('cilium'),
      spec: {
        chartName: 'cilium',
        clusterSelector: { matchLabels: { cni: 'cilium' } },
        namespace: 'kube-system',
        options: { timeout: '5m', wait: true },
        releaseName: 'cilium',
        repoURL: 'https://helm.cilium.io/',
        valuesTemplate: 'ipam:\n  mode: kubernetes\n',
        version: '1.16.3',
      },
    });
  });
});

describe('CapiCluster: RKE2 on OpenStack', () => {
  const objects = render(EDGE_2);
  const o = byKindName(objects);
  const m = (name: string) => meta(name, { namespace: 'edge-2' });

  it('renders the RKE2/OpenStack objects and the credentials ExternalSecret, never a Secret', () => {
    expect(Object.keys(o)).toEqual([
      'Namespace/edge-2',
      'OpenStackCluster/edge-2',
      'OpenStackMachineTemplate/edge-2-control-plane',
      'OpenStackMachineTemplate/edge-2-md-0',
      'ExternalSecret/edge-2-cloud-config',
      'RKE2ControlPlane/edge-2-control-plane',
      'RKE2ConfigTemplate/edge-2-md-0',
      'Cluster/edge-2',
      'MachineDeployment/edge-2-md-0',
      'HelmChartProxy/cilium',
    ]);
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
    expect(o['ExternalSecret/edge-2-cloud-config']).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: m('edge-2-cloud-config'),
      spec: {
        data: [{ secretKey: 'clouds.yaml', remoteRef: { key: 'capi/edge-2/openstack', property: 'clouds.yaml' } }],
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
        target: { name: 'edge-2-cloud-config' },
      },
    });
  });

  it('points the Cluster at the RKE2 control plane and the OpenStackCluster', () => {
    const spec = o['Cluster/edge-2']?.['spec'];
    expect(spec).toEqual({
      clusterNetwork: { pods: { cidrBlocks: ['192.168.32.0/20'] }, services: { cidrBlocks: ['10.130.0.0/16'] } },
      controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'RKE2ControlPlane', name: 'edge-2-control-plane' },
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackCluster', name: 'edge-2' },
    });
    expect(o['Cluster/edge-2']?.metadata.labels).toEqual({ ...MANAGED, cni: 'cilium' });
  });

  it('renders the OpenStackCluster at v1beta1 with the credentials Secret, network, subnet and the Cilium and RKE2 ports', () => {
    const rule = (name: string, description: string, protocol: string, port: number) => ({
      description,
      direction: 'ingress',
      etherType: 'IPv4',
      name,
      portRangeMax: port,
      portRangeMin: port,
      protocol,
      remoteManagedGroups: ['controlplane', 'worker'],
    });
    expect(o['OpenStackCluster/edge-2']).toEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'OpenStackCluster',
      metadata: m('edge-2'),
      spec: {
        apiServerLoadBalancer: { enabled: true },
        externalNetwork: { id: '00000000-0000-4000-8000-000000000001' },
        identityRef: { cloudName: 'openstack', name: 'edge-2-cloud-config', region: 'RegionOne', type: 'Secret' },
        managedSecurityGroups: {
          allNodesSecurityGroupRules: [rule('cilium-vxlan', 'Cilium VXLAN overlay', 'udp', 8472), rule('cilium-health', 'Cilium health checks', 'tcp', 4240)],
          allowAllInClusterTraffic: false,
          controlPlaneNodesSecurityGroupRules: [rule('rke2-supervisor', 'RKE2 supervisor (node registration)', 'tcp', 9345)],
        },
        managedSubnets: [{ cidr: '10.6.0.0/24', dnsNameservers: ['192.0.2.53'] }],
      },
    });
  });

  it('renders one machine template per group with its flavor, the image and the key pair', () => {
    const template = (name: string, flavor: string) => ({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'OpenStackMachineTemplate',
      metadata: m(name),
      spec: { template: { spec: { flavor, image: { filter: { name: 'ubuntu-24.04' } }, sshKeyName: 'fleet' } } },
    });
    expect(o['OpenStackMachineTemplate/edge-2-control-plane']).toEqual(template('edge-2-control-plane', 'm1.medium'));
    expect(o['OpenStackMachineTemplate/edge-2-md-0']).toEqual(template('edge-2-md-0', 'm1.large'));
  });

  it("renders the RKE2 control plane with RKE2's CNI off (Cilium comes from CAAPH) and the same agent config for workers", () => {
    const agentConfig = { kubelet: { extraArgs: ['provider-id=openstack:///{{ ds.meta_data.uuid }}'] }, nodeName: '{{ ds.meta_data.local_hostname }}' };
    expect(o['RKE2ControlPlane/edge-2-control-plane']).toEqual({
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'RKE2ControlPlane',
      metadata: m('edge-2-control-plane'),
      spec: {
        agentConfig,
        machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'edge-2-control-plane' } } },
        registrationMethod: 'internal-first',
        replicas: 3,
        rolloutStrategy: { rollingUpdate: { maxSurge: 1 }, type: 'RollingUpdate' },
        serverConfig: { cni: 'none' },
        version: 'v1.33.1+rke2r1',
      },
    });
    expect(o['RKE2ConfigTemplate/edge-2-md-0']).toEqual({
      apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
      kind: 'RKE2ConfigTemplate',
      metadata: m('edge-2-md-0'),
      spec: { template: { spec: { agentConfig } } },
    });
  });

  it('points the workers at the RKE2 bootstrap template and the worker machine template', () => {
    const spec = o['MachineDeployment/edge-2-md-0']?.['spec'] as { replicas: number; template: { spec: unknown } };
    expect(spec.replicas).toBe(2);
    expect(spec.template.spec).toEqual({
      bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'RKE2ConfigTemplate', name: 'edge-2-md-0' } },
      clusterName: 'edge-2',
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'edge-2-md-0' },
      version: 'v1.33.1+rke2r1',
    });
  });
});

describe('CapiCluster reference renders', () => {
  it.each([EDGE_1, EDGE_2])('$name: every object passes strict schema validation and the names policy', (props) => {
    const objects = render(props);
    expect(validateObjects(objects.map((object) => ({ file: `${object.kind}/${object.metadata.name}`, object })))).toEqual([]);
    const unit = { path: `fleet/mgmt/capi/clusters/${props.name}`, objects };
    expect(objects.flatMap((object) => objectNameProblems(unit, object))).toEqual([]);
  });
});
