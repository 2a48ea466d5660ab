/**
 * Where a value sits in an object, for the policies that walk every field of every object
 * (names, parity): a chain of steps, written out (`spec.template.metadata.labels["app"]`) only
 * when a problem is reported. Writing each field's path as the walk went allocated ~100 MB of
 * strings per policy over the bench fleet's 20,000 objects, for a handful of problems.
 */
export type Where = { readonly parent: Where; readonly step: string | number } | undefined;

/** `step` (a key, or an array index) below `parent`. */
export function at(parent: Where, step: string | number): Where {
  return { parent, step };
}

/** `metadata.labels["app.kubernetes.io/name"]`, `spec.tolerations[0].key`: the policies' path style. */
export function keyPath(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The path `where` stands for, in the policies' path style; `''` for the object itself. */
export function pathOf(where: Where): string {
  if (where === undefined) return '';
  const parent = pathOf(where.parent);
  return typeof where.step === 'number' ? `${parent}[${where.step}]` : keyPath(parent, where.step);
}
