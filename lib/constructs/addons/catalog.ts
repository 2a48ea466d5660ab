/**
 * The platform add-ons twinops can install for what its rendered objects need in a cluster, and
 * where each one's chart comes from, pinned. Data only: which add-ons a cluster gets is decided by
 * `lib/plan-addons.ts`, and `AddonRelease` renders them.
 *
 * Pins: External Secrets, external-dns and MetalLB are the versions of the CRDs and chart values
 * schemas in `shared/crds/` (SOURCES.md). local-path-provisioner and OpenEBS ZFS LocalPV ship no
 * values schema and have no CRD pin there: their versions are inferred (see `inferred` below) and
 * must be checked against the upstream release lists.
 */
import { METALLB_NAMESPACE } from '../address-pool';

/** Every add-on, in install order: an add-on only ever depends on one before it. */
export const ADDONS = ['external-secrets', 'metallb', 'local-path', 'zfs-localpv', 'external-dns'] as const;
export type Addon = (typeof ADDONS)[number];

/** The key of each add-on in the environment's `addons` option (camel case, as every environment field). */
export const ADDON_OPTION_KEYS: Readonly<Record<Addon, string>> = {
  'external-secrets': 'externalSecrets',
  metallb: 'metallb',
  'local-path': 'localPath',
  'zfs-localpv': 'zfsLocalPv',
  'external-dns': 'externalDns',
};

/** Where a chart is read from: a Helm repository, or a chart folder of a Git repository at a tag. */
export interface AddonChart {
  /** `HelmRepository`: `name` is the chart and `version` its version. `GitRepository`: `name` is the chart's folder and `version` the tag. */
  readonly sourceKind: 'HelmRepository' | 'GitRepository';
  /** Name of the Flux source object in the add-on's namespace. */
  readonly sourceName: string;
  /** Repository URL. */
  readonly url: string;
  readonly name: string;
  readonly version: string;
  /** The version was chosen here, not taken from `shared/crds/`: check it on a real cluster. */
  readonly inferred: boolean;
}

export interface AddonCatalogEntry {
  /** Name of the Helm release and its HelmRelease. */
  readonly release: string;
  /** Namespace the add-on runs in; its HelmRepository and HelmRelease sit there too. */
  readonly namespace: string;
  /**
   * Its pods need the `privileged` Pod Security level (host network, host paths, privileged
   * containers): the namespace is labelled so, or admission would reject them where a cluster
   * enforces a stricter default.
   */
  readonly privileged: boolean;
  readonly chart: AddonChart;
}

export const ADDON_CATALOG: Readonly<Record<Addon, AddonCatalogEntry>> = {
  'external-secrets': {
    release: 'external-secrets',
    namespace: 'external-secrets',
    privileged: false,
    chart: {
      sourceKind: 'HelmRepository',
      sourceName: 'external-secrets',
      url: 'https://charts.external-secrets.io',
      name: 'external-secrets',
      version: '2.9.0',
      inferred: false,
    },
  },
  metallb: {
    release: 'metallb',
    // Where twinops' IPAddressPools and L2Advertisements already go (`AddressPool`).
    namespace: METALLB_NAMESPACE,
    // The speaker runs on the host network with NET_RAW to answer ARP and NDP.
    privileged: true,
    chart: { sourceKind: 'HelmRepository', sourceName: 'metallb', url: 'https://metallb.github.io/metallb', name: 'metallb', version: '0.16.1', inferred: false },
  },
  'local-path': {
    release: 'local-path-provisioner',
    namespace: 'local-path-storage',
    // Its helper pods create and delete volume folders through a host path.
    privileged: true,
    // Upstream publishes the chart only in its repository (deploy/chart), not in a Helm repository.
    chart: {
      sourceKind: 'GitRepository',
      sourceName: 'local-path-provisioner',
      url: 'https://github.com/rancher/local-path-provisioner',
      name: './deploy/chart/local-path-provisioner',
      version: 'v0.0.31',
      inferred: true,
    },
  },
  'zfs-localpv': {
    release: 'zfs-localpv',
    namespace: 'openebs',
    // The node plugin is a privileged container that runs `zfs` on the host.
    privileged: true,
    chart: {
      sourceKind: 'HelmRepository',
      sourceName: 'openebs-zfs-localpv',
      url: 'https://openebs.github.io/zfs-localpv',
      name: 'zfs-localpv',
      version: '2.7.1',
      inferred: true,
    },
  },
  'external-dns': {
    release: 'external-dns',
    namespace: 'external-dns',
    privileged: false,
    chart: {
      sourceKind: 'HelmRepository',
      sourceName: 'external-dns',
      url: 'https://kubernetes-sigs.github.io/external-dns/',
      name: 'external-dns',
      version: '1.21.1',
      inferred: false,
    },
  },
};
