/**
 * Secret-like values masked before anything is compared or printed, so that no format of
 * `twinops diff` (text, markdown, json, unified YAML) can show one. Both versions of an object
 * are masked together: a secret that changes still shows as a change (`***` → `*** (changed)`),
 * never as its value.
 */
import type { ApiObjectJson } from '../model';
import { isRecord, jsonEqual } from '../json';

/** What a masked value reads as. */
export const MASK = '***';
/** What a masked value that differs from its previous version reads as. */
export const MASK_CHANGED = '*** (changed)';

/** Words that make a key secret-like wherever they appear in it: `dbPassword`, `api_key`, `client-secret`. */
const SECRET_WORDS = new Set(['password', 'passwd', 'token', 'secret', 'key', 'credential', 'credentials', 'apikey']);

/**
 * A key whose last word is one of these names a secret rather than holding one (`secretName`,
 * `passwordSecretRef`, `tokenFile`): its value is left readable.
 */
const REFERENCE_WORDS = new Set(['name', 'names', 'ref', 'refs', 'namespace', 'path', 'file', 'selector', 'kind', 'store']);

/** A bare `key` beside one of these names something (a toleration, a selector term, a secretKeyRef, a projected item). */
const REFERENCE_SIBLINGS = ['operator', 'values', 'name', 'path'];

/** `dbPassword` → `db password`; `API_KEY` → `api key`; `client-secret` → `client secret`. */
export function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Whether the value under `key` (in a mapping holding `siblings`) is secret-like. */
export function isSecretKey(key: string, siblings: readonly string[] = []): boolean {
  const words = wordsOf(key);
  const last = words[words.length - 1];
  if (last === undefined || REFERENCE_WORDS.has(last)) return false;
  if (!words.some((word) => SECRET_WORDS.has(word))) return false;
  return !(words.length === 1 && last === 'key' && REFERENCE_SIBLINGS.some((sibling) => siblings.includes(sibling)));
}

/**
 * Subtrees whose every value is masked, by top-level field, whatever the keys below: a Secret's
 * `data` and any object's `stringData`.
 */
function maskedWhole(kind: string, field: string): boolean {
  return field === 'stringData' || (kind === 'Secret' && field === 'data');
}

/**
 * Subtrees where keys are references, not values: an ExternalSecret's `spec.data` and
 * `spec.dataFrom` name the keys of the secret store (`secretKey`, `remoteRef.key`).
 */
function referencesOnly(kind: string, path: readonly string[]): boolean {
  return kind === 'ExternalSecret' && path[0] === 'spec' && (path[1] === 'data' || path[1] === 'dataFrom');
}

/** An environment variable (`{ name: DB_PASSWORD, value: … }`) whose name is secret-like: its `value` is masked. */
function namesSecret(entry: Record<string, unknown> | undefined): boolean {
  const name = entry?.['name'];
  return typeof name === 'string' && 'value' in (entry ?? {}) && isSecretKey(name);
}

/** The pair with every literal leaf masked; `after`'s masks say whether the leaf changed. */
function maskLeaves(before: unknown, after: unknown): [unknown, unknown] {
  if (Array.isArray(before) || Array.isArray(after) || isRecord(before) || isRecord(after)) {
    return [maskAll(before, after, 'before'), maskAll(after, before, 'after')];
  }
  const masked = (value: unknown) => (value === undefined || value === null ? value : MASK);
  if (before === undefined || after === undefined || jsonEqual(before, after)) return [masked(before), masked(after)];
  return [masked(before), MASK_CHANGED];
}

/** Every leaf of `value` masked; on the `after` side, leaves that differ from `other`'s read as changed. */
function maskAll(value: unknown, other: unknown, side: 'before' | 'after'): unknown {
  if (Array.isArray(value)) {
    const items = Array.isArray(other) && other.length === value.length ? other : [];
    return value.map((item, i) => maskAll(item, items[i], side));
  }
  if (isRecord(value)) {
    const peer = isRecord(other) ? other : {};
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskAll(child, peer[key], side)]));
  }
  if (value === undefined || value === null) return value;
  return side === 'after' && other !== undefined && !jsonEqual(value, other) ? MASK_CHANGED : MASK;
}

/** Walks both versions side by side, masking below secret-like keys. */
function walk(kind: string, path: readonly string[], before: unknown, after: unknown): [unknown, unknown] {
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    const pairs = before.map((item, i) => walk(kind, path, item, after[i]));
    return [pairs.map(([b]) => b), pairs.map(([, a]) => a)];
  }
  if (Array.isArray(before) || Array.isArray(after)) {
    // Lists of different lengths: each item on its own (the diff pairs them by content, not index).
    const alone = (list: unknown, side: 0 | 1) =>
      Array.isArray(list) ? list.map((item) => walk(kind, path, side === 0 ? item : undefined, side === 1 ? item : undefined)[side]) : walk(kind, path, side === 0 ? list : undefined, side === 1 ? list : undefined)[side];
    return [alone(before, 0), alone(after, 1)];
  }
  if (!isRecord(before) && !isRecord(after)) return [before, after];
  const b = isRecord(before) ? before : undefined;
  const a = isRecord(after) ? after : undefined;
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  const outBefore: Record<string, unknown> = {};
  const outAfter: Record<string, unknown> = {};
  for (const key of keys) {
    const childPath = [...path, key];
    const secret =
      (path.length === 0 && maskedWhole(kind, key)) ||
      (!referencesOnly(kind, childPath) && (isSecretKey(key, keys) || (key === 'value' && (namesSecret(b) || namesSecret(a)))));
    const [mb, ma] = secret ? maskLeaves(b?.[key], a?.[key]) : walk(kind, childPath, b?.[key], a?.[key]);
    if (b !== undefined && key in b) outBefore[key] = mb;
    if (a !== undefined && key in a) outAfter[key] = ma;
  }
  return [b === undefined ? before : outBefore, a === undefined ? after : outAfter];
}

/**
 * Two versions of one object (either may be absent) with their secret-like values masked: any
 * literal under a secret-like key (`isSecretKey`), all of `stringData`, all of a Secret's `data`.
 * ExternalSecret store references stay readable.
 */
export function maskPair(before: ApiObjectJson | undefined, after: ApiObjectJson | undefined): [ApiObjectJson | undefined, ApiObjectJson | undefined] {
  const kind = (after ?? before)?.kind ?? '';
  const [b, a] = walk(kind, [], before, after);
  return [b as ApiObjectJson | undefined, a as ApiObjectJson | undefined];
}

/** One object with its secret-like values masked. */
export function maskObject(object: ApiObjectJson): ApiObjectJson {
  return maskPair(object, undefined)[0] as ApiObjectJson;
}
