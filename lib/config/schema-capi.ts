/**
 * Cluster API in the environment schema: the provider versions of the environment (`capi`) and
 * the `capi` block of a cluster that Cluster API creates (infrastructure, control plane,
 * Kubernetes version, machine counts, networks, CNI, OpenStack specifics). Part of the
 * environment schema (`./schema.ts`), kept apart to keep each file about one thing.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Label } from './schema-names';

/** A release tag as the providers publish them: `v1.14.0`. */
export const RELEASE_TAG = '^v[0-9]+\\.[0-9]+\\.[0-9]+$';
/** A chart version without the `v`: `1.16.3`. */
export const CHART_VERSION = '^[0-9]+\\.[0-9]+\\.[0-9]+$';
/** A Kubernetes version as either control plane takes it; `./semantic-fleet.ts` checks which. */
export const KUBERNETES_VERSION = '^v1\\.[0-9]+\\.[0-9]+(\\+rke2r[0-9]+)?$';
/** An OpenStack resource ID. */
export const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** The versions the study pinned against `../shared/crds/` (fleet.md §C.1). */
export const DEFAULT_CAPI_VERSIONS = {
  version: 'v1.14.0',
  openstack: 'v0.14.7',
  rke2: 'v0.25.0',
  helm: 'v0.6.4',
  certManager: 'v1.21.1',
  flux: '2.15.0',
} as const;

const Tag = (description: string) => Type.String({ pattern: RELEASE_TAG, description });
const Text = (description: string) => Type.String({ minLength: 1, description });
const Cidr = (description: string) => Type.String({ minLength: 1, description });

export const CapiVersionsSchema = Type.Object(
  {
    version: Type.Optional(Tag(`Cluster API release: core, kubeadm bootstrap and control plane, Docker provider (one repository). Default: ${DEFAULT_CAPI_VERSIONS.version}.`)),
    openstack: Type.Optional(Tag(`Cluster API Provider OpenStack (CAPO) release. Default: ${DEFAULT_CAPI_VERSIONS.openstack}.`)),
    rke2: Type.Optional(Tag(`Cluster API Provider RKE2 (bootstrap and control plane) release. Default: ${DEFAULT_CAPI_VERSIONS.rke2}.`)),
    helm: Type.Optional(Tag(`Cluster API Add-on Provider for Helm (CAAPH) release. Default: ${DEFAULT_CAPI_VERSIONS.helm}.`)),
    certManager: Type.Optional(Tag(`cert-manager chart version the providers need. Default: ${DEFAULT_CAPI_VERSIONS.certManager}.`)),
    flux: Type.Optional(
      Type.String({
        pattern: CHART_VERSION,
        description: `Version of the fluxcd-community \`flux2\` chart CAAPH installs on every workload cluster: only Flux's source and helm controllers, which reconcile the HelmReleases the management cluster delivers there. Default: ${DEFAULT_CAPI_VERSIONS.flux}.`,
      }),
    ),
    cilium: Type.Optional(
      Type.String({ pattern: CHART_VERSION, description: 'Cilium chart version CAAPH installs on clusters with `cni: cilium`, e.g. `1.16.3`. Required when a cluster uses Cilium.' }),
    ),
  },
  { additionalProperties: false, description: 'Versions of the Cluster API providers and the add-ons they install, for every Cluster API cluster of the environment.' },
);

export const OpenStackSchema = Type.Object(
  {
    cloud: Text('Entry of `clouds.yaml` to use (`identityRef.cloudName`).'),
    credentials: Text('Key in the environment\'s secret store (`secrets`) holding `clouds.yaml` (property `clouds.yaml`), e.g. `capi/edge-2/openstack`; read by the ExternalSecret `<cluster>-cloud-config`, never rendered.'),
    caCert: Type.Optional(Type.Boolean({ description: 'Also read property `cacert` at that key (the CA of a private OpenStack endpoint). Default: false.' })),
    externalNetwork: Type.String({ pattern: UUID, description: 'ID of the external network (`OpenStackCluster.spec.externalNetwork.id`).' }),
    image: Text('Machine image name (`image.filter.name`), e.g. `ubuntu-24.04`.'),
    flavors: Type.Object(
      {
        controlPlane: Text('Flavor of the control-plane machines, e.g. `m1.medium`.'),
        workers: Text('Flavor of the worker machines, e.g. `m1.large`.'),
      },
      { additionalProperties: false, description: 'Machine flavors.' },
    ),
    sshKey: Type.Optional(Text('Nova key pair put on every machine (`sshKeyName`). Default: none.')),
    nodeCidr: Cidr('IPv4 CIDR of the subnet the machines get (`managedSubnets[0].cidr`), e.g. `10.6.0.0/24`.'),
    dnsNameservers: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true, description: 'Name servers of that subnet, as IP addresses. Default: none.' }),
    ),
  },
  { additionalProperties: false, description: 'Where and how CAPO creates the machines. Required with `infrastructure: openstack`, refused otherwise.' },
);

export const ClusterCapiSchema = Type.Object(
  {
    infrastructure: Type.Union([Type.Literal('docker'), Type.Literal('openstack')], {
      description: 'Infrastructure provider: `docker` (CAPD, for labs) or `openstack` (CAPO).',
    }),
    controlPlane: Type.Union([Type.Literal('kubeadm'), Type.Literal('rke2')], {
      description: 'Bootstrap and control-plane provider: `kubeadm` or `rke2` (CAPRKE2).',
    }),
    kubernetes: Type.String({
      pattern: KUBERNETES_VERSION,
      description: 'Kubernetes version of the control plane and the workers: `v1.34.0` for kubeadm, `v1.33.1+rke2r1` for rke2.',
    }),
    controlPlaneReplicas: Type.Optional(
      Type.Union([Type.Literal(1), Type.Literal(3), Type.Literal(5)], { description: 'Control-plane machines: an odd count, so etcd keeps a quorum. Default: 1.' }),
    ),
    workers: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Replicas of the MachineDeployment `<cluster>-md-0`. Default: 1.' })),
    pods: Cidr('IPv4 CIDR of the pods (`clusterNetwork.pods.cidrBlocks[0]`), e.g. `192.168.0.0/20`.'),
    services: Cidr('IPv4 CIDR of the Services (`clusterNetwork.services.cidrBlocks[0]`), e.g. `10.128.0.0/16`; apart from `pods`.'),
    cni: Type.Optional(
      Type.Union([Type.Literal('cilium'), Type.Literal('none')], {
        description: '`cilium`: CAAPH installs Cilium (version `capi.cilium`) on the cluster; `none`: bring your own. Default: cilium.',
      }),
    ),
    namespace: Type.Optional(Label('Namespace of the cluster\'s Cluster API objects on the management cluster. Default: the cluster name.')),
    bootstrap: Type.Optional(
      Type.Literal('kind', { description: 'Management cluster only: also render the entry of a temporary kind cluster that creates it. Default: none (it exists already).' }),
    ),
    pivoted: Type.Optional(
      Type.Boolean({ description: 'Management cluster with `bootstrap` only: `clusterctl move` is done, so the cluster manages itself. Default: false.' }),
    ),
    openstack: Type.Optional(OpenStackSchema),
  },
  {
    additionalProperties: false,
    description: 'The cluster is created by Cluster API from the management cluster; its machines replace `nodes`. Default: none (the cluster exists and `nodes` lists its nodes).',
  },
);

export type CapiVersionsSpec = Static<typeof CapiVersionsSchema>;
export type ClusterCapiSpec = Static<typeof ClusterCapiSchema>;
export type OpenStackSpec = Static<typeof OpenStackSchema>;
