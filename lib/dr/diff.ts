/**
 * What changes between two renders of an environment, object by object and field by field: the
 * answer of `dr plan`, and the complete change set a DR state flip is tested against. Pure.
 */
import { formatPath, type ConfigPath } from '../config/errors';
import type { ApiObjectJson, RenderedEnvironment } from '../model';
import { byCodeUnit } from '../render/files';

/** An object's identity in a render: its unit folder, then its API identity. */
export interface ObjectRef {
  /** Unit folder relative to `dist/`, e.g. `home/home/apps/wordpress/dr`. */
  readonly unit: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
}

/** One leaf field that differs. `before` / `after` are absent where the field does not exist. */
export interface FieldChange {
  /** Path as users read it: `spec.replicas`, `metadata.annotations["projectcalico.org/ipv6pools"]`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ChangedObject extends ObjectRef {
  /** Its changed leaf fields, in path order (keys in code-unit order, items by index). */
  readonly fields: readonly FieldChange[];
}

/** A rendered document (the runbook) that appears, disappears or changes. */
export interface DocumentChange {
  /** Path relative to `dist/`, e.g. `home/RUNBOOK.md`. */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
}

/** The object-level difference of two renders; every list sorted by unit, kind, namespace, name. */
export interface RenderDiff {
  readonly added: readonly ObjectRef[];
  readonly removed: readonly ObjectRef[];
  readonly changed: readonly ChangedObject[];
  /** Documents by path. */
  readonly documents: readonly DocumentChange[];
}

function refOf(unit: string, object: ApiObjectJson): ObjectRef {
  const { apiVersion, kind, metadata } = object;
  return metadata.namespace === undefined
    ? { unit, apiVersion, kind, name: metadata.name }
    : { unit, apiVersion, kind, namespace: metadata.namespace, name: metadata.name };
}

/** A map key for a ref: NUL cannot appear in any of its parts. */
const keyOf = (ref: ObjectRef) => [ref.unit, ref.kind, ref.namespace ?? '', ref.name, ref.apiVersion].join('\0');

/** Every object of a render by key; two objects with one identity in a unit are a bug upstream. */
function index(rendered: RenderedEnvironment): Map<string, { ref: ObjectRef; object: ApiObjectJson }> {
  const objects = new Map<string, { ref: ObjectRef; object: ApiObjectJson }>();
  for (const unit of rendered.units) {
    for (const object of unit.objects) {
      const ref = refOf(unit.path, object);
      const key = keyOf(ref);
      if (objects.has(key)) throw new Error(`render of ${rendered.environment}: two objects ${describeRef(ref)}`);
      objects.set(key, { ref, object });
    }
  }
  return objects;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && equal(a[key], b[key]));
  }
  return false;
}

/**
 * The changed leaves below `path`. Mappings are compared key by key (a mapping present on one
 * side only yields each of its leaves); lists of equal length item by item; a list whose length
 * changed is one leaf, since matching items by position would pair unrelated items.
 */
function leaves(path: ConfigPath, before: unknown, after: unknown, out: FieldChange[]): void {
  const beforeMap = isRecord(before) || before === undefined;
  const afterMap = isRecord(after) || after === undefined;
  if (beforeMap && afterMap && (before !== undefined || after !== undefined)) {
    const b = (before ?? {}) as Record<string, unknown>;
    const a = (after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort(byCodeUnit);
    for (const key of keys) leaves([...path, key], b[key], a[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, i) => leaves([...path, i], item, after[i], out));
    return;
  }
  if (equal(before, after)) return;
  out.push({
    path: formatPath(path),
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  });
}

/** The changed leaf fields of two versions of one object. */
export function diffObject(before: ApiObjectJson, after: ApiObjectJson): FieldChange[] {
  const out: FieldChange[] = [];
  leaves([], before, after, out);
  return out;
}

function byRef(a: ObjectRef, b: ObjectRef): number {
  return (
    byCodeUnit(a.unit, b.unit) ||
    byCodeUnit(a.kind, b.kind) ||
    byCodeUnit(a.namespace ?? '', b.namespace ?? '') ||
    byCodeUnit(a.name, b.name) ||
    byCodeUnit(a.apiVersion, b.apiVersion)
  );
}

/** What changes from `before` to `after`, objects keyed by unit, apiVersion, kind, namespace and name. */
export function diffRenders(before: RenderedEnvironment, after: RenderedEnvironment): RenderDiff {
  const old = index(before);
  const now = index(after);
  const added: ObjectRef[] = [];
  const removed: ObjectRef[] = [];
  const changed: ChangedObject[] = [];
  for (const [key, { ref, object }] of now) {
    const previous = old.get(key);
    if (previous === undefined) added.push(ref);
    else {
      const fields = diffObject(previous.object, object);
      if (fields.length > 0) changed.push({ ...ref, fields });
    }
  }
  for (const [key, { ref }] of old) if (!now.has(key)) removed.push(ref);

  const oldDocuments = new Map(before.documents.map((document) => [document.path, document.content]));
  const newDocuments = new Map(after.documents.map((document) => [document.path, document.content]));
  const documents: DocumentChange[] = [];
  for (const path of [...new Set([...oldDocuments.keys(), ...newDocuments.keys()])].sort(byCodeUnit)) {
    const [was, is] = [oldDocuments.get(path), newDocuments.get(path)];
    if (was === undefined) documents.push({ path, change: 'added' });
    else if (is === undefined) documents.push({ path, change: 'removed' });
    else if (was !== is) documents.push({ path, change: 'changed' });
  }
  return { added: added.sort(byRef), removed: removed.sort(byRef), changed: changed.sort(byRef), documents };
}

/** Whether two renders differ at all. */
export function isEmptyDiff(diff: RenderDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length + diff.documents.length === 0;
}

/** How many fields change in all changed objects. */
export function countFields(diff: RenderDiff): number {
  return diff.changed.reduce((n, object) => n + object.fields.length, 0);
}

/** `home/home/apps/wordpress/dr Deployment wordpress/wordpress-dr` (no namespace: cluster-scoped). */
export function describeRef(ref: ObjectRef): string {
  return `${ref.unit} ${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

/** A field value in a plan: JSON, or `(absent)`. */
export function formatValue(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/** The diff as lines, in unit order: `+`/`-`/`~` per object, each changed field indented below it. */
export function formatDiff(diff: RenderDiff): string[] {
  const entries: { sign: string; ref: ObjectRef; fields: readonly FieldChange[] }[] = [
    ...diff.removed.map((ref) => ({ sign: '-', ref, fields: [] })),
    ...diff.added.map((ref) => ({ sign: '+', ref, fields: [] })),
    ...diff.changed.map((object) => ({ sign: '~', ref: object as ObjectRef, fields: object.fields })),
  ];
  const lines: string[] = [];
  for (const { sign, ref, fields } of entries.sort((a, b) => byRef(a.ref, b.ref))) {
    lines.push(`${sign} ${describeRef(ref)}`);
    for (const field of fields) lines.push(`    ${field.path}: ${formatValue(field.before)} → ${formatValue(field.after)}`);
  }
  const sign = { added: '+', removed: '-', changed: '~' } as const;
  for (const document of diff.documents) lines.push(`${sign[document.change]} ${document.path}`);
  return lines;
}

/** `plan: 1 added, 5 changed, 0 removed object(s), 9 field(s)` (plus documents when any change). */
export function summarizeDiff(diff: RenderDiff): string {
  const documents = diff.documents.length > 0 ? `; ${diff.documents.length} document(s) changed` : '';
  return (
    `${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed object(s), ` +
    `${countFields(diff)} field(s)${documents}`
  );
}
