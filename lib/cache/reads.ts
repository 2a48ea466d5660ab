/**
 * What a computation read of its input, so that a later render can tell, without running it
 * again, whether it would see the same input: the unit cache's notion of "the environment slice
 * a unit reads" (issue 11). Nothing declares its slice by hand, so nothing can forget a field:
 * the render reads the Environment through `trackReads`, a Proxy that notes every observation
 * (a property's value, whether a key exists, which keys an object has) into the `ReadSet` of the
 * computation now running (`withReads`).
 *
 * Why this is sound: a render is a deterministic function of the Environment (charts/estate.ts:
 * no file, clock or process environment). If every observation it made of the old Environment
 * gives the same answer on the new one, it takes the same path through the code and returns
 * the same result. Paths are recorded from the root, and each path has its own proxy, so an
 * object reached two ways is observed, and checked, at both.
 *
 * Values shared between computations (a memo filled by the first unit that needs it, an index
 * built once per environment) carry their own ReadSet, which every user includes by reference
 * (`recordedMemo`): the second user depends on what the first one read for it.
 */

/** What a computation observed, as the unit cache stores it. */
export interface Read {
  /** Path from the root to the object observed. */
  readonly at: readonly string[];
  /** `get` a property's value, `has` a key's presence, `keys` the own string keys. */
  readonly op: 'get' | 'has' | 'keys';
  /** The property or key; empty for `keys`. */
  readonly key: string;
  /** The observation, encoded by `observe`/`observeKeys`. */
  readonly seen: string;
}

/** Operations by their index in a sealed set. */
const OPS: readonly Read['op'][] = ['get', 'has', 'keys'];

/** `SealedReads.ops` of `count` reads that are all `get` (most sets): cut from one string, without making a buffer and a string each. */
let gets = '';
function onlyGets(count: number): string {
  if (gets.length < count) gets = '\u0000'.repeat(Math.max(count, 2 * gets.length, 1024));
  return gets.slice(0, count);
}

/**
 * A ReadSet once its computation is over: its reads in flat arrays, grouped by path. Measured on
 * the bench fleet's 250,000 reads: 50 MB as maps of Read objects, about a third of that sealed.
 */
export interface SealedReads {
  readonly paths: readonly (readonly string[])[];
  /** The object each path led to when it was read, or last verified (`everyRead`); see `Group`. */
  readonly targets: (object | undefined)[];
  /** Where each path's reads end in the arrays below. */
  readonly ends: readonly number[];
  /** Each read's op, as the character whose code is its index in `OPS`: a byte a read. */
  readonly ops: string;
  readonly keys: readonly string[];
  readonly seen: readonly string[];
}

/**
 * The reads of one object while the computation runs, with the object itself: frozen (as the
 * render cache's environments are, `./intern.ts`), the same object at the same path later gives
 * the same answers, so its reads hold without being checked one by one.
 */
interface Group {
  target: object | undefined;
  readonly reads: Map<string, Read>;
}

/** The reads of one computation, and the shared ones it used. */
export class ReadSet {
  /**
   * While the computation runs: by the path of the object observed (each tracked object has one
   * path array, so identity serves), then by `key` for `get`, `\u0001key` for `has`, `\u0002` for
   * `keys`. Undefined once sealed.
   */
  private own: Map<readonly string[], Group> | undefined = new Map();
  private sealed: SealedReads | undefined;
  private count = 0;
  /** Arrays, not Sets: a set includes at most a few dozen (25 on the bench fleet), and an empty Set costs 160 bytes. */
  private shared: ReadSet[] | undefined;
  /** Folders of the rendered units whose objects the computation read (`noteUnitRead`). */
  private unitPaths: string[] | undefined;

  /** A set of reads made before, packed as `packed` gives them (the cache file keeps them so). */
  public static unpacked(sealed: SealedReads, includes: Iterable<ReadSet>): ReadSet {
    const set = new ReadSet();
    set.own = undefined;
    set.sealed = sealed;
    set.count = sealed.keys.length;
    for (const shared of includes) set.include(shared);
    return set;
  }

  /** Its own reads, packed (the shared ones are `includes()`). */
  public packed(): SealedReads {
    this.seal();
    return this.sealed as SealedReads;
  }

  /** Notes an observation; the first of each (object, op, key) is the one that counts. */
  public note(node: TrackedNode, op: Read['op'], key: string, value: unknown): void {
    const reads = this.readsAt(node.path, node.raw);
    const id = op === 'get' ? key : op === 'has' ? `\u0001${key}` : '\u0002';
    // Checked before the observation is encoded: most reads repeat one already noted.
    if (!reads.has(id)) {
      const seen = op === 'get' ? observe(value) : op === 'has' ? (value ? 't' : 'f') : observeKeys(value as object);
      reads.set(id, { at: node.path, op, key, seen });
      this.count += 1;
    }
  }

  private add(read: Read): void {
    const reads = this.readsAt(read.at, undefined);
    const id = read.op === 'get' ? read.key : read.op === 'has' ? `\u0001${read.key}` : '\u0002';
    if (!reads.has(id)) {
      reads.set(id, read);
      this.count += 1;
    }
  }

  private readsAt(at: readonly string[], target: object | undefined): Map<string, Read> {
    const own = this.unsealed();
    let group = own.get(at);
    if (group === undefined) {
      group = { target, reads: new Map() };
      own.set(at, group);
    }
    return group.reads;
  }

  /**
   * Packs the reads into flat arrays once the computation is over (`withReads` does it on the
   * way out); a later observation unpacks them first, so sealing never loses one.
   */
  public seal(): void {
    const own = this.own;
    if (own === undefined) return;
    // Arrays of their exact size: grown by `push`, each kept room for 17 items or half again as
    // many as it held, and a typed array costs 200 bytes before its first item (measured).
    const paths: (readonly string[])[] = new Array(own.size);
    const targets: (object | undefined)[] = new Array(own.size);
    const ends: number[] = new Array(own.size);
    let ops: Buffer | undefined;
    const keys: string[] = new Array(this.count);
    const seen: string[] = new Array(this.count);
    let group = 0;
    let at = 0;
    for (const [path, { target, reads }] of own) {
      for (const read of reads.values()) {
        if (read.op !== 'get') (ops ??= Buffer.alloc(this.count))[at] = OPS.indexOf(read.op);
        keys[at] = read.key;
        seen[at] = read.seen;
        at += 1;
      }
      ends[group] = at;
      paths[group] = path;
      targets[group] = target;
      group += 1;
    }
    this.sealed = { paths, targets, ends, ops: ops === undefined ? onlyGets(this.count) : ops.toString('latin1'), keys, seen };
    this.own = undefined;
    if (this.shared !== undefined) this.shared = this.shared.slice();
    if (this.unitPaths !== undefined) this.unitPaths = this.unitPaths.slice();
  }

  /**
   * Once sealed: its lists of keys, observations and group ends given to `share`, which gives
   * back an equal list seen before as that one (../render/shared-subtrees.ts). The same app on
   * many clusters reads the same keys and mostly sees the same values; only the paths differ.
   */
  public shareLists(share: <L extends readonly unknown[]>(list: L) => L): void {
    const sealed = this.sealed;
    if (sealed === undefined) return;
    this.sealed = { ...sealed, ends: share(sealed.ends), keys: share(sealed.keys), seen: share(sealed.seen) };
  }

  private unsealed(): Map<readonly string[], Group> {
    if (this.own !== undefined) return this.own;
    // Read out of the packed arrays before the maps take their place.
    const reads = [...this.reads()];
    const sealed = this.sealed as SealedReads;
    const own = new Map<readonly string[], Group>();
    sealed.paths.forEach((path, group) => own.set(path, { target: sealed.targets[group], reads: new Map() }));
    this.own = own;
    this.sealed = undefined;
    this.count = 0;
    for (const read of reads) this.add(read);
    return own;
  }

  /** Notes that the objects rendered for the unit at `path` were read. */
  public noteUnit(path: string): void {
    const paths = (this.unitPaths ??= []);
    if (!paths.includes(path)) paths.push(path);
  }

  /** The units whose objects this computation read, its shared reads' included, each once. */
  public unitsRead(into = new Set<string>(), visited = new Set<ReadSet>()): Set<string> {
    if (visited.has(this)) return into;
    visited.add(this);
    for (const path of this.unitPaths ?? []) into.add(path);
    for (const shared of this.shared ?? []) shared.unitsRead(into, visited);
    return into;
  }

  public include(other: ReadSet): void {
    if (other === this) return;
    const shared = (this.shared ??= []);
    if (!shared.includes(other)) shared.push(other);
  }

  public *reads(): IterableIterator<Read> {
    if (this.own !== undefined) {
      for (const { reads } of this.own.values()) yield* reads.values();
      return;
    }
    const sealed = this.sealed as SealedReads;
    let at = 0;
    for (let group = 0; group < sealed.paths.length; group += 1) {
      const path = sealed.paths[group] as readonly string[];
      for (const end = sealed.ends[group] as number; at < end; at += 1) {
        yield { at: path, op: OPS[sealed.ops.charCodeAt(at)] as Read['op'], key: sealed.keys[at] as string, seen: sealed.seen[at] as string };
      }
    }
  }

  /**
   * Whether `holds` answers true for every read, each object's reads together: `resolve` gives
   * the object now at a path, once per path. Stops at the first read that does not hold.
   *
   * An object's reads are not checked when the object now at their path is the frozen object
   * they were read of (or last found to hold of): it answers as it did. Once they all hold of
   * another frozen object, that object takes its place, so the next check of it is that one
   * comparison too (a set loaded from the cache file starts with none).
   */
  public everyRead(resolve: (path: readonly string[]) => unknown, holds: (target: unknown, op: Read['op'], key: string, seen: string) => boolean): boolean {
    if (this.own !== undefined) {
      for (const [path, group] of this.own) {
        const target = resolve(path);
        if (sameFrozen(target, group.target)) continue;
        for (const read of group.reads.values()) if (!holds(target, read.op, read.key, read.seen)) return false;
        if (isFrozenObject(target)) group.target = target;
      }
      return true;
    }
    const { paths, targets, ends, ops, keys, seen } = this.sealed as SealedReads;
    let at = 0;
    for (let group = 0; group < paths.length; group += 1) {
      const target = resolve(paths[group] as readonly string[]);
      const end = ends[group] as number;
      if (sameFrozen(target, targets[group])) {
        at = end;
        continue;
      }
      for (; at < end; at += 1) {
        if (!holds(target, OPS[ops.charCodeAt(at)] as Read['op'], keys[at] as string, seen[at] as string)) return false;
      }
      if (isFrozenObject(target)) targets[group] = target;
    }
    return true;
  }

  public includes(): IterableIterator<ReadSet> {
    return (this.shared ?? EMPTY_SHARED).values();
  }

  public get size(): number {
    return this.count;
  }
}

const EMPTY_SHARED: readonly ReadSet[] = [];

function isFrozenObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.isFrozen(value);
}

/** Whether `now` is `then`, a frozen object: read again, it gives the answers it gave. */
function sameFrozen(now: unknown, then: object | undefined): boolean {
  return then !== undefined && now === then && Object.isFrozen(now);
}

let current: ReadSet | undefined;

/** Runs `work` with its reads noted into `set` (nested calls note into the innermost set). */
export function withReads<T>(set: ReadSet | undefined, work: () => T): T {
  const outer = current;
  current = set;
  try {
    return work();
  } finally {
    current = outer;
    // The computation is over: its reads are packed (a set noted into again is unpacked first).
    if (set !== outer) set?.seal();
  }
}

/**
 * Notes into the current ReadSet that the objects rendered for the unit at `path` were read:
 * rendered objects are not environment data, so a computation over them (a runbook block) is
 * valid while the same units' renders stand, which its cache checks by their entries.
 */
export function noteUnitRead(path: string): void {
  current?.noteUnit(path);
}

/** Runs `work` with no reads noted: for work whose result the caller keys otherwise. */
export function untracked<T>(work: () => T): T {
  return withReads(undefined, work);
}

/** Where `recordedMemo` keeps its values: a Map, or a WeakMap for object keys. */
export interface MemoStore<K, V> {
  get(key: K): { readonly value: V; readonly reads: ReadSet } | undefined;
  set(key: K, entry: { readonly value: V; readonly reads: ReadSet }): unknown;
}

/**
 * A value computed once and shared: computed under a ReadSet of its own, which the current
 * computation includes on every call, the first included. `cache` holds one entry per key.
 */
export function recordedMemo<K, V>(cache: MemoStore<K, V>, key: K, compute: () => V): V {
  let entry = cache.get(key);
  if (entry === undefined) {
    const reads = new ReadSet();
    entry = { value: withReads(reads, compute), reads };
    cache.set(key, entry);
  }
  current?.include(entry.reads);
  return entry.value;
}

/** Encodes a value as observed: primitives exactly, objects by their kind only (their contents are observed read by read). */
/**
 * Each string value's observation, made once: the bench fleet's 300,000 reads see fewer than
 * 1,000 values, but each read's `s${value}` was a string of its own (5 MB of the render cache,
 * measured), and looked up by the value (a string the loader made, whose hash V8 keeps) it is
 * not even made again. Emptied when it grows past `OBSERVATIONS_KEPT`, so that a long-lived
 * process whose values keep changing does not keep every value it ever saw: only sharing is lost.
 */
const observedStrings = new Map<string, string>();
const OBSERVATIONS_KEPT = 100_000;

function observeString(value: string): string {
  const known = observedStrings.get(value);
  if (known !== undefined) return known;
  if (observedStrings.size >= OBSERVATIONS_KEPT) observedStrings.clear();
  const seen = `s${value}`;
  observedStrings.set(value, seen);
  return seen;
}

/**
 * The observations of the integers 0-1023, made once: counts, indexes, replicas and ports are
 * most of the numbers an estate holds, and each read's `d${value}` was a string of its own
 * (18,000 of them kept at 40k objects, measured in a heap snapshot).
 */
const SMALL_INTEGERS = Array.from({ length: 1024 }, (_, n) => `d${n}`);

export function observe(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      if (Number.isInteger(value) && value >= 0 && value < SMALL_INTEGERS.length && !Object.is(value, -0)) return SMALL_INTEGERS[value] as string;
      return Object.is(value, -0) ? 'd-0' : `d${String(value)}`;
    case 'string':
      return observeString(value);
    case 'bigint':
      return `i${String(value)}`;
    case 'object':
      return value === null ? 'n' : Array.isArray(value) ? 'a' : 'o';
    case 'function':
      // A method read through a tracked array (`clusters.map`): 34,000 reads at 40k objects,
      // each kept its own `x${typeof value}` string before this constant.
      return 'xfunction';
    default:
      // Functions and symbols do not come from YAML; observed by identity of kind only, so never equal by accident.
      return `x${typeof value}`;
  }
}

export function observeKeys(target: object): string {
  return JSON.stringify(Reflect.ownKeys(target).filter((key): key is string => typeof key === 'string'));
}

/**
 * Paths, one array per path: a child's is made once from its parent's, so the reads of one
 * object made in different renders (and loaded from the cache file) share it, and the Verifier
 * resolves each path from its parent's object with one lookup. Walking each path from the root
 * cost 35-45 ms of a one-app change on the bench fleet, most paths being resolved again in each
 * render. Kept for the process's life: as many as the environments have distinct paths.
 */
export const ROOT_PATH: readonly string[] = Object.freeze([]);
const childPaths = new WeakMap<readonly string[], Map<string, readonly string[]>>();
const parentPaths = new WeakMap<readonly string[], readonly [parent: readonly string[], key: string]>();

/** The path of `key` below `parent` (itself one of these paths). */
export function childPath(parent: readonly string[], key: string): readonly string[] {
  let byKey = childPaths.get(parent);
  if (byKey === undefined) {
    byKey = new Map();
    childPaths.set(parent, byKey);
  }
  let child = byKey.get(key);
  if (child === undefined) {
    child = Object.freeze([...parent, key]);
    byKey.set(key, child);
    parentPaths.set(child, [parent, key]);
  }
  return child;
}

/** The one array of the path `at`. */
export function sharedPath(at: readonly string[]): readonly string[] {
  return at.reduce(childPath, ROOT_PATH);
}

/** One object of the tracked tree: where it is and its proxy's children. */
interface TrackedNode {
  readonly path: readonly string[];
  readonly raw: object;
  /** The proxies of its object children, made once each: the same child proxy on every read. */
  children: Map<string, object> | undefined;
}

/**
 * A plain copy of tracked data, read (and so noted) in full: for values handed to code that may
 * clone or freeze them (an app chart's props), which a proxy would refuse.
 */
export function plainCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Where a proxy's stand-in keeps its node (a configurable property: no proxy invariant binds it). */
const NODE = Symbol('tracked node');

type StandIn = object & { [NODE]: TrackedNode };

/** The proxy of `value` at `key` below `node`, or `value` itself when it is no object. */
function childOf(node: TrackedNode, key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  node.children ??= new Map();
  let proxy = node.children.get(key);
  if (proxy === undefined) {
    proxy = tracked(value, childPath(node.path, key));
    node.children.set(key, proxy);
  }
  return proxy;
}

function readOnly(node: TrackedNode): never {
  throw new TypeError(`the environment is read-only while it is rendered (at ${node.path.join('.') || 'its root'})`);
}

/**
 * One handler for every proxy, its node on the stand-in: a handler of ten closures per object
 * seen made a render of the bench fleet's planning allocate a dozen objects per object read.
 */
const HANDLER: ProxyHandler<StandIn> = {
  get(target, key) {
    const node = target[NODE];
    const value: unknown = Reflect.get(node.raw, key);
    if (typeof key === 'symbol') return value;
    current?.note(node, 'get', key, value);
    return childOf(node, key, value);
  },
  has(target, key) {
    const node = target[NODE];
    const found = Reflect.has(node.raw, key);
    if (typeof key === 'string') current?.note(node, 'has', key, found);
    return found;
  },
  ownKeys(target) {
    const node = target[NODE];
    current?.note(node, 'keys', '', node.raw);
    const keys = Reflect.ownKeys(node.raw);
    // An array stand-in owns a non-configurable `length`, which the answer must list.
    return Array.isArray(target) && !keys.includes('length') ? [...keys, 'length'] : keys;
  },
  getOwnPropertyDescriptor(target, key) {
    const node = target[NODE];
    const descriptor = Reflect.getOwnPropertyDescriptor(node.raw, key);
    if (descriptor === undefined) return undefined;
    if (typeof key === 'string' && 'value' in descriptor) {
      current?.note(node, 'get', key, descriptor.value);
      descriptor.value = childOf(node, key, descriptor.value);
    }
    // Reported configurable unless the stand-in has it non-configurable (an array's length).
    descriptor.configurable = Reflect.getOwnPropertyDescriptor(target, key)?.configurable ?? true;
    if (!descriptor.configurable) descriptor.writable = true;
    return descriptor;
  },
  getPrototypeOf(target) {
    return Reflect.getPrototypeOf(target[NODE].raw);
  },
  set(target) {
    return readOnly(target[NODE]);
  },
  defineProperty(target) {
    return readOnly(target[NODE]);
  },
  deleteProperty(target) {
    return readOnly(target[NODE]);
  },
};

/**
 * The proxy of `raw` at `path`. Its target is a stand-in of the same kind, so that the proxy
 * invariants never bind the answers to the (possibly frozen) data; Array.isArray of the proxy
 * stays true for arrays.
 */
function tracked(raw: object, path: readonly string[]): object {
  const standIn = (Array.isArray(raw) ? [] : {}) as StandIn;
  standIn[NODE] = { path, raw, children: undefined };
  return new Proxy(standIn, HANDLER);
}

/**
 * `root` seen through a proxy that notes every observation into the current ReadSet. The data
 * must be plain (objects, arrays, primitives), as the loader makes it; writes are refused.
 */
export function trackReads<T extends object>(root: T): T {
  return tracked(root, ROOT_PATH) as T;
}

/** Whether `read` gives the same answer of `target`, the object now at its path. */
function readHoldsOf(target: unknown, op: Read['op'], key: string, seen: string): boolean {
  if (typeof target !== 'object' || target === null) return false;
  if (op === 'get') return observedAs(Reflect.get(target, key), seen);
  if (op === 'has') return (Reflect.has(target, key) ? 't' : 'f') === seen;
  return observeKeys(target) === seen;
}

/** `observe(value) === seen`, without building the encoding of a string (most values read are). */
function observedAs(value: unknown, seen: string): boolean {
  if (typeof value === 'string') return seen.length === value.length + 1 && seen.startsWith('s') && seen.endsWith(value);
  return observe(value) === seen;
}

/** Whether reads made of one root hold of another: each ReadSet checked once per Verifier. */
export class Verifier {
  private readonly verdicts = new Map<ReadSet, boolean>();
  private readonly resolved = new Map<readonly string[], unknown>();

  public constructor(private readonly root: object) {}

  public holds(set: ReadSet): boolean {
    const known = this.verdicts.get(set);
    if (known !== undefined) return known;
    // Cycles cannot occur (a memo's set is complete before anyone includes it); guard anyway.
    this.verdicts.set(set, true);
    // By path, without a generator: the render cache checks some 10^5 reads per one-app change.
    let verdict = set.everyRead(this.resolver, readHoldsOf);
    if (verdict) {
      for (const shared of set.includes()) {
        if (!this.holds(shared)) {
          verdict = false;
          break;
        }
      }
    }
    this.verdicts.set(set, verdict);
    return verdict;
  }

  public readHolds(read: Read): boolean {
    return readHoldsOf(this.resolve(read.at), read.op, read.key, read.seen);
  }

  private readonly resolver = (path: readonly string[]): unknown => this.resolve(path);

  /**
   * Resolved once per path: each tracked object's reads share its path array, so identity is the
   * key; a path made by `childPath` from its parent's object, any other from the root.
   */
  private resolve(path: readonly string[]): unknown {
    if (this.resolved.has(path)) return this.resolved.get(path);
    const link = parentPaths.get(path);
    let value: unknown;
    if (link !== undefined) {
      const parent = this.resolve(link[0]);
      value = typeof parent === 'object' && parent !== null ? Reflect.get(parent, link[1]) : undefined;
    } else {
      value = this.root;
      for (const key of path) value = typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
    }
    this.resolved.set(path, value);
    return value;
  }
}
