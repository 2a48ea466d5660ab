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

/** Parsed patterns: the rule table's few dozen patterns are parsed once, not once per object (~50 ms of the bench fleet's twin). */
const parsed = new Map<string, readonly PatternStep[]>();
const PARSED_LIMIT = 10_000;

/** Parses a path pattern; an error names the pattern when part of it is not a step. */
export function parsePattern(pattern: string): readonly PatternStep[] {
  const known = parsed.get(pattern);
  if (known !== undefined) return known;
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
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(pattern, steps);
  return steps;
}

/**
 * Every concrete path of `root` that matches `pattern` and holds a value (not undefined), in
 * document order. Depth first on one path stack, copied only for each match: the breadth-first
 * version copied every partial path and cost ~2× as much in the twin.
 */
export function expand(root: Json, pattern: string): Segment[][] {
  const found: Segment[][] = [];
  expandFrom(root, parsePattern(pattern), 0, [], found);
  return found;
}

/**
 * The matches below `value` of `steps` from `depth`, `path` leading to it. Module-level rather
 * than closures made per call: the twin expands a dozen patterns per object, most matching
 * nothing, and the closures were a third of what it allocated.
 */
function expandFrom(value: Json, steps: readonly PatternStep[], depth: number, path: Segment[], found: Segment[][]): void {
  const step = steps[depth];
  if (step === undefined) {
    found.push(path.slice());
    return;
  }
  if ('key' in step) {
    if (isMap(value) && value[step.key] !== undefined) {
      path.push(step.key);
      expandFrom(value[step.key], steps, depth + 1, path, found);
      path.pop();
    }
  } else if (step.each === 'item' && Array.isArray(value)) {
    // As forEach did: holes are skipped, explicit undefined items are not.
    for (let index = 0; index < value.length; index += 1) {
      if (!(index in value)) continue;
      path.push(index);
      expandFrom(value[index] as Json, steps, depth + 1, path, found);
      path.pop();
    }
  } else if (step.each === 'key' && isMap(value)) {
    for (const key of Object.keys(value)) {
      path.push(key);
      expandFrom(value[key], steps, depth + 1, path, found);
      path.pop();
    }
  }
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
 * `root` with `value` at `path`, copying only the maps and arrays on the way (and making the
 * missing maps), so `root` itself is never changed; undefined when a step is not a map key or
 * an index inside an array, where `setAt` on a copy decides what happens.
 */
export function withAt(root: Json, path: readonly Segment[], value: Json, depth = 0): Json | undefined {
  if (depth === path.length) return value;
  const segment = path[depth] as Segment;
  if (typeof segment === 'number') {
    if (!Array.isArray(root) || !(segment in root) || root[segment] === undefined) return undefined;
    const child = withAt(root[segment], path, value, depth + 1);
    if (child === undefined) return undefined;
    const copy = root.slice();
    copy[segment] = child;
    return copy;
  }
  // Assigning `__proto__` does not make a key: leave it to `setAt`.
  if (!isMap(root) || segment === '__proto__') return undefined;
  const current = root[segment];
  const child = withAt(current === undefined ? {} : current, path, value, depth + 1);
  return child === undefined ? undefined : { ...root, [segment]: child };
}

/** A copy of every array and plain map of `value`, everything else as it is: an editable tree, nothing normalized. */
export function copyTree(value: Json): Json {
  if (Array.isArray(value)) return value.map(copyTree);
  if (!isMap(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: JsonMap = {};
  for (const key of Object.keys(value)) copy[key] = copyTree(value[key]);
  return copy;
}

/**
 * A deep copy of plain JSON, so the transform never mutates its input. Through text, not
 * structuredClone: a value the input shares between two places (one labels object used as
 * metadata and selector) must become two values, or one edit would land twice.
 */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

