/**
 * The platform add-ons one cluster needs for what twinops renders into it, as units: the
 * operator that turns its ExternalSecrets into Secrets, the provisioners of its storage classes,
 * the load balancer IPAM of its edge, and external-dns for the records it annotates. Pure: the
 * caller passes what the environment says of the cluster; an add-on the environment declares
 * as already installed is not rendered (the runbook lists it as a prerequisite instead).
 *
 * Not here: cert-manager. Nothing twinops renders outside Cluster API's provider units asks for a
 * Certificate or an Issuer (Traefik gets its certificates through its own ACME resolver, External
 * Secrets and MetalLB manage their webhook certificates themselves), and the management cluster's
 * cert-manager is already its own provider unit (`capi-cert-manager`). Not here either: Calico,
 * the CNI, which a cluster needs before any unit can run.
 */
import type { SecretStoreRef } from './app/definition';
import { ADDON_CATALOG, ADDONS, type Addon, type AddonChart } from './constructs/addons/catalog';
import { UserError } from './errors';

/** The provisioner of a local-path storage class. */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
/** The CSI driver of OpenEBS ZFS LocalPV. */
export const ZFS_PROVISIONER = 'zfs.csi.openebs.io';
/**
 * The annotation external-dns selects Services by: `externalDnsAnnotations` puts it on every
 * balancer and record that must be published, so nothing else in the cluster is.
 */
export const EXTERNAL_DNS_FILTER = { key: 'external-dns/external', value: 'true' } as const;
/** The Secret the external-dns credentials ExternalSecret writes, in the add-on's namespace. */
export const EXTERNAL_DNS_CREDENTIALS = 'external-dns-credentials';

export interface Taint {
  readonly key: string;
  /** Absent: the taint has no value, and is tolerated whatever value. */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** How external-dns reaches the DNS provider: the environment's `addons.externalDns`. */
export interface ExternalDnsSettings {
  /** external-dns's provider name, e.g. `cloudflare`, `rfc2136`, `pdns`. Required: no other field says it. */
  readonly provider: string;
  /**
   * Where the provider's credentials come from: an ExternalSecret reads `remoteKey` of the
   * environment's store into a Secret, and each environment variable of `env` (the names the
   * provider reads, e.g. `CF_API_TOKEN`) takes the property of that key it names. Default: none,
   * for a provider that authenticates without a Secret (a cloud workload identity).
   */
  readonly credentials?: { readonly remoteKey: string; readonly env: Readonly<Record<string, string>> };
  /** The zones external-dns may change, e.g. `example.org`. Default: every zone the credentials reach. */
  readonly domainFilters?: readonly string[];
}

/** What the environment says of one cluster that decides its add-ons. */
export interface AddonsInput {
  /** Cluster name: external-dns's TXT owner, so two clusters never take over each other's records. */
  readonly cluster: string;
  /** Provisioners of every storage class of the cluster, prod and DR. */
  readonly provisioners: readonly string[];
  /** What assigns the edge's load balancer addresses. Default: the cluster has no edge. */
  readonly edgeProvider?: 'calico' | 'metallb';
  /** The edge annotates balancers and records for external-dns (`edge.publicDns`). */
  readonly publicDns: boolean;
  /** The environment's secret store (`secrets`). Default: none, and nothing reads one. */
  readonly secrets?: SecretStoreRef;
  /** Add-ons the environment declares as installed already: needed, but not rendered. */
  readonly installed: ReadonlySet<Addon>;
  /** Required when external-dns is rendered (public DNS on and not installed). */
  readonly externalDns?: ExternalDnsSettings;
  /**
   * Taints of the cluster's nodes (the DR node's): the per-node daemons that must run on every
   * node holding volumes or announcing addresses (MetalLB's speaker, the ZFS node plugin)
   * tolerate them. Default: none.
   */
  readonly nodeTaints?: readonly Taint[];
}

/** An add-on the cluster needs, and why (the runbook's words for a prerequisite). */
export interface AddonNeed {
  readonly addon: Addon;
  readonly reason: string;
}

/** An ExternalSecret of the add-on's unit: a Secret read from the store, never rendered. */
export interface AddonCredentials {
  /** Name of the ExternalSecret and of its Secret. */
  readonly secretName: string;
  readonly store: SecretStoreRef;
  readonly remoteKey: string;
  /** Secret keys, each read from the property of the same name at `remoteKey`, sorted. */
  readonly keys: readonly string[];
}

/** One add-on of one cluster: a unit folder with its namespace, chart source and release. */
export interface AddonUnit {
  readonly addon: Addon;
  /** Name of the unit's Flux Kustomization, e.g. `addon-external-secrets`. */
  readonly name: string;
  /** Unit folder relative to the cluster's folder `<env>/<cluster>/`, e.g. `addons/external-secrets`. */
  readonly folder: string;
  /** Names of the add-on units that must be ready first. */
  readonly dependsOn: readonly string[];
  /** Name of the Helm release (and of its HelmRelease). */
  readonly release: string;
  readonly chart: AddonChart;
  /** Namespace of the release, its source and its HelmRelease. */
  readonly namespace: string;
  /** The namespace allows privileged pods (Pod Security `privileged`). */
  readonly privileged: boolean;
  /** The release's values. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The credentials the release reads. Default: none. */
  readonly credentials?: AddonCredentials;
}

/** Every add-on the cluster needs, installed or not, in install order. */
export function neededAddons(input: AddonsInput): AddonNeed[] {
  const reasons: Record<Addon, string | undefined> = {
    'external-secrets': input.secrets && `ExternalSecrets read the ${input.secrets.kind} ${input.secrets.name}`,
    metallb: input.edgeProvider === 'metallb' ? 'the edge provider is metallb' : undefined,
    'local-path': input.provisioners.includes(LOCAL_PATH_PROVISIONER) ? `a storage class has provisioner ${LOCAL_PATH_PROVISIONER}` : undefined,
    'zfs-localpv': input.provisioners.includes(ZFS_PROVISIONER) ? `a storage class has provisioner ${ZFS_PROVISIONER}` : undefined,
    'external-dns': input.publicDns ? 'the edge publishes DNS records (publicDns)' : undefined,
  };
  return ADDONS.flatMap((addon) => {
    const reason = reasons[addon];
    return reason === undefined ? [] : [{ addon, reason }];
  });
}

/** The needed add-ons the environment declares as installed: the runbook's prerequisites. */
export function addonPrerequisites(input: AddonsInput): AddonNeed[] {
  return neededAddons(input).filter((need) => input.installed.has(need.addon));
}

export function addonUnitName(addon: Addon): string {
  return `addon-${addon}`;
}

/** The add-on units the cluster gets, in dependency order; none when it needs none or has all. */
export function addonsFor(input: AddonsInput): AddonUnit[] {
  const rendered = neededAddons(input)
    .map((need) => need.addon)
    .filter((addon) => !input.installed.has(addon));
  return rendered.map((addon): AddonUnit => {
    const entry = ADDON_CATALOG[addon];
    const credentials = addon === 'external-dns' ? externalDnsCredentials(input) : undefined;
    // The credentials' ExternalSecret needs the operator's CRDs; an installed operator is there already.
    const dependsOn = credentials && rendered.includes('external-secrets') ? [addonUnitName('external-secrets')] : [];
    return {
      addon,
      name: addonUnitName(addon),
      folder: `addons/${addon}`,
      dependsOn,
      release: entry.release,
      chart: entry.chart,
      namespace: entry.namespace,
      privileged: entry.privileged,
      values: valuesOf(addon, input),
      ...(credentials ? { credentials } : {}),
    };
  });
}

function valuesOf(addon: Addon, input: AddonsInput): Record<string, unknown> {
  const tolerations = (input.nodeTaints ?? []).map(toleration);
  const tolerating = tolerations.length > 0 ? { tolerations } : {};
  switch (addon) {
    case 'external-secrets':
      // The chart renders its CRDs as templates: kept, they (and every ExternalSecret, whose
      // Secrets pods read) survive an uninstall of the release.
      return { installCRDs: true, crds: { annotations: { 'helm.sh/resource-policy': 'keep' } } };
    case 'metallb':
      // The speaker answers for an address on the node running its backend: the DR node too.
      return tolerations.length > 0 ? { speaker: tolerating } : {};
    case 'local-path':
      // Off: the chart's own class would have `reclaimPolicy: Delete`, and a class's policy is
      // immutable; twinops renders the only `local-path` class (Retain). The chart names its
      // provisioner `cluster.local/<release>` unless told: twinops' classes name upstream's.
      return { storageClass: { create: false, provisionerName: LOCAL_PATH_PROVISIONER } };
    case 'zfs-localpv':
      // The node plugin mounts volumes on every node with a ZFS class, the DR node included.
      return tolerations.length > 0 ? { zfsNode: tolerating } : {};
    case 'external-dns':
      return externalDnsValues(input);
  }
}

function externalDnsSettings(input: AddonsInput): ExternalDnsSettings {
  if (input.externalDns === undefined) {
    throw new UserError(
      `cluster ${input.cluster}: addons.externalDns: expected the external-dns provider (e.g. { provider: cloudflare, credentials: { remoteKey: dns/cloudflare, env: { CF_API_TOKEN: token } } }), because edge.publicDns is true and external-dns is not declared installed; given none. Declare it, or declare addons.externalDns: installed`,
    );
  }
  return input.externalDns;
}

function externalDnsCredentials(input: AddonsInput): AddonCredentials | undefined {
  const credentials = externalDnsSettings(input).credentials;
  if (credentials === undefined) return undefined;
  if (input.secrets === undefined) {
    throw new UserError(
      `cluster ${input.cluster}: addons.externalDns.credentials: expected a top-level secrets store to read ${credentials.remoteKey} from (twinops never renders a plaintext Secret); given no secrets`,
    );
  }
  return { secretName: EXTERNAL_DNS_CREDENTIALS, store: input.secrets, remoteKey: credentials.remoteKey, keys: [...new Set(Object.values(credentials.env))].sort() };
}

function externalDnsValues(input: AddonsInput): Record<string, unknown> {
  const settings = externalDnsSettings(input);
  const env = Object.entries(settings.credentials?.env ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: EXTERNAL_DNS_CREDENTIALS, key } } }));
  return {
    provider: { name: settings.provider },
    // Balancers and DNS records are Services (LoadBalancer and ExternalName).
    sources: ['service'],
    annotationFilter: `${EXTERNAL_DNS_FILTER.key}=${EXTERNAL_DNS_FILTER.value}`,
    // Never delete a record: a Service removed from Git, or pruned during a failover, must not
    // take a public name off the zone. A record no longer wanted is removed by hand.
    policy: 'upsert-only',
    registry: 'txt',
    txtOwnerId: input.cluster,
    ...(settings.domainFilters && settings.domainFilters.length > 0 ? { domainFilters: [...settings.domainFilters] } : {}),
    ...(env.length > 0 ? { env } : {}),
  };
}

function toleration(taint: Taint): Record<string, string> {
  return taint.value === undefined
    ? { key: taint.key, operator: 'Exists', effect: taint.effect }
    : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
}
