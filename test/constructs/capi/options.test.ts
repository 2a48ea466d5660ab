import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CapiCluster, type CapiClusterProps, type CapiOpenStackProps } from '../../../lib/constructs/capi';
import type { ApiObjectJson } from '../../../lib/model';
import { unitFileName } from '../../../lib/render/layout';
import { objectNameProblems } from '../../../lib/render/policies/kubernetes-names';
import { formatProblem, validateObjects } from '../../../lib/render/validate';

const PROTECT = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' };

const DOCKER: CapiClusterProps = {
  name: 'lab',
  infrastructure: 'docker',
  controlPlane: 'kubeadm',
  kubernetes: 'v1.34.0',
  pods: '192.168.0.0/20',
  services: '10.128.0.0/16',
  ciliumVersion: '1.16.3',
};

const OPENSTACK: CapiOpenStackProps = {
  cloud: 'openstack',
  credentials: 'capi/os/openstack',
  externalNetwork: '00000000-0000-4000-8000-000000000001',
  image: 'ubuntu-24.04',
  flavors: { controlPlane: 'm1.medium', workers: 'm1.large' },
  nodeCidr: '10.6.0.0/24',
};

const OPENSTACK_CLUSTER: CapiClusterProps = {
  name: 'os',
  infrastructure: 'openstack',
  controlPlane: 'kubeadm',
  kubernetes: 'v1.34.0',
  pods: '192.168.32.0/20',
  services: '10.130.0.0/16',
  ciliumVersion: '1.16.3',
  secretStore: { kind: 'SecretStore', name: 'local', refreshInterval: '30m' },
  openstack: OPENSTACK,
};

function render(props: CapiClusterProps): ApiObjectJson[] {
  const chart = new Chart(new App(), 'capi', { disableResourceNameHashes: true });
  new CapiCluster(chart, props.name, props);
  return chart.toJson() as ApiObjectJson[];
}

const find = (objects: readonly ApiObjectJson[], kind: string, name: string) => {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (object === undefined) throw new Error(`no ${kind}/${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return object;
};

describe('CapiCluster destroy protection', () => {
  it('with protect off frees only the Cluster, so teardown goes through CAPI and the rest stays protected', () => {
    const objects = render({ ...OPENSTACK_CLUSTER, protect: false });
    expect(find(objects, 'Cluster', 'os').metadata.annotations).toBeUndefined();
    const others = objects.filter((o) => o.kind !== 'Cluster');
    expect(others.map((o) => o.kind)).toEqual([
      'Namespace',
      'OpenStackCluster',
      'OpenStackMachineTemplate',
      'OpenStackMachineTemplate',
      'ExternalSecret',
      'KubeadmControlPlane',
      'KubeadmConfigTemplate',
      'MachineDeployment',
      'HelmChartProxy',
    ]);
    for (const object of others) expect(object.metadata.annotations, `${object.kind}/${object.metadata.name}`).toEqual(PROTECT);
  });

  it('protects the Cluster by default', () => {
    expect(find(render(DOCKER), 'Cluster', 'lab').metadata.annotations).toEqual(PROTECT);
  });
});

describe('CapiCluster options', () => {
  it('renders kubeadm on OpenStack with the provider ID on every node and no Docker SANs', () => {
    const objects = render(OPENSTACK_CLUSTER);
    const providerId = { kubeletExtraArgs: [{ name: 'provider-id', value: "openstack:///'{{ instance_id }}'" }] };
    expect((find(objects, 'KubeadmControlPlane', 'os-control-plane')['spec'] as { kubeadmConfigSpec: unknown }).kubeadmConfigSpec).toEqual({
      initConfiguration: { nodeRegistration: providerId },
      joinConfiguration: { nodeRegistration: providerId },
    });
    expect(find(objects, 'KubeadmConfigTemplate', 'os-md-0')['spec']).toEqual({ template: { spec: { joinConfiguration: { nodeRegistration: providerId } } } });
    // No RKE2 supervisor port without RKE2; no region when none is given.
    const spec = find(objects, 'OpenStackCluster', 'os')['spec'] as { managedSecurityGroups: Record<string, unknown>; identityRef: unknown; managedSubnets: unknown };
    expect(Object.keys(spec.managedSecurityGroups)).toEqual(['allNodesSecurityGroupRules', 'allowAllInClusterTraffic']);
    expect(spec.identityRef).toEqual({ cloudName: 'openstack', name: 'os-cloud-config', type: 'Secret' });
    expect(spec.managedSubnets).toEqual([{ cidr: '10.6.0.0/24' }]);
    expect((find(objects, 'OpenStackMachineTemplate', 'os-md-0')['spec'] as { template: unknown }).template).toEqual({
      spec: { flavor: 'm1.large', image: { filter: { name: 'ubuntu-24.04' } } },
    });
  });

  it('reads the CA certificate too when caCert is set, from a namespaced SecretStore', () => {
    const spec = find(render({ ...OPENSTACK_CLUSTER, openstack: { ...OPENSTACK, caCert: true } }), 'ExternalSecret', 'os-cloud-config')['spec'];
    expect(spec).toEqual({
      data: [
        { secretKey: 'clouds.yaml', remoteRef: { key: 'capi/os/openstack', property: 'clouds.yaml' } },
        { secretKey: 'cacert', remoteRef: { key: 'capi/os/openstack', property: 'cacert' } },
      ],
      refreshInterval: '30m',
      secretStoreRef: { kind: 'SecretStore', name: 'local' },
      target: { name: 'os-cloud-config' },
    });
  });

  it('with cni none renders no HelmChartProxy, no cni label, no Cilium ports and leaves RKE2 its default CNI', () => {
    const objects = render({ ...OPENSTACK_CLUSTER, controlPlane: 'rke2', kubernetes: 'v1.33.1+rke2r1', cni: 'none', ciliumVersion: undefined });
    expect(objects.filter((o) => o.kind === 'HelmChartProxy')).toEqual([]);
    expect(find(objects, 'Cluster', 'os').metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'twinops' });
    const groups = (find(objects, 'OpenStackCluster', 'os')['spec'] as { managedSecurityGroups: Record<string, unknown> }).managedSecurityGroups;
    expect(Object.keys(groups)).toEqual(['allowAllInClusterTraffic', 'controlPlaneNodesSecurityGroupRules']);
    expect(find(objects, 'RKE2ControlPlane', 'os-control-plane')['spec']).not.toHaveProperty('serverConfig');
  });

  it('mounts the Docker socket into both machine templates of a self-managed CAPD cluster', () => {
    const objects = render({ ...DOCKER, dockerSocket: true });
    for (const name of ['lab-control-plane', 'lab-md-0']) {
      expect(find(objects, 'DockerMachineTemplate', name)['spec']).toEqual({
        template: { spec: { extraMounts: [{ containerPath: '/var/run/docker.sock', hostPath: '/var/run/docker.sock' }] } },
      });
    }
  });

  it('puts every object in the namespace given, and names the Namespace after it', () => {
    const objects = render({ ...DOCKER, namespace: 'capi-lab' });
    expect(objects[0]?.metadata.name).toBe('capi-lab');
    expect(new Set(objects.slice(1).map((o) => o.metadata.namespace))).toEqual(new Set(['capi-lab']));
  });

  it('applies the defaults: one control-plane machine, one worker', () => {
    const objects = render(DOCKER);
    expect((find(objects, 'KubeadmControlPlane', 'lab-control-plane')['spec'] as { replicas: number }).replicas).toBe(1);
    expect((find(objects, 'MachineDeployment', 'lab-md-0')['spec'] as { replicas: number }).replicas).toBe(1);
  });

  it('exposes the names delivery needs', () => {
    const chart = new Chart(new App(), 'capi');
    const cluster = new CapiCluster(chart, 'c', { ...DOCKER, namespace: 'capi-lab' });
    expect(cluster.namespace).toBe('capi-lab');
    expect(cluster.kubeconfigSecret).toBe('lab-kubeconfig');
    expect(cluster.names).toEqual({ cluster: 'lab', controlPlane: 'lab-control-plane', workers: 'lab-md-0', cloudConfig: 'lab-cloud-config' });
  });
});

describe('CapiCluster validity', () => {
  const variants: Record<string, CapiClusterProps> = {
    'docker/kubeadm': DOCKER,
    'docker/kubeadm, self-managed, unprotected': { ...DOCKER, dockerSocket: true, protect: false },
    'openstack/kubeadm with CA': { ...OPENSTACK_CLUSTER, openstack: { ...OPENSTACK, caCert: true, sshKey: 'fleet', dnsNameservers: ['192.0.2.53'] } },
    'openstack/rke2, region, 3 control-plane machines': { ...OPENSTACK_CLUSTER, controlPlane: 'rke2', kubernetes: 'v1.33.1+rke2r1', controlPlaneReplicas: 3, region: 'RegionOne' },
    'openstack/rke2 without CNI': { ...OPENSTACK_CLUSTER, controlPlane: 'rke2', kubernetes: 'v1.33.1+rke2r1', cni: 'none' },
  };

  it.each(Object.entries(variants))('%s: every object passes strict schema validation and the names policy', (_, props) => {
    const objects = render(props);
    const unit = { path: 'fleet/mgmt/capi/clusters/x', objects };
    expect(validateObjects(objects.map((object) => ({ file: unitFileName(object), object }))).map(formatProblem)).toEqual([]);
    expect(objects.flatMap((object) => objectNameProblems(unit, object))).toEqual([]);
  });
});

describe('CapiCluster refusals', () => {
  const refuse = (props: CapiClusterProps) => () => render(props);

  it('refuses RKE2 on Docker, naming what is missing', () => {
    expect(refuse({ ...DOCKER, controlPlane: 'rke2', kubernetes: 'v1.33.1+rke2r1' })).toThrow(
      'CapiCluster "lab": controlPlane: rke2 on docker is not supported (CAPD\'s load balancer would need a custom HAProxy config for port 9345); expected kubeadm with docker',
    );
  });

  it('lists every problem at once, with expected and given', () => {
    expect(refuse({ ...DOCKER, kubernetes: 'v1.33.1+rke2r1', controlPlaneReplicas: 2, workers: -1, pods: '192.168.0.0', ciliumVersion: undefined, openstack: OPENSTACK })).toThrow(
      [
        'CapiCluster "lab": ',
        '  - kubernetes: expected a kubeadm version like v1.34.0; given "v1.33.1+rke2r1"',
        '  - controlPlaneReplicas: expected 1, 3 or 5; given 2',
        '  - workers: expected an integer from 0 to 100; given -1',
        '  - pods: expected an IPv4 CIDR like 192.0.2.0/24; given "192.168.0.0"',
        '  - ciliumVersion: expected the Cilium chart version (cni is cilium); given nothing',
        '  - openstack: only allowed with infrastructure openstack; given infrastructure "docker"',
      ].join('\n'),
    );
  });

  it('refuses OpenStack without its block or a store, and a Docker socket off Docker', () => {
    expect(refuse({ ...OPENSTACK_CLUSTER, openstack: undefined, secretStore: undefined, dockerSocket: true })).toThrow(
      [
        'CapiCluster "os": ',
        '  - openstack: expected the OpenStack block (infrastructure is openstack); given nothing',
        '  - secretStore: expected the store holding clouds.yaml (infrastructure is openstack); given nothing',
        '  - dockerSocket: only allowed with infrastructure docker; given infrastructure "openstack"',
      ].join('\n'),
    );
  });

  it('refuses a kubeadm version on RKE2', () => {
    expect(refuse({ ...OPENSTACK_CLUSTER, controlPlane: 'rke2' })).toThrow('CapiCluster "os": kubernetes: expected a rke2 version like v1.33.1+rke2r1; given "v1.34.0"');
  });
});
