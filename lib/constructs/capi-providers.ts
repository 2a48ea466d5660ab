/**
 * The Cluster API providers a management cluster runs, and where each one's manifests come from.
 * twinops neither downloads at synth time nor vendors upstream YAML, so a provider unit is Flux
 * objects only: a GitRepository of the provider's repository pinned to its release tag and a
 * Kustomization building the provider's `config/default` (the tree clusterctl's release
 * components are built from); cert-manager, which every provider's webhooks need, is a
 * HelmRelease. Sources: clusterctl's provider order and the repositories, paths and release images
 * of the study (fleet.md §B.8).
 */
import { Construct } from 'constructs';
import { HelmRelease, HelmReleaseSpecChartSpecSourceRefKind } from '../../imports/helm.toolkit.fluxcd.io';
import {
  Kustomization,
  KustomizationSpecPostBuildSubstituteStrategy,
  KustomizationSpecSourceRefKind,
} from '../../imports/kustomize.toolkit.fluxcd.io';
import { GitRepository, HelmRepository } from '../../imports/source.toolkit.fluxcd.io';
import { LABEL } from '../variant/rules';

/** Every provider twinops can install, in install order (clusterctl's, with cert-manager first). */
export const CAPI_PROVIDERS = [
  'cert-manager',
  'core',
  'bootstrap-kubeadm',
  'bootstrap-rke2',
  'control-plane-kubeadm',
  'control-plane-rke2',
  'infrastructure-docker',
  'infrastructure-openstack',
  'addon-helm',
] as const;
export type CapiProvider = (typeof CAPI_PROVIDERS)[number];

/** The release each provider is pinned to: the environment's `capi` block. */
export interface ProviderVersions {
  /** Cluster API tag, e.g. `v1.14.0`: core, kubeadm bootstrap and control plane, Docker (one repository). */
  readonly version: string;
  /** Cluster API Provider OpenStack tag, e.g. `v0.14.7`. */
  readonly openstack: string;
  /** Cluster API Provider RKE2 tag (bootstrap and control plane), e.g. `v0.25.0`. */
  readonly rke2: string;
  /** Cluster API Add-on Provider for Helm tag, e.g. `v0.6.4`. */
  readonly helm: string;
  /** cert-manager chart version, e.g. `v1.21.1`. */
  readonly certManager: string;
}

/** A provider built by Flux from its repository's `config/default`. */
export interface GitProviderSource {
  readonly kind: 'git';
  /** Name of the GitRepository (the repository's name), shared by providers of one repository. */
  readonly repository: string;
  readonly url: string;
  /** Release tag checked out. */
  readonly tag: string;
  /** Folders checked out: the config trees of the providers the environment needs, sorted. */
  readonly sparseCheckout: readonly string[];
  /**
   * This unit renders the GitRepository: the first provider of its repository in install order.
   * The others reference it and are installed after it, so it exists when they read it.
   */
  readonly ownsRepository: boolean;
  /** Kustomize path in the repository, e.g. `./core/config/default`. */
  readonly path: string;
  /** The development image `config/default` names, rewritten to the release image. */
  readonly image: { readonly name: string; readonly newName?: string; readonly newTag: string };
}

/** cert-manager, from its Helm chart. */
export interface HelmProviderSource {
  readonly kind: 'helm';
  /** Name of the HelmRepository. */
  readonly repository: string;
  readonly url: string;
  readonly chart: string;
  readonly version: string;
  /** Namespace the release installs into. */
  readonly namespace: string;
}

export type ProviderSource = GitProviderSource | HelmProviderSource;

type GitProvider = Exclude<CapiProvider, 'cert-manager'>;

const REPOSITORIES = {
  'cluster-api': { url: 'https://github.com/kubernetes-sigs/cluster-api', tag: (v: ProviderVersions) => v.version },
  'cluster-api-provider-rke2': { url: 'https://github.com/rancher/cluster-api-provider-rke2', tag: (v: ProviderVersions) => v.rke2 },
  'cluster-api-provider-openstack': {
    url: 'https://github.com/kubernetes-sigs/cluster-api-provider-openstack',
    tag: (v: ProviderVersions) => v.openstack,
  },
  'cluster-api-addon-provider-helm': {
    url: 'https://github.com/kubernetes-sigs/cluster-api-addon-provider-helm',
    tag: (v: ProviderVersions) => v.helm,
  },
} as const;
type Repository = keyof typeof REPOSITORIES;

interface Upstream {
  readonly repository: Repository;
  /** The provider's config tree; `config/default` inside it refers only to its siblings. */
  readonly configDir: string;
  /** Image `config/default` sets (a development build). */
  readonly devImage: string;
  /** Release image, when it is not the development image's name (RKE2 publishes under the same name). */
  readonly releaseImage?: string;
}

// Release images: PROD_REGISTRY and image names of each provider's Makefile, tagged with the
// release tag (the study marks the tag as inferred; see its §E.1 for the check on a real cluster).
const UPSTREAM: Readonly<Record<GitProvider, Upstream>> = {
  core: {
    repository: 'cluster-api',
    configDir: 'core/config',
    devImage: 'gcr.io/k8s-staging-cluster-api/cluster-api-controller',
    releaseImage: 'registry.k8s.io/cluster-api/cluster-api-controller',
  },
  'bootstrap-kubeadm': {
    repository: 'cluster-api',
    configDir: 'bootstrap/kubeadm/config',
    devImage: 'gcr.io/k8s-staging-cluster-api/kubeadm-bootstrap-controller',
    releaseImage: 'registry.k8s.io/cluster-api/kubeadm-bootstrap-controller',
  },
  'bootstrap-rke2': {
    repository: 'cluster-api-provider-rke2',
    configDir: 'bootstrap/config',
    devImage: 'ghcr.io/rancher/cluster-api-provider-rke2-bootstrap',
  },
  'control-plane-kubeadm': {
    repository: 'cluster-api',
    configDir: 'controlplane/kubeadm/config',
    devImage: 'gcr.io/k8s-staging-cluster-api/kubeadm-control-plane-controller',
    releaseImage: 'registry.k8s.io/cluster-api/kubeadm-control-plane-controller',
  },
  'control-plane-rke2': {
    repository: 'cluster-api-provider-rke2',
    configDir: 'controlplane/config',
    devImage: 'ghcr.io/rancher/cluster-api-provider-rke2-controlplane',
  },
  'infrastructure-docker': {
    repository: 'cluster-api',
    configDir: 'test/infrastructure/docker/config',
    devImage: 'gcr.io/k8s-staging-cluster-api/capd-manager',
    releaseImage: 'registry.k8s.io/cluster-api/capd-manager',
  },
  'infrastructure-openstack': {
    repository: 'cluster-api-provider-openstack',
    configDir: 'config',
    devImage: 'gcr.io/k8s-staging-capi-openstack/capi-openstack-controller',
    releaseImage: 'registry.k8s.io/capi-openstack/capi-openstack-controller',
  },
  'addon-helm': {
    repository: 'cluster-api-addon-provider-helm',
    configDir: 'config',
    devImage: 'gcr.io/k8s-staging-cluster-api-helm/cluster-api-helm-controller',
    releaseImage: 'registry.k8s.io/cluster-api-helm/cluster-api-helm-controller',
  },
};

/**
 * Where `provider`'s manifests come from at `versions`, given every provider the environment
 * installs (`installed`): that decides which unit owns a shared repository (the first of it in
 * install order) and which folders the repository checks out.
 */
export function providerSource(
  provider: CapiProvider,
  versions: ProviderVersions,
  installed: readonly CapiProvider[],
): ProviderSource {
  if (provider === 'cert-manager') {
    return {
      kind: 'helm',
      repository: 'jetstack',
      url: 'https://charts.jetstack.io',
      chart: 'cert-manager',
      version: versions.certManager,
      namespace: 'cert-manager',
    };
  }
  const upstream = UPSTREAM[provider];
  const { url, tag: tagOf } = REPOSITORIES[upstream.repository];
  const tag = tagOf(versions);
  // In install order whatever the caller's order, and with the provider itself in any case.
  const siblings = CAPI_PROVIDERS.filter(
    (other): other is GitProvider =>
      other !== 'cert-manager' &&
      (other === provider || installed.includes(other)) &&
      UPSTREAM[other].repository === upstream.repository,
  );
  return {
    kind: 'git',
    repository: upstream.repository,
    url,
    tag,
    sparseCheckout: [...new Set(siblings.map((other) => UPSTREAM[other].configDir))].sort(),
    ownsRepository: siblings[0] === provider,
    path: `./${upstream.configDir}/default`,
    image: { name: upstream.devImage, newName: upstream.releaseImage, newTag: tag },
  };
}

/** The name of the Kustomization inside a provider's unit that builds the provider's manifests. */
export function componentsName(provider: CapiProvider): string {
  return `capi-${provider}-components`;
}

const MANAGED = { [LABEL.managedBy]: 'twinops' };
/** `clusterctl move` finds the types to move by this label on their CRDs (study §B.8). */
const CLUSTERCTL_LABEL = { 'clusterctl.cluster.x-k8s.io': '' };
/** Release sources change only when their pin does. */
const SOURCE_INTERVAL = '1h';
/** Building a provider and waiting for its webhooks and controller. */
const COMPONENTS_TIMEOUT = '10m';

export interface CapiProviderComponentsProps {
  readonly provider: CapiProvider;
  /** Where its manifests come from (`providerSource`). */
  readonly source: ProviderSource;
  /** Namespace of the Flux objects: the environment's GitOps namespace. */
  readonly namespace: string;
  /** How often Flux reconciles the cert-manager release. */
  readonly interval: string;
}

/** The objects of one provider's unit folder `capi/providers/<provider>/`. */
export class CapiProviderComponents extends Construct {
  public constructor(scope: Construct, id: string, props: CapiProviderComponentsProps) {
    super(scope, id);
    if (props.source.kind === 'helm') certManager(this, props.source, props);
    else gitComponents(this, props.provider, props.source, props.namespace);
  }
}

function certManager(scope: Construct, source: HelmProviderSource, props: CapiProviderComponentsProps): void {
  new HelmRepository(scope, 'Repository', {
    metadata: { name: source.repository, namespace: props.namespace, labels: MANAGED },
    spec: { url: source.url, interval: SOURCE_INTERVAL },
  });
  new HelmRelease(scope, 'Release', {
    metadata: { name: source.chart, namespace: props.namespace, labels: MANAGED },
    spec: {
      interval: props.interval,
      releaseName: source.chart,
      targetNamespace: source.namespace,
      install: { createNamespace: true },
      chart: {
        spec: {
          chart: source.chart,
          version: source.version,
          sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: source.repository },
        },
      },
      // `installCRDs` is deprecated for these; `keep` leaves the CRDs (and every certificate) in
      // place if the release is ever uninstalled.
      values: { crds: { enabled: true, keep: true } },
    },
  });
}

function gitComponents(scope: Construct, provider: CapiProvider, source: GitProviderSource, namespace: string): void {
  if (source.ownsRepository) {
    new GitRepository(scope, 'Repository', {
      metadata: { name: source.repository, namespace, labels: MANAGED },
      spec: { url: source.url, ref: { tag: source.tag }, sparseCheckout: [...source.sparseCheckout], interval: SOURCE_INTERVAL },
    });
  }
  new Kustomization(scope, 'Components', {
    metadata: { name: componentsName(provider), namespace, labels: MANAGED },
    spec: {
      sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: source.repository },
      path: source.path,
      prune: true,
      wait: true,
      interval: SOURCE_INTERVAL,
      timeout: COMPONENTS_TIMEOUT,
      images: [{ ...source.image }],
      commonMetadata: { labels: CLUSTERCTL_LABEL },
      // The trees hold `${VAR:=default}` (feature gates, flags) that clusterctl would fill in;
      // the default strategy skips substitution when no variable is set, leaving them literal.
      postBuild: { substituteStrategy: KustomizationSpecPostBuildSubstituteStrategy.ALWAYS },
    },
  });
}
