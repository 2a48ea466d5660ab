/**
 * Two renders of one environment compared object by object (`dr/diff.ts`), with secret-like
 * values masked first (`./mask.ts`), and the masked objects kept at hand by key for the checks
 * that read whole objects (immutable fields, prune protection, unified YAML).
 */
import { describeRef, diffRenders, formatValue, type ObjectRef, type RenderDiff } from '../dr/diff';
import type { ApiObjectJson, RenderedEnvironment } from '../model';
import { maskPair } from './mask';

/** Masked objects of one side by `refKey`. */
export type ObjectIndex = ReadonlyMap<string, ApiObjectJson>;

export interface ComparedEnvironment {
  readonly environment: string;
  readonly diff: RenderDiff;
  readonly before: ObjectIndex;
  readonly after: ObjectIndex;
}

/** A map key for an object in its unit: NUL cannot appear in any of its parts. */
export function refKey(ref: ObjectRef): string {
  return [ref.unit, ref.kind, ref.namespace ?? '', ref.name, ref.apiVersion].join('\0');
}

function refOf(unit: string, object: ApiObjectJson): ObjectRef {
  const { apiVersion, kind, metadata } = object;
  return metadata.namespace === undefined
    ? { unit, apiVersion, kind, name: metadata.name }
    : { unit, apiVersion, kind, namespace: metadata.namespace, name: metadata.name };
}

function indexOf(rendered: RenderedEnvironment): Map<string, { unit: string; object: ApiObjectJson }> {
  const objects = new Map<string, { unit: string; object: ApiObjectJson }>();
  for (const unit of rendered.units) for (const object of unit.objects) objects.set(refKey(refOf(unit.path, object)), { unit: unit.path, object });
  return objects;
}

/** Rebuilds a render from masked objects, units in their first-seen order. */
function renderOf(environment: string, entries: Iterable<{ unit: string; object: ApiObjectJson }>, documents: RenderedEnvironment['documents']): RenderedEnvironment {
  const units = new Map<string, ApiObjectJson[]>();
  for (const { unit, object } of entries) units.set(unit, [...(units.get(unit) ?? []), object]);
  return { environment, units: [...units].map(([path, objects]) => ({ path, objects })), documents };
}

/** `before` → `after`, both masked pairwise so that a changed secret shows as changed, never as a value. */
export function compareRenders(before: RenderedEnvironment, after: RenderedEnvironment): ComparedEnvironment {
  const old = indexOf(before);
  const now = indexOf(after);
  const maskedBefore = new Map<string, { unit: string; object: ApiObjectJson }>();
  const maskedAfter = new Map<string, { unit: string; object: ApiObjectJson }>();
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const [b, a] = [old.get(key), now.get(key)];
    const [mb, ma] = maskPair(b?.object, a?.object);
    if (b !== undefined && mb !== undefined) maskedBefore.set(key, { unit: b.unit, object: mb });
    if (a !== undefined && ma !== undefined) maskedAfter.set(key, { unit: a.unit, object: ma });
  }
  const diff = diffRenders(renderOf(before.environment, maskedBefore.values(), before.documents), renderOf(after.environment, maskedAfter.values(), after.documents));
  const objects = (index: Map<string, { object: ApiObjectJson }>) => new Map([...index].map(([key, { object }]) => [key, object]));
  return { environment: after.environment || before.environment, diff, before: objects(maskedBefore), after: objects(maskedAfter) };
}

/**
 * The diff as comparable lines, one per added or removed object and one per changed field:
 * `+ <ref>`, `- <ref>`, `~ <ref> <path>: <before> → <after>`. Two change sets are equal when
 * their lines are.
 */
export function changeLines(diff: RenderDiff, keep: (ref: ObjectRef) => boolean = () => true): string[] {
  return [
    ...diff.added.filter(keep).map((ref) => `+ ${describeRef(ref)}`),
    ...diff.removed.filter(keep).map((ref) => `- ${describeRef(ref)}`),
    ...diff.changed
      .filter(keep)
      .flatMap((object) => object.fields.map((field) => `~ ${describeRef(object)} ${field.path}: ${formatValue(field.before)} → ${formatValue(field.after)}`)),
  ];
}
