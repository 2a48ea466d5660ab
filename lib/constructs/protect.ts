/**
 * Prune protection for stateful objects: Flux and Argo CD leave an object with these
 * annotations in the cluster when it disappears from Git, so deleting a line never deletes data.
 */
export const PRUNE_PROTECTION: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  'argocd.argoproj.io/sync-options': 'Prune=false',
};
