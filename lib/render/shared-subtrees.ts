/**
 * Hash-consing of rendered objects (issue 11, goal 4: memory): every part of an object that is
 * equal to a part already seen in the same render becomes that part itself, so each distinct
 * subtree is held once. An estate renders the same apps on many clusters, prod and DR alike, and
 * their objects differ in a few strings (hosts, names, storage classes): on the 40k bench fleet,
 * 468,000 objects and arrays in all hold 37,600 distinct ones, and what the render cache keeps of
 * the units' objects went from 37 to about 4 MB (forced collections, `heapUsed`). The render
 * shares through the same table what else it keeps per unit and alike across clusters: the
 * twin's changed paths, the file lists, the policy answers, the lists of reads
 * (../render/render-environment.ts; 16 MB more at 40k).
 *
 * Parts are shared, so they are frozen: whatever would change one rendered object after this
 * would change every object sharing the part, and a frozen part makes that a TypeError instead.
 * Each shared part is a copy made by setting its keys one by one on `{}`, so V8 gives copies
 * with the same keys one hidden class (the classes cdk8s generates return
 * `{ ...GVK, ...toJson_Props(resolved) }`, and V8 gives each object made so a class of its own).
 *
 * Written by hand for speed: children are shared before their parent, so two parts are equal
 * when their keys are and their children are the same values (`Object.is`), one shallow
 * comparison; candidates are found by a hash of what is compared (a long string by its ends).
 * No string is built and nothing is allocated for a part found shared. Measured: 200-250 ms of
 * the fresh 20k render (timed around each unit's sharing, three runs; a first version that keyed
 * parts by their text took 640 ms at 40k where this one takes 260-290). It is paid back: the
 * collector no longer copies and marks the duplicates, and the render checks each distinct object
 * once against its schema and the object policies (./validate.ts `CheckedObjects`,
 * ./policies/scoped.ts `CleanObjects`), which the 64% of objects that repeat one seen before
 * no longer cost. A round that shared parts without those measured 0.3 s more at 20k (README).
 */
import { isPlainMap } from '../json';

/** A shared part: a frozen plain object or array whose children are shared parts or scalars. */
type Part = Readonly<Record<string, unknown>> | readonly unknown[];

/** 32-bit mixing of a running hash with one more value (the multiply-xorshift of murmur3's finalizer, simplified). */
function mix(hash: number, value: number): number {
  const h = Math.imul(hash ^ value, 0x5bd1e995);
  return h ^ (h >>> 15);
}

/**
 * FNV-1a over at most the first and last `STRING_SAMPLE` code units and the length: a long string
 * (a script in a ConfigMap) is hashed in constant time; strings that differ only in the middle
 * share a hash and are then told apart by comparing them.
 */
const STRING_SAMPLE = 48;
function stringHash(text: string): number {
  let hash = Math.imul(0x811c9dc5 ^ text.length, 0x01000193);
  const length = text.length;
  if (length <= 2 * STRING_SAMPLE) {
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < STRING_SAMPLE; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    for (let i = length - STRING_SAMPLE; i < length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash;
}

const TRUE = 0x51ed270b;
const FALSE = 0x1b873593;
const NULL = 0x27d4eb2f;
const UNDEFINED = 0x165667b1;
const ARRAY = 0x6a09e667;
const RECORD = 0x3243f6a8;

function scalarHash(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringHash(value);
    case 'number':
      // Integers by value; others by their text (-0 and 0 differ, as Object.is says).
      return Number.isInteger(value) && !Object.is(value, -0) ? mix(0x3c6ef372, value | 0) ^ Math.floor(value / 0x100000000) : stringHash(Object.is(value, -0) ? '-0' : String(value));
    case 'boolean':
      return value ? TRUE : FALSE;
    case 'undefined':
      return UNDEFINED;
    default:
      return value === null ? NULL : stringHash(String(value));
  }
}

/**
 * The parts of one render, by hash. A render makes its own table and lets it go at its end: the
 * parts stay shared between the objects that hold them.
 */
export class SubtreeTable {
  /** The first part made with each hash. */
  private readonly byHash = new Map<number, Part>();
  /** Further parts with a hash taken already (different parts whose hashes collide). */
  private readonly collisions = new Map<number, Part[]>();
  /** Key hashes: keys are few and repeat (`metadata`, `name`…), and a string keeps its own hash for a Map. */
  private readonly keyHashes = new Map<string, number>();

  /**
   * The children of the parts being shared, in a stack: the part at `[base, top)`, its own
   * children's parts above while they are shared. A part found shared already (most of them)
   * is then neither copied nor listed: nothing is allocated for it.
   */
  private readonly keys: string[] = [];
  private readonly values: unknown[] = [];
  private top = 0;
  /** The hash of what `shareValue` returned last. */
  private hash = 0;

  /**
   * `value` with every part equal to one shared before replaced by it, the rest copied, shared
   * and frozen. `value` itself is left as it is. Scalars, and objects that are not plain data
   * (a class instance, a Date), are returned as they are.
   */
  public share<T>(value: T): T {
    return this.shareValue(value) as T;
  }

  private shareValue(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) {
      this.hash = scalarHash(value);
      return value;
    }
    if (Array.isArray(value)) return this.shareArray(value);
    if (!isPlainMap(value)) {
      this.hash = stringHash(String(value));
      return value;
    }
    return this.shareRecord(value as Record<string, unknown>);
  }

  private shareArray(array: readonly unknown[]): unknown {
    const base = this.top;
    let hash = mix(ARRAY, array.length);
    for (let i = 0; i < array.length; i++) {
      const item = this.shareValue(array[i]);
      hash = mix(hash, this.hash);
      this.values[this.top++] = item;
    }
    let part = this.find(hash, base, true);
    if (part === undefined) {
      const items: unknown[] = new Array(this.top - base);
      for (let i = base; i < this.top; i++) items[i - base] = this.values[i];
      part = this.add(hash, Object.freeze(items));
    }
    this.top = base;
    this.hash = hash;
    return part;
  }

  private shareRecord(record: Readonly<Record<string, unknown>>): unknown {
    const base = this.top;
    let hash = RECORD;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const value = this.shareValue(record[key]);
      hash = mix(mix(hash, this.keyHash(key)), this.hash);
      this.keys[this.top] = key;
      this.values[this.top++] = value;
    }
    let part = this.find(hash, base, false);
    if (part === undefined) {
      const copy: Record<string, unknown> = {};
      for (let i = base; i < this.top; i++) copy[this.keys[i] as string] = this.values[i];
      part = this.add(hash, Object.freeze(copy));
    }
    this.top = base;
    this.hash = hash;
    return part;
  }

  private keyHash(key: string): number {
    let hash = this.keyHashes.get(key);
    if (hash === undefined) {
      hash = stringHash(key);
      this.keyHashes.set(key, hash);
    }
    return hash;
  }

  /** The shared part equal to the one at `[base, top)` of the stack, if any. */
  private find(hash: number, base: number, array: boolean): Part | undefined {
    const first = this.byHash.get(hash);
    if (first === undefined) return undefined;
    if (this.isAt(first, base, array)) return first;
    for (const candidate of this.collisions.get(hash) ?? []) if (this.isAt(candidate, base, array)) return candidate;
    return undefined;
  }

  /** Whether `part` has exactly the keys (in order) and values at `[base, top)`. */
  private isAt(part: Part, base: number, array: boolean): boolean {
    if (Array.isArray(part) !== array) return false;
    const length = this.top - base;
    if (array) {
      const items = part as readonly unknown[];
      if (items.length !== length) return false;
      for (let i = 0; i < length; i++) if (!Object.is(items[i], this.values[base + i])) return false;
    } else {
      let i = base;
      for (const key in part) {
        if (i === this.top || key !== this.keys[i] || !Object.is((part as Readonly<Record<string, unknown>>)[key], this.values[i])) return false;
        i += 1;
      }
      if (i !== this.top) return false;
    }
    return true;
  }

  private add(hash: number, part: Part): Part {
    if (!this.byHash.has(hash)) this.byHash.set(hash, part);
    else {
      const more = this.collisions.get(hash);
      if (more === undefined) this.collisions.set(hash, [part]);
      else more.push(part);
    }
    return part;
  }
}
