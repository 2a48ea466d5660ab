/**
 * The render cache file's read sets (./unit-cache-file.ts): every ReadSet packed into a few flat
 * arrays and unpacked again, and a set loaded from a file saved again by copying its ids.
 */
import { ReadSet, type SealedReads } from '../cache/reads';

/**
 * Every ReadSet, packed into a few flat arrays (sets, then their objects' groups, then reads),
 * keys and observations as indexes into one table of strings: a quarter million reads as arrays
 * of four took 500 ms to deserialize, and as many objects to collect (measured, 20k-object fleet).
 */
export interface SavedReadSets {
  /** Every key and observation, each once. */
  readonly strings: string[];
  /** Where each set's groups end, and its includes (earlier sets). */
  readonly setEnds: Uint32Array;
  readonly includeEnds: Uint32Array;
  readonly includes: Uint32Array;
  /** Per group: its path (an index into `paths`), where its reads end, the object it was read of. */
  readonly groupPaths: Uint32Array;
  readonly groupEnds: Uint32Array;
  readonly targets: (object | undefined)[];
  /** Per read. */
  readonly ops: Uint8Array;
  readonly keys: Uint32Array;
  readonly seen: Uint32Array;
}

/**
 * Where a loaded set's reads are in the arrays of the file it came from, by its packed reads (a
 * set that notes a read later is packed anew). Saved again, an unchanged set's ids are copied
 * from there, the file's tables of strings and paths being kept as they were: looking up two
 * strings per read cost 100-150 ms of a save on the bench fleet's 300,000 reads (measured).
 */
interface LoadedPacking {
  readonly from: SavedReadSets;
  readonly paths: readonly (readonly string[])[];
  readonly groups: readonly [start: number, end: number];
  readonly reads: readonly [start: number, end: number];
}
const loadedPackings = new WeakMap<SealedReads, LoadedPacking>();

/** Past this many strings or paths, the tables of a loaded file are not kept as they were: a save packs every set anew, dropping those no set reads any more. */
const KEPT_TABLE_LIMIT = 100_000;

/**
 * Builds `SavedReadSets`: sets are added in the order of their ids, then packed in one pass into
 * arrays of their final size (pushing half a million numbers and copying them out cost 0.3-0.4 s
 * of a save on the bench fleet).
 */
export class ReadSetPacker {
  private readonly sets: { readonly sealed: SealedReads; readonly includes: readonly number[] }[] = [];

  /** Adds a set's packed reads and the ids of the sets it includes; returns its id. */
  public add(sealed: SealedReads, includes: readonly number[]): number {
    this.sets.push({ sealed, includes });
    return this.sets.length - 1;
  }

  /** The packed sets, and the table of the paths their groups name. */
  public saved(): { readonly readSets: SavedReadSets; readonly paths: readonly (readonly string[])[] } {
    let groupCount = 0;
    let readCount = 0;
    let includeCount = 0;
    for (const { sealed, includes } of this.sets) {
      groupCount += sealed.paths.length;
      readCount += sealed.keys.length;
      includeCount += includes.length;
    }
    // The tables of the file the sets were loaded from, kept as they were (their ids stand).
    const base = this.sets.map(({ sealed }) => loadedPackings.get(sealed)).find((packing) => packing !== undefined);
    const kept = base !== undefined && base.from.strings.length <= KEPT_TABLE_LIMIT && base.paths.length <= KEPT_TABLE_LIMIT ? base : undefined;
    const strings = new Map<string, number>(kept?.from.strings.map((value, id) => [value, id]));
    const stringId = (value: string): number => {
      let id = strings.get(value);
      if (id === undefined) {
        id = strings.size;
        strings.set(value, id);
      }
      return id;
    };
    const paths = new Map<readonly string[], number>(kept?.paths.map((at, id) => [at, id]));
    const pathId = (at: readonly string[]): number => {
      let id = paths.get(at);
      if (id === undefined) {
        id = paths.size;
        paths.set(at, id);
      }
      return id;
    };
    const saved = {
      setEnds: new Uint32Array(this.sets.length),
      includeEnds: new Uint32Array(this.sets.length),
      includes: new Uint32Array(includeCount),
      groupPaths: new Uint32Array(groupCount),
      groupEnds: new Uint32Array(groupCount),
      // Pushed, not preallocated: V8 serializes an array made with a length as a sparse one, key by key.
      targets: [] as (object | undefined)[],
      ops: new Uint8Array(readCount),
      keys: new Uint32Array(readCount),
      seen: new Uint32Array(readCount),
    };
    let group = 0;
    let read = 0;
    let include = 0;
    // Loaded sets that follow each other in the file they came from are copied as one run: most
    // sets are saved again in the order they were loaded in (a copy per set cost ~40 ms for
    // ~10,000 sets of ~30 reads on the bench fleet, measured).
    let run: { readonly from: SavedReadSets; readonly groups: [number, number]; readonly reads: [number, number]; readonly group: number; readonly read: number } | undefined;
    const flush = () => {
      if (run === undefined) return;
      const { from, groups, reads } = run;
      saved.groupPaths.set(from.groupPaths.subarray(groups[0], groups[1]), run.group);
      const shift = run.read - reads[0];
      for (let at = groups[0], to = run.group; at < groups[1]; at += 1, to += 1) saved.groupEnds[to] = (from.groupEnds[at] as number) + shift;
      saved.ops.set(from.ops.subarray(reads[0], reads[1]), run.read);
      saved.keys.set(from.keys.subarray(reads[0], reads[1]), run.read);
      saved.seen.set(from.seen.subarray(reads[0], reads[1]), run.read);
      run = undefined;
    };
    this.sets.forEach(({ sealed, includes }, id) => {
      const readsBefore = read;
      const packing = kept === undefined ? undefined : loadedPackings.get(sealed);
      if (packing !== undefined && packing.from === kept?.from) {
        // Loaded from the file whose tables are kept: its ids are copied as they are.
        const { from, groups, reads } = packing;
        if (run !== undefined && run.groups[1] === groups[0] && run.reads[1] === reads[0]) {
          run.groups[1] = groups[1];
          run.reads[1] = reads[1];
        } else {
          flush();
          run = { from, groups: [groups[0], groups[1]], reads: [reads[0], reads[1]], group, read };
        }
        group += groups[1] - groups[0];
        read += reads[1] - reads[0];
        for (const target of sealed.targets) saved.targets.push(target);
      } else {
        flush();
        for (let at = 0; at < sealed.paths.length; at += 1, group += 1) {
          saved.groupPaths[group] = pathId(sealed.paths[at] as readonly string[]);
          saved.groupEnds[group] = readsBefore + (sealed.ends[at] as number);
          saved.targets.push(sealed.targets[at]);
        }
        for (let at = 0; at < sealed.keys.length; at += 1, read += 1) {
          saved.ops[read] = sealed.ops.charCodeAt(at);
          saved.keys[read] = stringId(sealed.keys[at] as string);
          saved.seen[read] = stringId(sealed.seen[at] as string);
        }
      }
      for (const included of includes) saved.includes[include++] = included;
      saved.includeEnds[id] = include;
      saved.setEnds[id] = group;
    });
    flush();
    return { readSets: { strings: [...strings.keys()], ...saved }, paths: [...paths.keys()] };
  }
}

/** The sets `ReadSetPacker` saved, by id. */
export function unpackReadSets(saved: SavedReadSets, paths: readonly (readonly string[])[]): ReadSet[] {
  const sets: ReadSet[] = [];
  let group = 0;
  let include = 0;
  for (let id = 0; id < saved.setEnds.length; id += 1) {
    const groupsEnd = saved.setEnds[id] as number;
    const readsStart = group === 0 ? 0 : (saved.groupEnds[group - 1] as number);
    const readsEnd = groupsEnd === 0 ? 0 : (saved.groupEnds[groupsEnd - 1] as number);
    // Arrays of their exact size, as `ReadSet.seal` makes them (../cache/reads.ts).
    const setPaths: (readonly string[])[] = new Array(groupsEnd - group);
    const ends: number[] = new Array(groupsEnd - group);
    for (let at = group; at < groupsEnd; at += 1) {
      setPaths[at - group] = paths[saved.groupPaths[at] as number] as readonly string[];
      ends[at - group] = (saved.groupEnds[at] as number) - readsStart;
    }
    const keys: string[] = new Array(readsEnd - readsStart);
    const seen: string[] = new Array(readsEnd - readsStart);
    for (let at = readsStart; at < readsEnd; at += 1) {
      keys[at - readsStart] = saved.strings[saved.keys[at] as number] as string;
      seen[at - readsStart] = saved.strings[saved.seen[at] as number] as string;
    }
    const ops = Buffer.from(saved.ops.buffer, saved.ops.byteOffset + readsStart, readsEnd - readsStart).toString('latin1');
    const sealed: SealedReads = { paths: setPaths, targets: saved.targets.slice(group, groupsEnd), ends, ops, keys, seen };
    loadedPackings.set(sealed, { from: saved, paths, groups: [group, groupsEnd], reads: [readsStart, readsEnd] });
    const includeEnd = saved.includeEnds[id] as number;
    const includes: ReadSet[] = [];
    for (; include < includeEnd; include += 1) includes.push(sets[saved.includes[include] as number] as ReadSet);
    sets.push(ReadSet.unpacked(sealed, includes));
    group = groupsEnd;
  }
  return sets;
}
