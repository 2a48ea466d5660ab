/**
 * Flux's source and helm controllers on a workload cluster, installed by CAAPH like Cilium
 * (study §E.3: "on a hub-delivered cluster … inside a remote unit"). The management cluster's
 * Flux applies the workload cluster's units through its kubeconfig; the HelmReleases among them
 * (platform add-ons, Traefik, charts such as podinfo) are reconciled where they land, so that
 * cluster needs a helm-controller and a source-controller of its own, and nothing else of Flux:
 * it is never bootstrapped and has no kustomize-controller.
 *
 * [inferred] The fluxcd-community `flux2` chart and its `<controller>.create` values (the
 * chart's README at 2.14–2.15); its version is `capi.flux`. Check on a real cluster that the
 * chart's Flux serves `helm.toolkit.fluxcd.io/v2` and `source.toolkit.fluxcd.io/v1`.
 */
import type { Construct } from 'constructs';
import { HelmChartProxy } from '../../../imports/addons.cluster.x-k8s.io';
import { capiMetadata } from './metadata';
import type { ResolvedCapiCluster } from './props';

/** The label a Cluster carries to get the controllers, and the selector of the HelmChartProxy. */
export const FLUX_CONTROLLERS_LABEL: Readonly<Record<string, string>> = { 'twinops.dev/flux-controllers': 'true' };

const FLUX_COMMUNITY_REPO = 'https://fluxcd-community.github.io/helm-charts';

/** Only what a HelmRelease needs; a Go template for CAAPH with no `{{ }}` and never `${`. */
const FLUX_CONTROLLERS_VALUES = [
  'sourceController:',
  '  create: true',
  'helmController:',
  '  create: true',
  'kustomizeController:',
  '  create: false',
  'notificationController:',
  '  create: false',
  'imageAutomationController:',
  '  create: false',
  'imageReflectionController:',
  '  create: false',
  '',
].join('\n');

export function fluxControllersChartProxy(scope: Construct, cluster: ResolvedCapiCluster, version: string): void {
  new HelmChartProxy(scope, 'FluxControllers', {
    metadata: capiMetadata(cluster, 'flux-controllers'),
    spec: {
      chartName: 'flux2',
      clusterSelector: { matchLabels: { ...FLUX_CONTROLLERS_LABEL } },
      namespace: 'flux-system',
      options: { timeout: '5m', wait: true },
      // Fixed, like Cilium's, so the CAAPH after `clusterctl move` adopts it. [inferred]
      releaseName: 'flux',
      repoUrl: FLUX_COMMUNITY_REPO,
      valuesTemplate: FLUX_CONTROLLERS_VALUES,
      version,
    },
  });
}
