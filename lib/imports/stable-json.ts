/**
 * JSON text with object keys in sorted order, so generated files are byte-identical across runs
 * whatever order their inputs listed keys in. Arrays keep their order (it carries meaning).
 */
export function stableStringify(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

/** A deep copy of `value` whose objects have their keys in sorted (code point) order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareCodePoints)) {
      sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return sorted;
  }
  return value;
}

/** Locale-independent ordering: `localeCompare` would make the output depend on the machine. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
