/**
 * Checks of a fleet (fleet.md §C.5): the delivery engine has what it needs, at most one
 * management cluster and one wherever Cluster API creates a cluster, each Cluster API block
 * consistent with its providers (Kubernetes version, OpenStack specifics, Cilium version,
 * networks), names the providers and the bootstrap cluster already take, and the nodes of a
 * cluster that exists (Cluster API clusters have machines instead). Where twins run across
 * clusters is checked in `./semantic-fleet-dr.ts`.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Cluster, ClusterCapi } from './environment';
import type { ConfigPath } from './errors';
import { finding, quote, type CheckContext } from './semantic-context';
import { isCidr } from './semantic-edge';
import { AN_IP_ADDRESS } from './wording';

/** Kubernetes versions each control-plane provider accepts (RKE2 releases carry `+rke2rN`). */
export const KUBERNETES_OF = {
  kubeadm: { pattern: /^v1\.\d+\.\d+$/, example: 'v1.34.0' },
  rke2: { pattern: /^v1\.\d{2}\.\d+\+rke2r\d+$/, example: 'v1.33.1+rke2r1' },
} as const;

/**
 * Namespaces a cluster's Cluster API objects may not take: the engines', cert-manager's,
 * Kubernetes' own and each provider's (the `namespace:` of its `config/default/kustomization.yaml`
 * at the pinned tags, fleet.md §C.5 item 11).
 */
export const RESERVED_CAPI_NAMESPACES: readonly string[] = [
  'flux-system', 'argocd', 'cert-manager', 'kube-system',
  'capi-system', 'capi-kubeadm-bootstrap-system', 'capi-kubeadm-control-plane-system', 'capd-system', 'capo-system',
  'rke2-bootstrap-system', 'rke2-control-plane-system', 'caaph-system',
];

/** The name of the temporary kind cluster that creates the management cluster. */
export const bootstrapClusterName = (management: string): string => `${management}-bootstrap`;

/** Whether the file has a node at `path` (the locator falls back to the nearest ancestor). */
function written(context: CheckContext, path: ConfigPath): boolean {
  const [here, parent] = [context.position(path), context.position(path.slice(0, -1))];
  return here.line !== parent.line || here.column !== parent.column;
}

const clusterPath = (c: number): ConfigPath => ['clusters', c];
const capiPath = (c: number): ConfigPath => ['clusters', c, 'capi'];

export function checkFleet(context: CheckContext): void {
  checkEngine(context);
  checkManagement(context);
  checkCilium(context);
  context.env.clusters.forEach((cluster, c) => {
    checkNodes(context, cluster, c);
    if (cluster.capi === undefined) return;
    checkRoleOnly(context, cluster, cluster.capi, c);
    checkKubernetes(context, cluster.capi, c);
    checkOpenStack(context, cluster.capi, c);
    checkNetworks(context, cluster.capi, c);
    checkNamespace(context, cluster.capi, c);
  });
}

/** Argo CD reads the repository itself, so it needs its URL (Flux has its bootstrap GitRepository). */
function checkEngine(context: CheckContext): void {
  const { gitops } = context.env;
  if (gitops.engine !== 'argocd' || gitops.repoURL !== undefined) return;
  const lead = 'Argo CD reads the rendered units from Git and needs the repository URL';
  context.report(['gitops', 'repoURL'], finding('an https:// or ssh:// URL of this repository, e.g. https://git.example.org/platform/estate.git', 'nothing', lead), { at: ['gitops', 'engine'] });
}

/** At most one management cluster; one wherever a cluster has `capi`; its bootstrap name is taken. */
function checkManagement(context: CheckContext): void {
  const { clusters } = context.env;
  const managers = clusters.flatMap((cluster, c) => (cluster.role === 'management' ? [c] : []));
  const [first, ...others] = managers;
  for (const c of others) {
    const { line } = context.position([...clusterPath(first ?? 0), 'role']);
    const lead = `cluster ${quote(clusters[first ?? 0]?.name ?? '')} is the management cluster already (line ${line}), and one management cluster runs the providers`;
    context.report([...clusterPath(c), 'role'], finding('workload', quote('management'), lead));
  }
  const management = first === undefined ? undefined : clusters[first];
  if (management === undefined) {
    const c = clusters.findIndex((cluster) => cluster.capi !== undefined);
    if (c < 0) return;
    const lead = `cluster ${quote(clusters[c]?.name ?? '')} is created by Cluster API, which runs on a management cluster`;
    context.report(capiPath(c), finding('a cluster with role: management', 'none', lead), { target: 'key' });
    return;
  }
  const reserved = bootstrapClusterName(management.name);
  clusters.forEach((cluster, c) => {
    if (cluster.name !== reserved) return;
    const lead = `${quote(reserved)} is the kind cluster that bootstraps management cluster ${quote(management.name)}`;
    context.report([...clusterPath(c), 'name'], finding('another cluster name', quote(cluster.name), lead));
  });
}

/** `bootstrap` and `pivoted` belong to the management cluster; `pivoted` says a bootstrap happened. */
function checkRoleOnly(context: CheckContext, cluster: Cluster, capi: ClusterCapi, c: number): void {
  const management = cluster.role === 'management';
  if (capi.bootstrap !== undefined && !management) {
    const lead = `only the management cluster is created from a bootstrap cluster; ${quote(cluster.name)} is a ${cluster.role} cluster, created by the management cluster`;
    context.report([...capiPath(c), 'bootstrap'], finding('no bootstrap (or role: management)', quote(capi.bootstrap), lead), { target: 'key' });
  }
  if (!capi.pivoted) return;
  if (!management) {
    const lead = `only the management cluster is moved from its bootstrap cluster; ${quote(cluster.name)} is a ${cluster.role} cluster`;
    context.report([...capiPath(c), 'pivoted'], finding('no pivoted (or role: management)', 'true', lead));
  } else if (capi.bootstrap === undefined) {
    const lead = `pivoted says \`clusterctl move\` from the bootstrap cluster is done, but ${quote(cluster.name)} has no bootstrap cluster`;
    context.report([...capiPath(c), 'pivoted'], finding('bootstrap: kind alongside, or no pivoted', 'true', lead));
  }
}

function checkKubernetes(context: CheckContext, capi: ClusterCapi, c: number): void {
  const { pattern, example } = KUBERNETES_OF[capi.controlPlane];
  if (pattern.test(capi.kubernetes)) return;
  context.report([...capiPath(c), 'kubernetes'], finding(`a Kubernetes version of the ${capi.controlPlane} control plane, such as ${example}`, quote(capi.kubernetes)));
}

/** OpenStack specifics exactly with the OpenStack provider; their addresses parse. */
function checkOpenStack(context: CheckContext, capi: ClusterCapi, c: number): void {
  const at = [...capiPath(c), 'openstack'];
  if (capi.infrastructure === 'openstack' && capi.openstack === undefined) {
    const lead = 'the OpenStack provider needs the cloud, its credentials, network, image and flavors';
    context.report(at, finding('an openstack block with cloud, credentials, externalNetwork, image, flavors and nodeCidr', 'nothing', lead), { at: capiPath(c), target: 'key' });
  }
  const openstack = capi.openstack;
  if (openstack === undefined) return;
  if (capi.infrastructure !== 'openstack') {
    const lead = `OpenStack settings have no effect on ${capi.infrastructure} machines`;
    context.report(at, finding('no openstack block (or infrastructure: openstack)', 'an openstack block', lead), { target: 'key' });
    return;
  }
  if (context.env.secrets === undefined) {
    const lead = 'the OpenStack credentials are read from the secret store, never rendered, but the environment has none';
    context.report([...at, 'credentials'], finding('a top-level "secrets" field such as secrets: {name: vault}', 'none', lead));
  }
  if (!isCidr(openstack.nodeCidr, 'ipv4')) context.report([...at, 'nodeCidr'], finding('an IPv4 CIDR such as 10.6.0.0/24', quote(openstack.nodeCidr)));
  openstack.dnsNameservers.forEach((server, k) => {
    if (isIP(server) === 0) context.report([...at, 'dnsNameservers', k], finding(AN_IP_ADDRESS, quote(server)));
  });
}

/** Pods and Services get IPv4 ranges of their own (two clusters may reuse them, as in seed 003). */
function checkNetworks(context: CheckContext, capi: ClusterCapi, c: number): void {
  const parsed: Partial<Record<'pods' | 'services', [ipaddr.IPv4 | ipaddr.IPv6, number]>> = {};
  for (const key of ['pods', 'services'] as const) {
    const cidr = capi[key];
    if (isCidr(cidr, 'ipv4')) parsed[key] = ipaddr.parseCIDR(cidr);
    else context.report([...capiPath(c), key], finding(`an IPv4 CIDR such as ${key === 'pods' ? '192.168.0.0/20' : '10.128.0.0/16'}`, quote(cidr)));
  }
  const { pods, services } = parsed;
  if (pods === undefined || services === undefined) return;
  const overlap = pods[1] >= services[1] ? pods[0].match(services) : services[0].match(pods);
  if (!overlap) return;
  const { line } = context.position([...capiPath(c), 'pods']);
  const lead = `the Service range overlaps the pod range ${capi.pods} (line ${line}): Service and pod addresses would collide`;
  context.report([...capiPath(c), 'services'], finding('a CIDR apart from the pods', quote(capi.services), lead));
}

/** The cluster's objects may not land in a namespace an engine, Kubernetes or a provider owns. */
function checkNamespace(context: CheckContext, capi: ClusterCapi, c: number): void {
  if (!RESERVED_CAPI_NAMESPACES.includes(capi.namespace)) return;
  const path = [...capiPath(c), 'namespace'];
  const explicit = written(context, path);
  const given = explicit ? quote(capi.namespace) : `${quote(capi.namespace)} (the cluster name, the default)`;
  const lead = `namespace ${quote(capi.namespace)} belongs to Kubernetes, an engine or a Cluster API provider`;
  // The default namespace is the cluster's name: point at the name when no namespace is written.
  context.report(path, finding('a namespace of the cluster\'s own (set capi.namespace)', given, lead), explicit ? {} : { at: [...clusterPath(c), 'name'] });
}

/** Every Cilium cluster needs the chart version CAAPH installs; said once, at the first. */
function checkCilium(context: CheckContext): void {
  if (context.env.capi.cilium !== undefined) return;
  const c = context.env.clusters.findIndex((cluster) => cluster.capi?.cni === 'cilium');
  if (c < 0) return;
  const name = context.env.clusters[c]?.name ?? '';
  const lead = `cluster ${quote(name)} gets Cilium from the Helm add-on provider (cni: cilium, the default), which needs the chart version`;
  context.report(['capi', 'cilium'], finding('capi.cilium, a chart version such as 1.16.3 (or cni: none)', 'nothing', lead), { at: [...capiPath(c), 'cni'] });
}

/** A cluster that exists lists its nodes; a Cluster API cluster's machines are its nodes. */
function checkNodes(context: CheckContext, cluster: Cluster, c: number): void {
  if (cluster.capi === undefined) {
    if (cluster.nodes.length > 0) return;
    const lead = `cluster ${quote(cluster.name)} is not created by Cluster API, so twinops needs its nodes`;
    context.report([...clusterPath(c), 'nodes'], finding('a non-empty list of nodes (or a capi block)', 'nothing', lead), { at: clusterPath(c) });
    return;
  }
  const lead = `the machines of Cluster API cluster ${quote(cluster.name)} are its nodes`;
  if (cluster.nodes.length > 0) {
    context.report([...clusterPath(c), 'nodes'], finding('no nodes (or no capi block)', `a list of ${cluster.nodes.length}`, lead), { target: 'key' });
  }
  if (cluster.dr?.node !== undefined) {
    context.report([...clusterPath(c), 'dr', 'node'], finding('dr.cluster naming another cluster, or no dr', quote(cluster.dr.node), `${lead}, so none is the DR node`));
  }
}
