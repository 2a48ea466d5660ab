/**
 * Prune protection for stateful objects: Flux and Argo CD leave an object with these
 * annotations in the cluster when it disappears from Git, so deleting a line never deletes data.
 */
export const PRUNE_PROTECTION: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  'argocd.argoproj.io/sync-options': 'Prune=false',
};

/** Kinds whose objects hold data: an app's objects of these kinds always carry prune protection. */
const STATEFUL_KINDS = new Set(['PersistentVolumeClaim', 'PersistentVolume']);

/**
 * An app object with prune protection added when it holds data, whatever its chart wrote: a
 * chart author who forgets the annotation must not lose a volume by deleting a line.
 */
export function protectStateful<T extends { readonly kind: string; readonly metadata: { readonly annotations?: Readonly<Record<string, string>> } }>(object: T): T {
  if (!STATEFUL_KINDS.has(object.kind)) return object;
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, ...PRUNE_PROTECTION } } };
}
