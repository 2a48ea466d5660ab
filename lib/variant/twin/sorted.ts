/**
 * `sortedKeys(cloneJson(value))` without the copy where it is not needed: rendered objects come
 * out of cdk8s almost sorted already, so a walk that keeps every subtree whose keys are already
 * in code-unit order allocates only for the few maps that are not. Measured on the bench fleet's
 * app objects (old and new interleaved in one process, best of 15): `stampVariant` went from
 * 14 µs to 6 µs an object (~0.29 s → ~0.13 s for 20k), with far less garbage. The result shares subtrees with its input, which is
 * safe because rendered objects are never mutated after synthesis (`ApiObjectJson` is readonly).
 */
import { isPlainMap, survivesJson } from '../../json';
import type { Json, JsonMap } from './paths';

/** Whether the keys are in strictly increasing code-unit order, as `Array.prototype.sort` leaves them. */
function inOrder(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index++) {
    if ((keys[index - 1] as string) >= (keys[index] as string)) return false;
  }
  return true;
}

/**
 * `value` with every map's keys in code-unit order (exactly as `sortedKeys` orders them), sharing
 * each subtree that already is; `undefined` when a JSON round trip would change something (an
 * undefined property or item, a non-finite number or -0, a class instance, a function): the
 * caller then takes the slow, exact path.
 */
export function sortedSharing(value: Json): Json | undefined {
  if (typeof value !== 'object' || value === null) return survivesJson(value) ? value : undefined;
  if (Array.isArray(value)) {
    let copy: Json[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: Json = value[index];
      const sorted = sortedSharing(item);
      if (sorted === undefined) return undefined;
      if (sorted !== item) {
        copy ??= value.slice(0, index);
        copy.push(sorted);
      } else if (copy) copy.push(item);
    }
    return copy ?? value;
  }
  if (!isPlainMap(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
  const map = value as JsonMap;
  const keys = Object.keys(map);
  let changed = !inOrder(keys);
  const children: Json[] = [];
  for (const key of keys) {
    // Assigning `__proto__` (as `sortedKeys` does) drops it: leave that to the exact path.
    if (key === '__proto__') return undefined;
    const child = map[key];
    const sorted = sortedSharing(child);
    if (sorted === undefined) return undefined;
    if (sorted !== child) changed = true;
    children.push(sorted);
  }
  if (!changed) return map;
  const byKey = new Map(keys.map((key, index) => [key, children[index]]));
  const out: JsonMap = {};
  for (const key of [...keys].sort()) out[key] = byKey.get(key);
  return out;
}

/** A sorted copy of the sorted map `map` with `key` set to `value` (added in order, or replaced). */
export function withKey(map: JsonMap, key: string, value: Json): JsonMap {
  const copy: JsonMap = { ...map, [key]: value };
  const keys = Object.keys(copy);
  if (inOrder(keys)) return copy;
  const out: JsonMap = {};
  for (const each of keys.sort()) out[each] = copy[each];
  return out;
}
