/**
 * Prune and delete protection for stateful objects, for both delivery engines: each engine reads
 * only its own annotation and ignores the other's, so every protected object carries both whatever
 * engine the environment uses, and switching engines never exposes data.
 */

/**
 * Flux: with `prune: disabled` the kustomize-controller's garbage collection skips the object in
 * both cases where it would delete it: when the object leaves Git, and when its Kustomization is
 * deleted (`deletionPolicy: MirrorPrune`, the default, garbage-collects a pruning unit's objects).
 */
export const FLUX_PRUNE_PROTECTION: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};

/** Argo CD's annotation holding all sync options of one object, comma-separated. */
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/** The options that protect an object from Argo CD's pruning and cascading deletion. */
const ARGO_PROTECTION_OPTIONS = 'Prune=false,Delete=false';

/**
 * Argo CD: `Prune=false` only stops a sync from pruning the object once it leaves Git. Deleting
 * its Application, which twinops renders with the resources finalizer, still cascade-deletes it:
 * the controller's deletion skips objects marked `Delete=false`, not `Prune=false`. So both.
 */
export const ARGO_PRUNE_PROTECTION: Readonly<Record<string, string>> = {
  [SYNC_OPTIONS]: ARGO_PROTECTION_OPTIONS,
};

/**
 * Prune protection for stateful objects: Flux and Argo CD leave an object with these annotations
 * in the cluster when it disappears from Git or when the unit delivering it is deleted, so
 * deleting a line never deletes data.
 */
export const PRUNE_PROTECTION: Readonly<Record<string, string>> = {
  ...FLUX_PRUNE_PROTECTION,
  ...ARGO_PRUNE_PROTECTION,
};

/** Kinds whose objects hold data: an app's objects of these kinds always carry prune protection. */
const STATEFUL_KINDS = new Set(['PersistentVolumeClaim', 'PersistentVolume']);

/**
 * An app object with prune protection added when it holds data, whatever its chart wrote: a
 * chart author who forgets the annotation must not lose a volume by deleting a line.
 */
export function protectStateful<T extends { readonly kind: string; readonly metadata: { readonly annotations?: Readonly<Record<string, string>> } }>(object: T): T {
  if (!STATEFUL_KINDS.has(object.kind)) return object;
  const annotations = object.metadata.annotations ?? {};
  const syncOptions = withProtection(annotations[SYNC_OPTIONS]);
  return { ...object, metadata: { ...object.metadata, annotations: { ...annotations, ...PRUNE_PROTECTION, [SYNC_OPTIONS]: syncOptions } } };
}

/**
 * Argo CD's sync options of a chart's object with the protection options in place of any `Prune=`
 * or `Delete=` it gave: the annotation holds every option of the object, so replacing it whole
 * would silently drop a chart's own, such as `ServerSideApply=true`.
 */
function withProtection(given: string | undefined): string {
  const kept = (given ?? '').split(',').map((option) => option.trim()).filter((option) => option !== '' && !/^(Prune|Delete)=/.test(option));
  return [...kept, ARGO_PROTECTION_OPTIONS].join(',');
}
