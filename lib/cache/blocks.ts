/**
 * Blocks of a document kept between renders (issue 11: the runbook of a 185-cluster estate is
 * 11 MB, rebuilt whole on every change). A block is a part computed by a pure function of the
 * environment and of some units' rendered objects: the text one section gives one cluster.
 * Each is computed under a ReadSet of its own (`./reads.ts`), which includes the reads of the
 * document around it (`level`: what the code outside any block read, including the values it
 * hands the blocks in closures); its objects are noted by unit (`noteUnitRead`). A kept block is
 * reused when every environment read holds and every unit it read has the same entry (the
 * render cache keeps an entry while the unit's render stands), so it is the text the block's
 * function would give again. A block that throws keeps nothing.
 */
import { compact } from '../flat';
import { ReadSet, withReads, type Verifier } from './reads';

export interface KeptBlock {
  /** Its reads, `level` of the render that made it included. */
  readonly reads: ReadSet;
  /** Each unit it read, with the entry that unit had when the block was made. */
  readonly from: readonly (readonly [path: string, entry: object])[];
  /** Strings, arrays of strings or undefined, as the cache file keeps them. */
  readonly value: unknown;
}

/** A block's value with its strings `compact`: it is kept, and kept ropes or two-byte copies cost up to several times their text (../flat.ts). */
function kept(value: unknown): unknown {
  if (typeof value === 'string') return compact(value);
  if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? compact(item) : item));
  return value;
}

export class BlockCache {
  /** What the document read outside its blocks; every block made in this render includes it. */
  public readonly level = new ReadSet();
  /** Keys asked in this render: a key asked twice is not cached the second time. */
  private readonly asked = new Set<string>();
  private readonly made = new Map<string, { readonly reads: ReadSet; readonly value: unknown }>();
  private reusedCount = 0;
  /** Keys of the blocks computed in this render, in the order asked. */
  public readonly computed: string[] = [];

  /**
   * `kept`: the blocks of the last render, replaced by this render's in `finish`; `entryAt`:
   * the entry of the unit at a folder in this render, compared by identity.
   */
  public constructor(
    private readonly kept: Map<string, KeptBlock>,
    private readonly verifier: Verifier,
    private readonly entryAt: (path: string) => object | undefined,
    /** Gives back a list equal to one seen before as that one (kept blocks' reads share their lists, `ReadSet.shareLists`). */
    private readonly share: <L extends readonly unknown[]>(list: L) => L = (list) => list,
  ) {}

  /** The block `key`: kept from the last render when what it read holds, else `compute()`'s. */
  public block<T>(key: string, compute: () => T): T {
    if (this.asked.has(key)) return withReads(new ReadSet(), compute);
    this.asked.add(key);
    const known = this.kept.get(key);
    if (known !== undefined && this.verifier.holds(known.reads) && known.from.every(([path, entry]) => this.entryAt(path) === entry)) {
      this.reusedCount += 1;
      return known.value as T;
    }
    this.kept.delete(key);
    const reads = new ReadSet();
    reads.include(this.level);
    const value = kept(withReads(reads, compute)) as T;
    reads.shareLists(this.share);
    this.made.set(key, { reads, value });
    this.computed.push(key);
    return value;
  }

  /**
   * Once the document is complete (so `level` is): keeps the blocks made with the units they
   * read, drops the ones this render did not ask for.
   */
  public finish(): void {
    for (const key of this.kept.keys()) if (!this.asked.has(key)) this.kept.delete(key);
    for (const [key, { reads, value }] of this.made) {
      const from: (readonly [string, object])[] = [];
      let complete = true;
      for (const path of reads.unitsRead()) {
        const entry = this.entryAt(path);
        // A block that read a unit this render has no entry for cannot be checked later.
        if (entry === undefined) complete = false;
        else from.push([path, entry]);
      }
      if (complete) this.kept.set(key, { reads, from, value });
    }
    this.made.clear();
  }

  /** Blocks taken from the last render so far. */
  public get reused(): number {
    return this.reusedCount;
  }
}
