/**
 * What in a diff can lose data or be refused by the API server: stateful objects changed or
 * removed, fields Kubernetes treats as immutable, prune protection dropped, objects that move
 * between units or clusters (a delete and a create in GitOps terms). Pure.
 */
import type { FieldChange, ObjectRef } from '../dr/diff';
import { ARGO_PRUNE_PROTECTION, FLUX_PRUNE_PROTECTION } from '../constructs/protect';
import type { ApiObjectJson } from '../model';
import { byCodeUnit } from '../render/files';
import { refKey, type ComparedEnvironment } from './compare';

/** A stateful object changed or removed; `immutable` lists the fields the API server will refuse to change in place. */
export interface StatefulChange {
  readonly ref: ObjectRef;
  readonly change: 'changed' | 'removed';
  readonly immutable: readonly FieldChange[];
}

/** Any object (stateful or not) with a change to a field Kubernetes treats as immutable. */
export interface ImmutableChange {
  readonly ref: ObjectRef;
  readonly fields: readonly FieldChange[];
}

/** An object that loses prune protection: the annotations (of either engine) it no longer carries. */
export interface ProtectionRemoved {
  readonly ref: ObjectRef;
  readonly annotations: readonly string[];
}

/** The same kind, namespace and name removed from one unit and added to another. */
export interface MovedObject {
  readonly from: ObjectRef;
  readonly to: ObjectRef;
}

/** The identity of a changed object, without its fields. */
function refOnly(object: ObjectRef): ObjectRef {
  const { unit, apiVersion, kind, namespace, name } = object;
  return namespace === undefined ? { unit, apiVersion, kind, name } : { unit, apiVersion, kind, namespace, name };
}

/** Kinds whose objects hold data or hold what holds data (a StatefulSet counts changed only through its claim templates). */
const STATEFUL_KINDS = new Set(['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'Namespace', 'StatefulSet']);

/** Quantity suffixes of Kubernetes (`resource.Quantity`), as multipliers. */
const SUFFIXES: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** `10Gi` → 10737418240; undefined for what is not a quantity. */
export function quantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([0-9.]+(?:[eE][-+]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.exec(value);
  const multiplier = SUFFIXES[match?.[2] ?? ''];
  return match?.[1] === undefined || multiplier === undefined ? undefined : Number(match[1]) * multiplier;
}

/** Whether `path` is `prefix` or lies below it. */
const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/** The only change of a claim's spec the API server accepts: a larger storage request. */
function isClaimGrowth(field: FieldChange): boolean {
  if (field.path !== 'spec.resources.requests.storage') return false;
  const [before, after] = [quantity(field.before), quantity(field.after)];
  return before !== undefined && after !== undefined && after > before;
}

/** Fields of a kind the API server refuses to change in place (so the object must be recreated). */
export function isImmutableField(kind: string, field: FieldChange): boolean {
  const { path } = field;
  switch (kind) {
    case 'PersistentVolumeClaim':
      return under(path, 'spec') && !isClaimGrowth(field);
    case 'StorageClass':
      return ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'].some((prefix) => under(path, prefix));
    case 'Deployment':
      return under(path, 'spec.selector');
    case 'StatefulSet':
      return under(path, 'spec.selector') || under(path, 'spec.volumeClaimTemplates');
    case 'Service':
      return under(path, 'spec.clusterIP') || under(path, 'spec.clusterIPs');
    case 'Job':
      return under(path, 'spec.template') || under(path, 'spec.selector');
    default:
      return false;
  }
}

/** Every changed object with an immutable field among its changes. */
export function immutableChanges(compared: readonly ComparedEnvironment[]): ImmutableChange[] {
  return compared.flatMap(({ diff }) =>
    diff.changed
      .map((object) => ({ ref: refOnly(object), fields: object.fields.filter((field) => isImmutableField(object.kind, field)) }))
      .filter((change) => change.fields.length > 0),
  );
}

/** Stateful objects changed or removed (moves excluded: they are listed as moves); a StatefulSet changes as one through its claim templates. */
export function statefulChanges(compared: readonly ComparedEnvironment[], moves: readonly MovedObject[]): StatefulChange[] {
  const moved = new Set(moves.map((move) => refKey(move.from)));
  return compared.flatMap(({ diff }) => [
    ...diff.changed
      .filter((object) => (object.kind === 'StatefulSet' ? object.fields.some((field) => under(field.path, 'spec.volumeClaimTemplates')) : STATEFUL_KINDS.has(object.kind)))
      .map((object): StatefulChange => ({ ref: refOnly(object), change: 'changed', immutable: object.fields.filter((field) => isImmutableField(object.kind, field)) })),
    ...diff.removed
      .filter((ref) => STATEFUL_KINDS.has(ref.kind) && !moved.has(refKey(ref)))
      .map((ref): StatefulChange => ({ ref, change: 'removed', immutable: [] })),
  ]);
}

const SYNC_OPTIONS = Object.keys(ARGO_PRUNE_PROTECTION)[0] ?? '';
const FLUX_PRUNE = Object.keys(FLUX_PRUNE_PROTECTION)[0] ?? '';

/** The protections an object carries, as `annotation: value` (Argo CD's options one by one). */
function protections(object: ApiObjectJson | undefined): string[] {
  const annotations = object?.metadata.annotations ?? {};
  const found: string[] = [];
  if (annotations[FLUX_PRUNE] === FLUX_PRUNE_PROTECTION[FLUX_PRUNE]) found.push(`${FLUX_PRUNE}: ${annotations[FLUX_PRUNE]}`);
  for (const option of (annotations[SYNC_OPTIONS] ?? '').split(',').map((text) => text.trim())) {
    if (option === 'Prune=false' || option === 'Delete=false') found.push(`${SYNC_OPTIONS}: ${option}`);
  }
  return found;
}

/** Objects that keep their identity (changed in place, or moved) but lose a protection. */
export function protectionRemoved(compared: readonly ComparedEnvironment[], moves: readonly MovedObject[]): ProtectionRemoved[] {
  const byKey = new Map<string, { before?: ApiObjectJson; after?: ApiObjectJson }>();
  for (const { before, after } of compared) {
    for (const [key, object] of before) byKey.set(key, { ...byKey.get(key), before: object });
    for (const [key, object] of after) byKey.set(key, { ...byKey.get(key), after: object });
  }
  const pairs: { ref: ObjectRef; before?: ApiObjectJson; after?: ApiObjectJson }[] = [
    ...compared.flatMap(({ diff }) => diff.changed.map((object) => ({ ref: refOnly(object), ...byKey.get(refKey(object)) }))),
    ...moves.map((move) => ({ ref: move.to, before: byKey.get(refKey(move.from))?.before, after: byKey.get(refKey(move.to))?.after })),
  ].map(({ ref, before, after }) => ({ ref, ...(before ? { before } : {}), ...(after ? { after } : {}) }));
  return pairs.flatMap(({ ref, before, after }) => {
    const kept = new Set(protections(after));
    const lost = protections(before).filter((annotation) => !kept.has(annotation));
    return lost.length === 0 ? [] : [{ ref, annotations: lost }];
  });
}

/** The identity of an object wherever it lives: kind, namespace, name. */
const identity = (ref: ObjectRef) => [ref.kind, ref.namespace ?? '', ref.name].join('\0');

/**
 * Objects removed from one unit and added to another, across every environment compared; when
 * several candidates match, they are paired in unit order.
 */
export function movedObjects(compared: readonly ComparedEnvironment[]): MovedObject[] {
  const added = new Map<string, ObjectRef[]>();
  for (const ref of compared.flatMap(({ diff }) => diff.added)) added.set(identity(ref), [...(added.get(identity(ref)) ?? []), ref]);
  const moves: MovedObject[] = [];
  for (const from of compared.flatMap(({ diff }) => diff.removed)) {
    // The same unit is no move: an apiVersion changed (`v1beta1` → `v1`).
    const candidates = added.get(identity(from)) ?? [];
    const index = candidates.findIndex((to) => to.unit !== from.unit);
    const [to] = index < 0 ? [] : candidates.splice(index, 1);
    if (to !== undefined) moves.push({ from, to });
  }
  return moves.sort((a, b) => byCodeUnit(a.from.unit, b.from.unit) || byCodeUnit(identity(a.from), identity(b.from)));
}
