/**
 * What changes between two renders of an environment, object by object and field by field: the
 * answer of `dr plan`, and the complete change set a DR state flip is tested against. Pure.
 */
import { formatPath, type ConfigPath } from '../config/errors';
import type { ApiObjectJson, RenderedEnvironment } from '../model';
import { byCodeUnit } from '../render/files';
import { isRecord, jsonEqual } from '../json';

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


/**
 * How a list of `before` becomes a list of `after` when their lengths differ: the items of a
 * longest common subsequence stay, the others are removed (at their index in `before`) or added
 * (at their index in `after`), in list order. Pairing items by position would pair unrelated ones.
 */
function listEdits(path: ConfigPath, before: readonly unknown[], after: readonly unknown[], out: FieldChange[]): void {
  // common[i][j]: length of the longest common subsequence of before[i..] and after[j..].
  const common = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0));
  const at = (i: number, j: number) => common[i]?.[j] ?? 0;
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      (common[i] as number[])[j] = jsonEqual(before[i], after[j]) ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  let [i, j] = [0, 0];
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && jsonEqual(before[i], after[j])) [i, j] = [i + 1, j + 1];
    else if (j >= after.length || (i < before.length && at(i + 1, j) >= at(i, j + 1))) {
      out.push({ path: formatPath([...path, i]), before: before[i] });
      i++;
    } else {
      out.push({ path: formatPath([...path, j]), after: after[j] });
      j++;
    }
  }
}

/**
 * The changed leaves below `path`. Mappings are compared key by key (a mapping present on one
 * side only yields each of its leaves); lists of equal length item by item; lists of different
 * lengths by the items removed and added.
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
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length === after.length) before.forEach((item, i) => leaves([...path, i], item, after[i], out));
    else listEdits(path, before, after, out);
    return;
  }
  if (jsonEqual(before, after)) return;
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
