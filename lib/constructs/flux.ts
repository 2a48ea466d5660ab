/** The Flux Kustomization that reconciles one unit folder of `dist/`. */
import { Construct } from 'constructs';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/kustomize.toolkit.fluxcd.io';
import type { GitOps } from '../config/environment';
import { LABEL } from '../variant/rules';

export interface FluxUnitProps {
  /** Name of the Kustomization. */
  readonly name: string;
  /** Unit folder relative to `dist/`, e.g. `home/home/apps/wordpress/prod`. */
  readonly path: string;
  /** Names of the Kustomizations that must be ready first. */
  readonly dependsOn: readonly string[];
  /** The environment's delivery settings (source, namespace, intervals, where `dist/` sits). */
  readonly gitops: GitOps;
}

/** Joins the repository's `dist/` prefix and a unit path into the path Flux reads. */
export function fluxPath(prefix: string, path: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' || trimmed === '.' ? `./${path}` : `${trimmed}/${path}`;
}

export class FluxUnit extends Construct {
  public constructor(scope: Construct, id: string, props: FluxUnitProps) {
    super(scope, id);
    const { gitops } = props;
    new Kustomization(this, 'Resource', {
      metadata: { name: props.name, namespace: gitops.namespace, labels: { [LABEL.managedBy]: 'twinops' } },
      spec: {
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: gitops.sourceName },
        path: fluxPath(gitops.pathPrefix, props.path),
        prune: true,
        wait: true,
        interval: gitops.interval,
        retryInterval: gitops.retryInterval,
        timeout: gitops.timeout,
        dependsOn: props.dependsOn.length > 0 ? props.dependsOn.map((name) => ({ name })) : undefined,
      },
    });
  }
}
