/**
 * How the runbook tells the delivery engine to stop applying a unit, to apply it again, or to
 * apply it now: `flux suspend/resume/reconcile kustomization`, or the `argocd` CLI's sync policy
 * and sync for an environment delivered by Argo CD. One place, so no procedure names an engine.
 */
import type { GitOps } from '../config/environment';
import { shellArg, shellComment } from './shell';

export interface DeliveryCommands {
  /** The engine's name in prose: `Flux` or `Argo CD`. */
  readonly engine: string;
  /** Stop applying `unit` (Git no longer wins until `resume`). */
  suspend(unit: string): string;
  /** Apply `unit` from Git again, and keep doing so. */
  resume(unit: string): string;
  /** Apply `unit` now. */
  reconcile(unit: string): string;
  /** Apply the cluster's entry now, from the pushed commit (`entryPath` relative to `dist/`). */
  entry(cluster: string, entryPath: string): string;
  /** Show the state of every unit, to see why one is not ready. */
  status(): string;
}

export function deliveryCommands(gitops: GitOps): DeliveryCommands {
  const namespace = shellArg(gitops.namespace);
  if (gitops.engine === 'argocd') {
    return {
      engine: 'Argo CD',
      suspend: (unit) => `argocd app set ${shellArg(unit)} --sync-policy none`,
      resume: (unit) => `argocd app set ${shellArg(unit)} --sync-policy automated --auto-prune --self-heal`,
      reconcile: (unit) => `argocd app sync ${shellArg(unit)}`,
      entry: (cluster, entryPath) => `argocd app sync ${shellArg(`root-${cluster}`)}   # applies ${shellComment(`dist/${entryPath}`)}`,
      status: () => `argocd app list`,
    };
  }
  return {
    engine: 'Flux',
    suspend: (unit) => `flux suspend kustomization ${shellArg(unit)} -n ${namespace}`,
    resume: (unit) => `flux resume kustomization ${shellArg(unit)} -n ${namespace}`,
    reconcile: (unit) => `flux reconcile kustomization ${shellArg(unit)} -n ${namespace}`,
    // The bootstrap Kustomization is named like the Git source, as `flux bootstrap` names both.
    entry: (_cluster, entryPath) => `flux reconcile kustomization ${shellArg(gitops.sourceName)} -n ${namespace} --with-source   # applies ${shellComment(`dist/${entryPath}`)}`,
    status: () => `flux get kustomizations -n ${namespace}`,
  };
}
