/** The Flux Kustomization that reconciles one unit folder of `dist/`. */
import { Construct } from 'constructs';
import type {
  KustomizationSpecDependsOn,
  KustomizationSpecHealthCheckExprs,
  KustomizationSpecHealthChecks,
} from '../../imports/kustomize.toolkit.fluxcd.io';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/kustomize.toolkit.fluxcd.io';
import type { GitOps } from '../config/environment';
import { LABEL } from '../variant/rules';

/** A Kustomization in another namespace that must be ready first (a remote unit waits on its cluster's unit). */
export interface FluxDependency {
  readonly name: string;
  /** Namespace of that Kustomization. Default: the dependent's own namespace. */
  readonly namespace?: string;
}

/** Where a remote unit finds the kubeconfig of the cluster it applies to. */
export interface FluxKubeConfig {
  /** A Secret in the Kustomization's namespace, e.g. Cluster API's `<cluster>-kubeconfig`, key `value`. */
  readonly secretRef: { readonly name: string; readonly key: string };
}

export interface FluxUnitProps {
  /** Name of the Kustomization. */
  readonly name: string;
  /** Unit folder relative to `dist/`, e.g. `home/home/apps/wordpress/prod`. */
  readonly path: string;
  /** The Kustomizations that must be ready first: a name (same namespace) or a name and namespace. */
  readonly dependsOn: readonly (string | FluxDependency)[];
  /** The environment's delivery settings (source, namespace, intervals, where `dist/` sits). */
  readonly gitops: GitOps;
  /**
   * Namespace of the Kustomization. Default: `gitops.namespace`. A remote unit sits in its
   * cluster's Cluster API namespace, beside the kubeconfig Secret; it then reads the source
   * across namespaces.
   */
  readonly namespace?: string;
  /** Apply to another cluster with this kubeconfig. Default: the cluster Flux runs on. */
  readonly kubeConfig?: FluxKubeConfig;
  /** Namespace every namespaced object of the unit is put in. Default: as the objects say. */
  readonly targetNamespace?: string;
  /** Objects whose readiness makes the unit ready, beyond what `wait` checks. Default: none. */
  readonly healthChecks?: readonly KustomizationSpecHealthChecks[];
  /** CEL readiness of kinds kstatus cannot judge (a v1beta2 Cluster has no `Ready`). Default: none. */
  readonly healthCheckExprs?: readonly KustomizationSpecHealthCheckExprs[];
  /** Wait for every applied object to be ready. Default: true. */
  readonly wait?: boolean;
  /** How long applying and waiting may take. Default: `gitops.timeout`. */
  readonly timeout?: string;
  /** Stop reconciling (the management cluster's own definition before the pivot). Default: false. */
  readonly suspend?: boolean;
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
    const namespace = props.namespace ?? gitops.namespace;
    new Kustomization(this, 'Resource', {
      metadata: { name: props.name, namespace, labels: { [LABEL.managedBy]: 'twinops' } },
      spec: {
        sourceRef: {
          kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY,
          name: gitops.sourceName,
          // The bootstrap source lives in the GitOps namespace; a unit elsewhere names it.
          namespace: namespace === gitops.namespace ? undefined : gitops.namespace,
        },
        path: fluxPath(gitops.pathPrefix, props.path),
        prune: true,
        wait: props.wait ?? true,
        interval: gitops.interval,
        retryInterval: gitops.retryInterval,
        timeout: props.timeout ?? gitops.timeout,
        dependsOn: props.dependsOn.length > 0 ? props.dependsOn.map(dependency) : undefined,
        kubeConfig: props.kubeConfig && { secretRef: { ...props.kubeConfig.secretRef } },
        targetNamespace: props.targetNamespace,
        healthChecks: nonEmpty(props.healthChecks),
        healthCheckExprs: nonEmpty(props.healthCheckExprs),
        suspend: props.suspend === true ? true : undefined,
      },
    });
  }
}

function dependency(on: string | FluxDependency): KustomizationSpecDependsOn {
  return typeof on === 'string' ? { name: on } : { name: on.name, namespace: on.namespace };
}

/** An empty list is left out rather than rendered as `[]`. */
function nonEmpty<T>(items: readonly T[] | undefined): T[] | undefined {
  return items !== undefined && items.length > 0 ? [...items] : undefined;
}
