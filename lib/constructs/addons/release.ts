/**
 * The objects of one add-on's unit folder `addons/<addon>/`: its namespace (protected from prune,
 * like every namespace twinops renders), the Flux source of its chart, the ExternalSecret of its
 * credentials if it has any, and the HelmRelease, all in that namespace so the unit is whole on
 * its own and reads nothing across namespaces.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  HelmRelease,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecInstallCrds,
  HelmReleaseSpecUpgradeCrds,
} from '../../../imports/helm.toolkit.fluxcd.io';
import { GitRepository, HelmRepository } from '../../../imports/source.toolkit.fluxcd.io';
import type { AddonUnit } from '../../plan-addons';
import { LABEL } from '../../variant/rules';
import { Credentials } from '../credentials';
import { PRUNE_PROTECTION } from '../protect';

const MANAGED = { [LABEL.managedBy]: 'twinops' };
/** Pod Security admission lets a namespace with these labels run privileged pods, and says nothing of them. */
const PRIVILEGED = {
  'pod-security.kubernetes.io/enforce': 'privileged',
  'pod-security.kubernetes.io/audit': 'privileged',
  'pod-security.kubernetes.io/warn': 'privileged',
};
/** A pinned chart source changes only when its pin does. */
const SOURCE_INTERVAL = '1h';
/** How often Flux reconciles a release, as the environment's default unit interval. */
export const DEFAULT_RELEASE_INTERVAL = '10m';

export interface AddonReleaseOptions {
  /** How often Flux reconciles the HelmRelease (the environment's `gitops.interval`). Default: `10m`. */
  readonly interval?: string;
}

export class AddonRelease extends Construct {
  public constructor(scope: Construct, id: string, unit: AddonUnit, options: AddonReleaseOptions = {}) {
    super(scope, id);
    const { namespace, chart } = unit;
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: { ...MANAGED, ...(unit.privileged ? PRIVILEGED : {}) },
        // Deleting it would delete the release's objects behind Helm's back, and the CRs the
        // add-on serves (every ExternalSecret, every volume's ZFSVolume) with their finalizers.
        annotations: { ...PRUNE_PROTECTION },
      },
    });
    const metadata = { name: chart.sourceName, namespace, labels: MANAGED };
    if (chart.sourceKind === 'HelmRepository') {
      new HelmRepository(this, 'Source', { metadata, spec: { url: chart.url, interval: SOURCE_INTERVAL } });
    } else {
      new GitRepository(this, 'Source', { metadata, spec: { url: chart.url, ref: { tag: chart.version }, interval: SOURCE_INTERVAL } });
    }
    if (unit.credentials) {
      const { secretName, store, remoteKey, keys } = unit.credentials;
      new Credentials(this, 'Credentials', { name: secretName, namespace, store, remoteKey, keys, labels: MANAGED });
    }
    const fromHelmRepository = chart.sourceKind === 'HelmRepository';
    new HelmRelease(this, 'Release', {
      metadata: { name: unit.release, namespace, labels: MANAGED },
      spec: {
        interval: options.interval ?? DEFAULT_RELEASE_INTERVAL,
        releaseName: unit.release,
        chart: {
          spec: {
            chart: chart.name,
            // A chart from Git has the version its Chart.yaml says at the pinned tag.
            ...(fromHelmRepository ? { version: chart.version } : {}),
            sourceRef: {
              kind: fromHelmRepository ? HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY : HelmReleaseSpecChartSpecSourceRefKind.GIT_REPOSITORY,
              name: chart.sourceName,
            },
          },
        },
        // Flux's recommendation for charts that ship CRDs in `crds/`: create them on install,
        // and keep them in step with the chart on upgrade (Helm alone never upgrades them).
        install: { crds: HelmReleaseSpecInstallCrds.CREATE },
        upgrade: { crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE },
        ...(Object.keys(unit.values).length > 0 ? { values: { ...unit.values } } : {}),
      },
    });
  }
}
