/** Plain JSON values as rendered objects and parsed files hold them: one helper per question. */

/** A JSON object (a mapping): not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of plain JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]));
  }
  return false;
}

/**
 * A copy with every map's keys in code-unit order, the order cdk8s's `toJson()` gives: objects
 * edited after synthesis (a twin, a stamped label) read exactly like ones cdk8s wrote.
 */
export function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeys) as T;
  if (!isRecord(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys(value[key]);
  return sorted as T;
}

/** Whether a JSON text round trip leaves `value` (a scalar) exactly as it is. */
export function survivesJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      // JSON writes non-finite numbers as null and -0 as 0.
      return Number.isFinite(value) && !Object.is(value, -0);
    default:
      return value === null;
  }
}

export function isPlainMap(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether a JSON round trip gives `value` back unchanged but for sharing: a walk that allocates nothing. */
export function isJsonExact(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return survivesJson(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) if (!isJsonExact(value[index])) return false;
    return true;
  }
  if (!isPlainMap(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (key === '__proto__' || !isJsonExact((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
