/**
 * Field paths over plain JSON objects: the patterns rules and declarations are written in
 * (`spec.volumeClaimTemplates[].spec.storageClassName`, `data.*`, `metadata.labels["a.b/c"]`),
 * their expansion into the concrete paths an object has, and the parity-style formatting of a
 * concrete path (`spec.template.spec.volumes[0].persistentVolumeClaim.claimName`).
 */
import { isRecord } from '../../json';

export { jsonEqual } from '../../json';

/** One step of a concrete path: an object key or an array index. */
export type Segment = string | number;

/** One step of a pattern: a key, every array item (`[]`), or every map key (`*`). */
type PatternStep = { readonly key: string } | { readonly each: 'item' | 'key' };

export type Json = unknown;
export type JsonMap = Record<string, Json>;

/** A JSON mapping (not null, not an array). */
export const isMap: (value: Json) => value is JsonMap = isRecord;

const STEP = /\["((?:[^"\\]|\\.)*)"\]|\[\]|([^.[\]]+)/g;

/** Parses a path pattern; an error names the pattern when part of it is not a step. */
export function parsePattern(pattern: string): PatternStep[] {
  const steps: PatternStep[] = [];
  for (const match of pattern.matchAll(STEP)) {
    if (match[1] !== undefined) steps.push({ key: JSON.parse(`"${match[1]}"`) as string });
    else if (match[0] === '[]') steps.push({ each: 'item' });
    else if (match[2] === '*') steps.push({ each: 'key' });
    else steps.push({ key: match[2] ?? '' });
  }
  const leftOver = pattern.replace(STEP, '').replace(/\./g, '');
  if (leftOver !== '' || steps.length === 0) {
    throw new Error(`path pattern "${pattern}" is not dot-separated keys, [], * and ["quoted keys"]`);
  }
  return steps;
}

/** Every concrete path of `root` that matches `pattern` and holds a value (not undefined). */
export function expand(root: Json, pattern: string): Segment[][] {
  let found: { path: Segment[]; value: Json }[] = [{ path: [], value: root }];
  for (const step of parsePattern(pattern)) {
    const next: typeof found = [];
    for (const { path, value } of found) {
      if ('key' in step) {
        if (isMap(value) && value[step.key] !== undefined) next.push({ path: [...path, step.key], value: value[step.key] });
      } else if (step.each === 'item' && Array.isArray(value)) {
        value.forEach((item, index) => next.push({ path: [...path, index], value: item }));
      } else if (step.each === 'key' && isMap(value)) {
        for (const key of Object.keys(value)) next.push({ path: [...path, key], value: value[key] });
      }
    }
    found = next;
  }
  return found.map((entry) => entry.path);
}

/** The value at a concrete path, or undefined. */
export function getAt(root: Json, path: readonly Segment[]): Json {
  return path.reduce<Json>((value, segment) => {
    if (typeof segment === 'number') return Array.isArray(value) ? value[segment] : undefined;
    return isMap(value) ? value[segment] : undefined;
  }, root);
}

/** Sets the value at a concrete path, creating maps on the way (never arrays). */
export function setAt(root: JsonMap, path: readonly Segment[], value: Json): void {
  let current: Json = root;
  path.forEach((segment, index) => {
    const last = index === path.length - 1;
    const container = current as Record<string | number, Json>;
    if (last) {
      container[segment] = value;
      return;
    }
    if (container[segment] === undefined) container[segment] = {};
    current = container[segment];
  });
}

/** A concrete path in the format parity reports: `a.b[0]["c.d/e"]`. */
export function formatPath(path: readonly Segment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) return text === '' ? segment : `${text}.${segment}`;
    return `${text}[${JSON.stringify(segment)}]`;
  }, '');
}

/**
 * A deep copy of plain JSON, so the transform never mutates its input. Through text, not
 * structuredClone: a value the input shares between two places (one labels object used as
 * metadata and selector) must become two values, or one edit would land twice.
 */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

