/**
 * Structural sharing between two loads of one environment: every part of the new data that is
 * equal to the same part of the last render's is replaced by that part itself, and everything is
 * frozen. A read the render cache recorded of an object (`./reads.ts`) then holds at once when
 * the object now at its path is that very object: frozen, it gives every answer it gave. A
 * one-app change on the bench fleet re-checked some 250,000 reads one by one (issue 11); now the
 * reads of the unchanged parts are settled by one comparison per object.
 *
 * Only plain data (objects, arrays, primitives), as the loader makes it. Key order counts: a
 * `keys` read observes it.
 */

/**
 * `next`, with each part deep-equal to the part of `previous` at the same path replaced by the
 * latter; `previous` itself when the whole is equal. Mutates and freezes `next`'s objects.
 */
export function intern<T>(previous: unknown, next: T): T {
  return internValue(previous, next, new Map()) as T;
}

/** `value` and everything in it, frozen: for the first load, which has nothing to share with. */
export function deepFreeze<T>(value: T): T {
  return internValue(undefined, value, new Map()) as T;
}

/** `done`: the objects of `next` already interned (data reached twice), with their result. */
function internValue(previous: unknown, next: unknown, done: Map<object, unknown>): unknown {
  if (previous === next || typeof next !== 'object' || next === null) return next;
  if (done.has(next)) return done.get(next);
  const comparable = typeof previous === 'object' && previous !== null && Array.isArray(previous) === Array.isArray(next);
  const before = comparable ? (previous as Record<string, unknown>) : undefined;
  const record = next as Record<string, unknown>;
  // Data frozen already (a constant) keeps its own parts, which are still frozen in turn.
  const replaceable = !Object.isFrozen(record);
  const keys = Object.keys(record);
  let same = before !== undefined && sameKeys(Object.keys(before), keys);
  for (const key of keys) {
    const earlier = before !== undefined && Object.prototype.hasOwnProperty.call(before, key) ? before[key] : undefined;
    let value = internValue(earlier, record[key], done);
    if (value !== record[key]) {
      if (replaceable) record[key] = value;
      else value = record[key];
    }
    if (value !== earlier) same = false;
  }
  // Frozen even when `before` takes its place: a frozen parent may still hold it.
  Object.freeze(record);
  const result = same ? before : record;
  done.set(record, result);
  return result;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
