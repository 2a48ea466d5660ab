import { describe, expect, it } from 'vitest';
import { twinClusterOf } from '../../lib/config/environment';
import { FLEET, REGIONS, edit } from './fleet-lab';
import { load } from './lab';
import { problems } from './support';

const ARGO = ['secrets: { name: vault }\n', 'secrets: { name: vault }\ngitops: { engine: argocd }\n'] as const;
const WORKERS = '      workers: 2\n      pods: 192.168.16';

describe('fleet defaults', () => {
  it('fills the engine, the provider versions and each Cluster API block', () => {
    const env = load(FLEET);
    expect([env.gitops.engine, env.gitops.namespace, env.gitops.revision, env.gitops.project, env.gitops.repoURL]).toEqual(['flux', 'flux-system', 'main', 'default', undefined]);
    expect(env.capi).toEqual({ version: 'v1.14.0', openstack: 'v0.14.7', rke2: 'v0.25.0', helm: 'v0.6.4', certManager: 'v1.21.1', flux: '2.15.0', cilium: '1.16.3' });
    const [mgmt, edge1, edge2] = env.clusters;
    expect(mgmt).toMatchObject({ role: 'management', protect: true, nodes: [] });
    expect(mgmt?.capi).toEqual({
      bootstrap: 'kind', pivoted: false, infrastructure: 'docker', controlPlane: 'kubeadm', kubernetes: 'v1.34.0',
      pods: '192.168.0.0/20', services: '10.128.0.0/16', controlPlaneReplicas: 1, workers: 1, cni: 'cilium', namespace: 'mgmt',
    });
    expect([edge1?.role, edge1?.dr, edge1?.capi?.namespace, edge1?.capi?.pivoted]).toEqual(['workload', { cluster: 'edge-2' }, 'edge-1', false]);
    expect(edge2?.region).toBe('RegionOne');
    expect(edge2?.capi?.openstack).toEqual({
      cloud: 'openstack', credentials: 'capi/edge-2/openstack', externalNetwork: '00000000-0000-4000-8000-000000000001', image: 'ubuntu-24.04',
      sshKey: 'fleet', flavors: { controlPlane: 'm1.medium', workers: 'm1.large' }, nodeCidr: '10.6.0.0/24', dnsNameservers: ['192.0.2.53'], caCert: false,
    });
  });

  it('puts the Argo CD objects in argocd unless told otherwise', () => {
    const argo = (gitops: string) => load(edit(FLEET, ['secrets: { name: vault }\n', `secrets: { name: vault }\ngitops: ${gitops}\n`])).gitops;
    expect(argo('{ engine: argocd, repoURL: "https://git.example.org/estate.git" }')).toMatchObject({ engine: 'argocd', namespace: 'argocd', repoURL: 'https://git.example.org/estate.git' });
    expect(argo('{ engine: argocd, repoURL: "ssh://git@git.example.org/estate.git", namespace: gitops, revision: v2, project: estate }'))
      .toMatchObject({ namespace: 'gitops', revision: 'v2', project: 'estate' });
  });

  it('finds each twin its cluster: the app’s own, the cluster’s, or the DR node’s', () => {
    const env = load(edit(REGIONS, ['        namespace: wordpress\n        dr: true', '        namespace: wordpress\n        dr: { cluster: uk }'], ['        dr: true\n      - app: redis', '        dr: { cluster: uk }\n      - app: redis']));
    const east = env.clusters[0];
    if (east === undefined) throw new Error('no east');
    expect(east.apps.map((app) => twinClusterOf(east, app))).toEqual(['uk', 'uk']);
    const west = env.clusters[1];
    const keycloak = west?.apps[0];
    if (west === undefined || keycloak === undefined) throw new Error('no keycloak on west');
    expect(twinClusterOf(west, keycloak)).toBe('uk');
    expect(twinClusterOf(west, { ...keycloak, dr: { enabled: false, identity: 'own' } })).toBeUndefined();
    expect(twinClusterOf({ ...west, dr: { node: 'west-1' } }, keycloak)).toBe('west');
    expect(twinClusterOf({ ...west, dr: { node: 'west-1' } }, { ...keycloak, dr: { ...keycloak.dr, cluster: 'east' } })).toBe('east');
  });

  it('lets an app name its DR cluster on a cluster without one', () => {
    const env = load(edit(REGIONS, ['    dr: { cluster: uk }\n', ''], ['dr: { identity: production }', 'dr: { identity: production, cluster: uk }']));
    expect([env.clusters[1]?.dr, env.clusters[1]?.apps[0]?.dr]).toEqual([undefined, { enabled: true, identity: 'production', cluster: 'uk' }]);
  });
});

describe('engine and management cluster', () => {
  it('asks Argo CD for the repository URL', () => {
    expect(problems(edit(FLEET, ARGO))).toEqual([
      'environments/test.yaml:2:19 gitops.repoURL: Argo CD reads the rendered units from Git and needs the repository URL; expected an https:// or ssh:// URL of this repository, e.g. https://git.example.org/platform/estate.git; given nothing',
    ]);
  });

  it('refuses a second management cluster, naming the first', () => {
    expect(problems(edit(FLEET, ['  - name: edge-1\n', '  - name: edge-1\n    role: management\n']))).toEqual([
      'environments/test.yaml:16:11 clusters[1].role: cluster "mgmt" is the management cluster already (line 6), and one management cluster runs the providers; expected workload; given "management"',
    ]);
  });

  it('asks for a management cluster wherever Cluster API creates one, and keeps bootstrap to it', () => {
    expect(problems(edit(FLEET, ['    role: management\n', '']))).toEqual([
      'environments/test.yaml:6:5 clusters[0].capi: cluster "mgmt" is created by Cluster API, which runs on a management cluster; expected a cluster with role: management; given none',
      'environments/test.yaml:7:7 clusters[0].capi.bootstrap: only the management cluster is created from a bootstrap cluster; "mgmt" is a workload cluster, created by the management cluster; expected no bootstrap (or role: management); given "kind"',
    ]);
  });

  it('refuses bootstrap and pivoted on a workload cluster', () => {
    expect(problems(edit(FLEET, [WORKERS, '      workers: 2\n      bootstrap: kind\n      pivoted: true\n      pods: 192.168.16']))).toEqual([
      'environments/test.yaml:21:7 clusters[1].capi.bootstrap: only the management cluster is created from a bootstrap cluster; "edge-1" is a workload cluster, created by the management cluster; expected no bootstrap (or role: management); given "kind"',
      'environments/test.yaml:22:16 clusters[1].capi.pivoted: only the management cluster is moved from its bootstrap cluster; "edge-1" is a workload cluster; expected no pivoted (or role: management); given true',
    ]);
  });

  it('refuses pivoted without a bootstrap cluster, but not pivoted: false', () => {
    expect(problems(edit(FLEET, ['      bootstrap: kind\n      pivoted: false\n', '      pivoted: true\n']))).toEqual([
      'environments/test.yaml:8:16 clusters[0].capi.pivoted: pivoted says `clusterctl move` from the bootstrap cluster is done, but "mgmt" has no bootstrap cluster; expected bootstrap: kind alongside, or no pivoted; given true',
    ]);
    expect(load(edit(FLEET, ['      bootstrap: kind\n', ''])).clusters[0]?.capi?.pivoted).toBe(false);
  });

  it('keeps the bootstrap cluster’s name free', () => {
    expect(problems(edit(FLEET, ['name: edge-1', 'name: mgmt-bootstrap']))).toEqual([
      'environments/test.yaml:15:11 clusters[1].name: "mgmt-bootstrap" is the kind cluster that bootstraps management cluster "mgmt"; expected another cluster name; given "mgmt-bootstrap"',
    ]);
  });
});

describe('Cluster API blocks', () => {
  it('checks the Kubernetes version against the control plane', () => {
    const text = edit(FLEET, ['kubernetes: v1.34.0\n      workers: 2', 'kubernetes: v1.34.0+rke2r1\n      workers: 2'], ['kubernetes: v1.33.1+rke2r1', 'kubernetes: v1.33.1']);
    expect(problems(text)).toEqual([
      'environments/test.yaml:19:19 clusters[1].capi.kubernetes: expected a Kubernetes version of the kubeadm control plane, such as v1.34.0; given "v1.34.0+rke2r1"',
      'environments/test.yaml:33:19 clusters[2].capi.kubernetes: expected a Kubernetes version of the rke2 control plane, such as v1.33.1+rke2r1; given "v1.33.1"',
    ]);
  });

  it('takes 1, 3 or 5 control-plane machines and 0 to 100 workers', () => {
    expect(problems(edit(FLEET, ['controlPlaneReplicas: 3', 'controlPlaneReplicas: 2'], ['workers: 2\n      pods: 192.168.32', 'workers: 101\n      pods: 192.168.32']))).toEqual([
      'environments/test.yaml:34:29 clusters[2].capi.controlPlaneReplicas: expected one of 1, 3, 5; given 2',
      'environments/test.yaml:35:16 clusters[2].capi.workers: expected an integer from 0 to 100; given 101',
    ]);
  });

  it('asks for the OpenStack block exactly with the OpenStack provider', () => {
    expect(problems(edit(FLEET, ['infrastructure: openstack', 'infrastructure: docker']))).toEqual([
      'environments/test.yaml:38:7 clusters[2].capi.openstack: OpenStack settings have no effect on docker machines; expected no openstack block (or infrastructure: openstack); given an openstack block',
    ]);
    expect(problems(edit(FLEET, [FLEET.slice(FLEET.indexOf('      openstack:\n')), '']))).toEqual([
      'environments/test.yaml:30:5 clusters[2].capi.openstack: the OpenStack provider needs the cloud, its credentials, network, image and flavors; expected an openstack block with cloud, credentials, externalNetwork, image, flavors and nodeCidr; given nothing',
    ]);
  });

  it('reads the OpenStack credentials from a secret store only', () => {
    expect(problems(edit(FLEET, ['secrets: { name: vault }\n', '']))).toEqual([
      'environments/test.yaml:39:22 clusters[2].capi.openstack.credentials: the OpenStack credentials are read from the secret store, never rendered, but the environment has none; expected a top-level "secrets" field such as secrets: {name: vault}; given none',
    ]);
  });

  it('asks for the Cilium chart version once, unless no cluster uses Cilium', () => {
    const withoutCilium = edit(FLEET, ['capi:\n  cilium: 1.16.3\n', '']);
    expect(problems(withoutCilium)).toEqual([
      'environments/test.yaml:6:7 capi.cilium: cluster "mgmt" gets Cilium from the Helm add-on provider (cni: cilium, the default), which needs the chart version; expected capi.cilium, a chart version such as 1.16.3 (or cni: none); given nothing',
    ]);
    const none = '      cni: none\n      pods: 192.168.';
    const allNone = edit(withoutCilium, ['      pods: 192.168.0', `${none}0`], ['      pods: 192.168.16', `${none}16`], ['      pods: 192.168.32', `${none}32`]);
    expect(load(allNone).clusters.map((cluster) => cluster.capi?.cni)).toEqual(['none', 'none', 'none']);
  });

  it('checks the networks: IPv4 CIDRs, Services apart from pods, name servers as addresses', () => {
    const text = edit(FLEET, ['pods: 192.168.0.0/20', 'pods: 192.168.0.0/33'], ['services: 10.129.0.0/16', 'services: 192.168.16.0/24'], ['nodeCidr: 10.6.0.0/24', 'nodeCidr: 10.6.0/24'], ['dnsNameservers: [192.0.2.53]', 'dnsNameservers: [dns.example.org]']);
    expect(problems(text)).toEqual([
      'environments/test.yaml:13:13 clusters[0].capi.pods: expected an IPv4 CIDR such as 192.168.0.0/20; given "192.168.0.0/33"',
      'environments/test.yaml:22:17 clusters[1].capi.services: the Service range overlaps the pod range 192.168.16.0/20 (line 21): Service and pod addresses would collide; expected a CIDR apart from the pods; given "192.168.16.0/24"',
      'environments/test.yaml:45:19 clusters[2].capi.openstack.nodeCidr: expected an IPv4 CIDR such as 10.6.0.0/24; given "10.6.0/24"',
      'environments/test.yaml:46:26 clusters[2].capi.openstack.dnsNameservers[0]: expected an IPv4 or IPv6 address; given "dns.example.org"',
    ]);
  });

  it('lets two clusters share pod and Service ranges (each is its own network)', () => {
    const env = load(edit(FLEET, ['pods: 192.168.16.0/20', 'pods: 192.168.0.0/20'], ['services: 10.129.0.0/16', 'services: 10.128.0.0/16']));
    expect(env.clusters.map((cluster) => cluster.capi?.pods)).toEqual(['192.168.0.0/20', '192.168.0.0/20', '192.168.32.0/20']);
  });

  it('keeps the Cluster API objects out of the namespaces of engines and providers, given or defaulted', () => {
    expect(problems(edit(FLEET, [WORKERS, '      workers: 2\n      namespace: capi-system\n      pods: 192.168.16']))).toEqual([
      'environments/test.yaml:21:18 clusters[1].capi.namespace: namespace "capi-system" belongs to Kubernetes, an engine or a Cluster API provider; expected a namespace of the cluster\'s own (set capi.namespace); given "capi-system"',
    ]);
    expect(problems(edit(FLEET, ['name: edge-1', 'name: caaph-system']))).toEqual([
      'environments/test.yaml:15:11 clusters[1].capi.namespace: namespace "caaph-system" belongs to Kubernetes, an engine or a Cluster API provider; expected a namespace of the cluster\'s own (set capi.namespace); given "caaph-system" (the cluster name, the default)',
    ]);
  });
});

describe('nodes', () => {
  it('refuses nodes and a DR node on a Cluster API cluster, once each', () => {
    expect(problems(edit(FLEET, ['  - name: edge-1\n', '  - name: edge-1\n    nodes: [{ name: n-1 }]\n'], ['cluster: edge-2', 'node: n-1']))).toEqual([
      'environments/test.yaml:16:5 clusters[1].nodes: the machines of Cluster API cluster "edge-1" are its nodes; expected no nodes (or no capi block); given a list of 1',
      'environments/test.yaml:25:13 clusters[1].dr.node: the machines of Cluster API cluster "edge-1" are its nodes, so none is the DR node; expected dr.cluster naming another cluster, or no dr; given "n-1"',
    ]);
  });

  it('asks a cluster without Cluster API for its nodes', () => {
    expect(problems(edit(REGIONS, ['    nodes: [{ name: west-1 }]\n', '']))).toEqual([
      'environments/test.yaml:21:5 clusters[1].nodes: cluster "west" is not created by Cluster API, so twinops needs its nodes; expected a non-empty list of nodes (or a capi block); given nothing',
    ]);
    expect(problems(edit(REGIONS, ['nodes: [{ name: west-1 }]', 'nodes: []']))).toEqual([
      'environments/test.yaml:23:12 clusters[1].nodes: expected at least 1 item; given an empty list',
    ]);
  });
});

describe('twins on another cluster', () => {
  it('loads the three regions, each keeping its twins in the next', () => {
    expect(load(REGIONS).clusters.map((cluster) => [cluster.name, cluster.region, cluster.dr])).toEqual([
      ['east', 'eastus', { cluster: 'west' }],
      ['west', 'eastus2', { cluster: 'uk' }],
      ['uk', 'uksouth', { cluster: 'east' }],
    ]);
  });

  it('names the DR cluster among the others, never its own', () => {
    expect(problems(edit(REGIONS, ['dr: { cluster: west }', 'dr: { cluster: wset }']))).toEqual([
      'environments/test.yaml:9:20 clusters[0].dr.cluster: unknown cluster (did you mean "west"?); expected one of west, uk; given "wset"',
    ]);
    expect(problems(edit(REGIONS, ['dr: { cluster: west }', 'dr: { cluster: east }']))).toEqual([
      'environments/test.yaml:9:20 clusters[0].dr.cluster: the twins of cluster "east" must run on another cluster than their prod cluster "east", or a failure takes both; expected one of west, uk; given "east"',
    ]);
    expect(problems(edit(REGIONS, ['dr: { identity: production }', 'dr: { identity: production, cluster: keycloak }']))).toEqual([
      'environments/test.yaml:32:46 clusters[1].apps[0].dr.cluster: unknown cluster; expected one of east, uk; given "keycloak"',
    ]);
  });

  it('keeps a twin out of its prod region', () => {
    expect(problems(edit(REGIONS, ['region: eastus2', 'region: eastus']))).toEqual([
      'environments/test.yaml:9:20 clusters[0].dr.cluster: the twins of cluster "east" would run in region "eastus", the region of their prod cluster "east": losing the region would take both; expected a cluster in another region: uk; given "west"',
    ]);
  });

  it('asks for a DR target when an app has a twin and nothing says where', () => {
    expect(problems(edit(REGIONS, ['    dr: { cluster: uk }\n', '']))).toEqual([
      'environments/test.yaml:31:13 clusters[1].apps[0].dr: DR is enabled but cluster "west" has no DR node; expected clusters[1].dr.node naming the node the twins run on, a DR cluster (clusters[1].dr.cluster or dr.cluster of the app), or dr: false; given no dr.node',
    ]);
  });

  it('runs the twins of a twin’s dependencies on the same DR cluster', () => {
    expect(problems(edit(REGIONS, ['        namespace: wordpress\n        dr: true', '        namespace: wordpress']))).toEqual([
      'environments/test.yaml:18:9 clusters[0].apps[1].dr: the twin of wordpress on cluster "west" needs the twin of redis on cluster "west"; expected dr on redis with its twin on cluster "west"; given redis without a twin',
    ]);
    expect(problems(edit(REGIONS, ['        namespace: wordpress\n        dr: true', '        namespace: wordpress\n        dr: { cluster: uk }']))).toEqual([
      'environments/test.yaml:20:13 clusters[0].apps[1].dr: the twin of wordpress on cluster "west" needs the twin of redis on cluster "west"; expected dr on redis with its twin on cluster "west"; given the twin of redis on cluster "uk"',
    ]);
  });

  it('finds the classes a twin claims on the cluster it runs on', () => {
    expect(problems(edit(REGIONS, ['    local-path: local-path\n', '    local-path: fast\n']))).toEqual([
      'environments/test.yaml:17:13 clusters[0].apps[0].dr: the twin of wordpress on cluster "west" claims storage class "fast" (DR class of "local-path", role database), which cluster "west" does not declare; expected a storage class declared on cluster "west": local-path; given "fast"',
      'environments/test.yaml:44:13 clusters[2].apps[0].dr: the twin of nextcloud on cluster "east" claims storage class "fast" (DR class of "local-path", role database), which cluster "east" does not declare; expected a storage class declared on cluster "east": local-path; given "fast"',
    ]);
    const westWithout = edit(REGIONS, ['    storageClasses:\n      - name: local-path\n        provisioner: rancher.io/local-path\n    storageRoles: { database: local-path, files: local-path }\n    apps:\n      - app: keycloak', '    apps:\n      - app: keycloak']);
    expect(problems(westWithout)).toEqual([
      'environments/test.yaml:17:13 clusters[0].apps[0].dr: the twin of wordpress on cluster "west" claims storage class "local-path" (DR class of "local-path", role database), which cluster "west" does not declare; expected a storage class declared on cluster "west" (it declares none); given "local-path"',
    ]);
  });
});
