/**
 * The render cache between runs: one file per output folder in
 * `node_modules/.cache/twinops-render/`, never committed. It holds, per environment, each unit's
 * render and what it read (`../cache/reads.ts`), the estate policies' answers, the runbook's
 * cluster blocks (`../cache/blocks.ts`), and the writer's stamps of the files (./stamps.ts) and
 * of the folders (./folder-stamps.ts). A file of another program (`code`, the sources' hash), of
 * another format or V8, or that does not parse is ignored: the render is then fresh, never wrong.
 * Saved whole then renamed, so two renders never read a torn file; a folder that cannot be
 * written keeps nothing. A save also removes the files of output folders that are gone
 * (./cache-prune.ts).
 *
 * Written with V8's serializer, not as JSON: each string keeps its one-byte form, where a few
 * dashes of a runbook made the JSON text of the bench fleet's 78 MB cache a two-byte string
 * throughout (measured, 20k-object fleet: a CLI synth after a one-app change took 8.9 s with
 * JSON, 6.1-6.5 s with JSON escaped to ASCII, 5.1-5.5 s serialized, peak memory 0.9 GB then 0.6).
 * Units' objects are the exception: their JSON, UTF-8 in one buffer, loads and saves faster, and
 * is parsed only for the units whose objects a run reads (./restored-unit.ts).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { deepFreeze } from '../cache/intern';
import { noteOutputFolder, pruneRenderCaches } from './cache-prune';
import { ReadSet, sharedPath } from '../cache/reads';
import { ReadSetPacker, unpackReadSets, type SavedReadSets } from './read-set-packing';
import type { Environment } from '../config/environment';
import type { DerivedEntry, UnitEntry } from './unit-cache';
import { EnvironmentEntry, UnitCache } from './unit-cache';
import type { FolderStamp } from './folder-stamps';
import { digestOf, isDigest, type Stamp } from './stamps';
import { NO_SLOT, restoredPrefetchList } from './stat-prefetch';
import type { Content } from './content';
import type { ApiObjectJson, RenderedUnit } from '../model';
import { fileNamesOf, layoutOfNamedUnit, layoutOfUnit } from './layout';
import { RENDER_CACHE_FOLDER, renderCacheFile } from '../build/read-ahead.mjs';
import { readCacheFileBytes, replaceCacheFile, writeCacheFile } from './cache-file-bytes';
import { objectCount, objectsJson, restoreUnitFacts, unitFacts, unitFromJson } from './restored-unit';

/** Bumped when the file's shape changes. */
const FORMAT = 10;

/** Numbers per file in `SavedCache.unitStamps`: size, mtimeMs, ctimeMs, ino, mode, slot. */
const STAMP_FIELDS = 6;

/** V8's version: its serializer's format is V8's own. */
const ENGINE = process.versions.v8;

/** `node_modules/.cache/twinops-render/` of this checkout. */
export const RENDER_CACHE_DIR = new URL(`../../${RENDER_CACHE_FOLDER}/`, import.meta.url);

/**
 * Without its layout, which is laid out again when loaded (it holds no text: ./layout.ts). Its
 * objects as JSON (at the end of the file: `writeCacheFile`) when they are plain JSON data, the
 * unit then saved without `objects`, and with the file name of each object when its layout had
 * no problems: loaded, the unit keeps the JSON unparsed until its objects are read
 * (./restored-unit.ts) and is laid out from the names. The bench fleet's 20,000 objects took
 * 290 ms to deserialize and 240 ms to serialize as V8 values, JSON.parse 130 ms and
 * JSON.stringify 140 ms (measured); JSON keeps no shared references, and the objects keep none
 * (plain API objects). An unchanged unit, most of them, is saved again with the bytes it was
 * loaded with.
 */
type SavedUnit = Omit<UnitEntry, 'reads' | 'layout' | 'unit'> & {
  readonly unit: Omit<RenderedUnit, 'objects'> & { readonly objects?: readonly ApiObjectJson[] };
  readonly reads: number;
  /**
   * Where its objects' JSON ends among the units' JSON at the end of the file (it starts where
   * the last unit's that has one ends: `writeCacheFile`), and how many objects it holds.
   */
  readonly objectsJsonEnd?: number;
  readonly objectCount?: number;
  readonly fileNames?: string[];
  /** What estate-wide steps derived of its objects (./restored-unit.ts `unitFact`). */
  readonly facts: [string, unknown][];
};

/** The saved form of a unit: its own fields but `objects`, read one by one (a spread would read, and parse, the objects too). */
function unitFields(unit: RenderedUnit): Omit<RenderedUnit, 'objects'> {
  return {
    path: unit.path,
    ...(unit.include === undefined ? {} : { include: unit.include }),
    ...(unit.appliedTo === undefined ? {} : { appliedTo: unit.appliedTo }),
    ...(unit.twin === undefined ? {} : { twin: unit.twin }),
  };
}

/** `key`: an index into `SavedCache.keys` (a cluster's key lists every unit path of the estate, and every cluster has the same). */
type SavedDerived = { readonly name: string; readonly from: string[]; readonly key: number; readonly value: unknown };

interface SavedEnvironment {
  readonly name: string;
  readonly global: number;
  readonly units: SavedUnit[];
  readonly clusters: SavedDerived[];
  readonly selectors: SavedDerived[];
  readonly parity: SavedDerived[];
  /** The runbook's blocks: [key, reads, the units it read, value]; no value for `undefined`. */
  readonly runbook: ([string, number, string[]] | [string, number, string[], unknown])[];
  /** The order of its files when the last layout was of these units, in this order (./layout.ts `LayoutMemo`). */
  readonly layout?: { readonly documents: readonly string[]; readonly order: Int32Array };
}

export interface SavedCache {
  readonly format: number;
  readonly engine: string;
  readonly code: string;
  readonly real: string;
  /**
   * The table of the paths the read sets name (string[][]), as JSON: V8's deserializer makes
   * arrays of strings slowly (the bench fleet's 8,147 paths: 13-50 ms, JSON.parse 3 ms; measured).
   */
  readonly paths: string;
  /**
   * Each environment's data as last rendered (`UnitCache.share`), saved before the reads so that
   * their objects (`targets`) are the same objects once loaded: the next render shares its equal
   * parts with it, and their reads hold by identity.
   */
  readonly data: [string, object][];
  /** The digest of the source each environment's `data` is the parse of, when it is (../config/load.ts `ParsedEnvironments`). */
  readonly sources: [string, string][];
  readonly readSets: SavedReadSets;
  /** The derived answers' keys, each once. */
  readonly keys: string[];
  readonly environments: SavedEnvironment[];
  /**
   * The stamps of the units' files, in the order of the environments, their units and each
   * unit's files (its layout): size, mtimeMs, ctimeMs, ino, mode and slot (its place in
   * `placed`) of each, size -1 for a file with no stamp of that content. No path and no array per file: as [path, …] arrays the bench
   * fleet's 22,757 were 7 MB of the loaded heap (measured), and the layout has the paths.
   */
  readonly unitStamps: Float64Array;
  /**
   * [path, the content's digest, size, mtimeMs, ctimeMs, ino, mode, slot] of each file the units
   * do not hold (the runbook, 11 MB on the bench fleet, and the entries): compared by its digest
   * once loaded.
   */
  readonly stamps: [string, string, number, number, number, number, number, number][];
  /**
   * [folder, mtimeMs, ctimeMs, ino, regular files, other non-folders (links…), sub-folders, slot]
   * of each stamped folder (./folder-stamps.ts), as JSON, as `paths` (the bench fleet's 4,255:
   * 25-39 ms deserialized, 4-15 ms parsed).
   */
  readonly folders: string;
  /** The paths the stamps' slots are places in (./stat-prefetch.ts `PrefetchList`), when they were placed. */
  readonly placed?: { readonly bytes: Uint8Array; readonly folders: number; readonly all: number };
  /**
   * The last paths that passed the writer's checks (./checked-paths.ts): the units' files and
   * these others (the runbook, the entries, what the writer preserved), and the folders they keep.
   */
  readonly checked?: { readonly others: string[]; readonly kept: string[] };
}

/** A stamped folder as `SavedCache.folders` lists it. */
type SavedFolder = [string, number, number, number, string[], string[], string[], number];

/** The cache file of the output folder `real` (named in plain JavaScript: the launcher reads it ahead). */
export { renderCacheFile };

export function saveRenderCache(file: string, cache: UnitCache, real: string): void {
  const ids = new Map<ReadSet, number>();
  const packer = new ReadSetPacker();
  const readSetId = (set: ReadSet): number => {
    const known = ids.get(set);
    if (known !== undefined) return known;
    // Included sets first, so that a loader can build each set from sets already built.
    const includes = [...set.includes()].map(readSetId);
    const id = packer.add(set.packed(), includes);
    ids.set(set, id);
    return id;
  };
  const unitFiles = new Map<string, Content>();
  const keys = new Map<string, number>();
  const keyId = (key: string) => {
    let id = keys.get(key);
    if (id === undefined) {
      id = keys.size;
      keys.set(key, id);
    }
    return id;
  };
  const derived = <T>(table: Map<string, DerivedEntry<T>>): SavedDerived[] =>
    [...table].map(([name, entry]) => ({ name, from: entry.from.map((unit) => unit.unit.path), key: keyId(entry.key), value: entry.value }));
  const jsons: Buffer[] = [];
  let jsonEnd = 0;
  const environments = [...cache.environments].map(([name, entry]): SavedEnvironment => {
    const units = [...entry.units.values()].map(({ layout, ...unit }): SavedUnit => {
      for (const file of layout.placed) unitFiles.set(file.path, file.content);
      const json = objectsJson(unit.unit);
      const facts = unitFacts(unit.unit);
      if (json === undefined) return { ...unit, reads: readSetId(unit.reads), facts };
      jsons.push(json);
      jsonEnd += json.length;
      const fileNames = fileNamesOf(layout);
      return { ...unit, unit: unitFields(unit.unit), reads: readSetId(unit.reads), objectsJsonEnd: jsonEnd, objectCount: objectCount(unit.unit), ...(fileNames === undefined ? {} : { fileNames }), facts };
    });
    const runbook = [...entry.runbook].map(([key, block]): SavedEnvironment['runbook'][number] => {
      const saved = [key, readSetId(block.reads), block.from.map(([path]) => path)] as const;
      return block.value === undefined ? [...saved] : [...saved, block.value];
    });
    const { layout: memo } = entry;
    // The memo is of the layouts of these units in this order, unless the last render failed past them.
    const layoutsKept = memo.order !== undefined && memo.units.length === entry.units.size && [...entry.units.values()].every((unit, i) => unit.layout === memo.units[i]);
    const layout = layoutsKept && memo.order !== undefined ? { layout: { documents: memo.documents, order: memo.order } } : {};
    return { name, global: readSetId(entry.global), units, clusters: derived(entry.clusters), selectors: derived(entry.selectors), parity: derived(entry.parity), runbook, ...layout };
  });
  const fileStamps = cache.stamps(real);
  const unitStamps = new Float64Array(unitFiles.size * STAMP_FIELDS);
  let at = 0;
  for (const entry of cache.environments.values()) {
    for (const { layout } of entry.units.values()) {
      for (const file of layout.placed) {
        const stamp = fileStamps.stampOf(file.path);
        if (stamp === undefined || stamp.content !== file.content) unitStamps[at] = -1;
        else {
          unitStamps[at] = stamp.size;
          unitStamps[at + 1] = stamp.mtimeMs;
          unitStamps[at + 2] = stamp.ctimeMs;
          unitStamps[at + 3] = stamp.ino;
          unitStamps[at + 4] = stamp.mode;
          unitStamps[at + 5] = stamp.slot;
        }
        at += STAMP_FIELDS;
      }
    }
  }
  const stamps: SavedCache['stamps'] = [];
  for (const [path, stamp] of fileStamps.entries()) {
    if (unitFiles.get(path) === stamp.content) continue;
    stamps.push([path, isDigest(stamp.content) ? stamp.content.digest : digestOf(stamp.content), stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, stamp.mode, stamp.slot]);
  }
  const passed = fileStamps.checked.saved();
  // Saved only when every unit file is one of the paths that passed: they are not listed.
  const checked = passed !== undefined && [...unitFiles.keys()].every((path) => passed.paths.has(path)) ? { checked: { others: [...passed.paths].filter((path) => !unitFiles.has(path)), kept: [...passed.kept] } } : {};
  const folders = [...cache.stamps(real).folders.entries()].map(([folder, stamp]): SavedFolder => [
    folder,
    stamp.mtimeMs,
    stamp.ctimeMs,
    stamp.ino,
    stamp.listing.files.filter(([, regular]) => regular).map(([name]) => name),
    stamp.listing.files.filter(([, regular]) => !regular).map(([name]) => name),
    [...stamp.listing.folders],
    stamp.slot,
  ]);
  const list = fileStamps.placedPaths();
  // Copied out of the memory shared with the worker, which V8's serializer does not take.
  const placed = list === undefined ? {} : { placed: { bytes: Buffer.from(list.bytes), folders: list.folders, all: list.all } };
  // The sets packed, with the table of the paths their reads name.
  const { readSets, paths } = packer.saved();
  const saved: SavedCache = {
    format: FORMAT,
    engine: ENGINE,
    code: cache.code,
    real,
    paths: JSON.stringify(paths),
    data: [...cache.sharedData()],
    sources: [...cache.sharedSources()],
    readSets,
    keys: [...keys.keys()],
    environments,
    unitStamps: at === unitStamps.length ? unitStamps : new Float64Array(0),
    stamps,
    folders: JSON.stringify(folders),
    ...placed,
    ...checked,
  };
  const temporary = `${file}.${process.pid}`;
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    replaceCacheFile(file, temporary, serialize(saved), jsons, jsonEnd);
    cache.stamps(real).saved();
    // The JSON file earlier versions kept for the same output folder: never read again.
    rmSync(file.replace(/\.v8$/, '.json'), { force: true });
    noteOutputFolder(file, real);
    pruneRenderCaches(file);
  } catch {
    // A read-only node_modules keeps no cache: the next render is fresh, as without one.
    rmSync(temporary, { force: true });
  }
}

/**
 * The file (./cache-file-bytes.ts writes it): the byte length of V8's serialization of the
 * `SavedCache` (8 bytes, little endian), that serialization, then the units' objects as JSON,
 * UTF-8, one unit after the other (`SavedUnit.objectsJsonEnd`). The JSON is written from each
 * unit's own bytes by one `writev`, and read as a view of the file's bytes: joined into one
 * buffer and copied by the serializer, the bench fleet's 13.6 MB of it cost 130 ms and a good
 * part of the serializer's 330 ms of a save (measured).
 */
export { writeCacheFile };

/**
 * The `SavedCache` and the units' JSON of a file `writeCacheFile` wrote (its bytes `read` when
 * they were read already: ../build/read-ahead.mjs); throws on another file, or one that changed
 * while it was read.
 */
export function readCacheFile(path: string, read?: Buffer): { readonly saved: SavedCache; readonly jsons: Buffer } {
  const bytes = read ?? readCacheFileBytes(path);
  if (bytes === undefined) throw new Error(`${path} changed while it was read`);
  const length = bytes.length >= 8 ? Number(bytes.readBigUInt64LE(0)) : Number.NaN;
  if (!(length <= bytes.length - 8)) throw new Error(`${path} is no render cache file`);
  // A view of the file's bytes, not a copy: the units' JSON stays outside the JavaScript heap.
  return { saved: deserialize(bytes.subarray(8, 8 + length)) as SavedCache, jsons: bytes.subarray(8 + length) };
}

/**
 * The cache saved in `file` for `code` and the output folder `real` (its bytes `read`, when they
 * were read already); an empty one when there is none that fits.
 */
export function loadRenderCache(file: string, code: string, real: string, read?: Buffer): UnitCache {
  let saved: SavedCache;
  let jsons: Buffer;
  try {
    ({ saved, jsons } = readCacheFile(file, read));
  } catch {
    return new UnitCache(code);
  }
  if (saved.format !== FORMAT || saved.engine !== ENGINE || saved.code !== code || saved.real !== real) return new UnitCache(code);
  // A file cut short (a full disk) has less JSON than its units say: it is no cache.
  const jsonEnd = saved.environments.reduce((end, environment) => environment.units.reduce((last, unit) => unit.objectsJsonEnd ?? last, end), 0);
  if (jsonEnd !== jsons.length) return new UnitCache(code);
  const paths = (JSON.parse(saved.paths) as string[][]).map(sharedPath);
  const readSets = unpackReadSets(saved.readSets, paths);
  const cache = new UnitCache(code);
  // Frozen as when they were saved: their reads hold by identity only of frozen objects.
  const sources = new Map(saved.sources);
  for (const [name, data] of saved.data) cache.restoreShared(name, deepFreeze(data) as Environment, sources.get(name));
  const unitFiles = new Map<string, Content>();
  let jsonStart = 0;
  for (const environment of saved.environments) {
    const entry = new EnvironmentEntry(readSets[environment.global] as ReadSet);
    for (const { objectsJsonEnd, objectCount: count, fileNames, unit: fields, facts, ...checked } of environment.units) {
      const json = objectsJsonEnd === undefined ? undefined : jsons.subarray(jsonStart, objectsJsonEnd);
      if (objectsJsonEnd !== undefined) jsonStart = objectsJsonEnd;
      const unit: RenderedUnit = json === undefined || count === undefined ? (fields as RenderedUnit) : unitFromJson(fields, json, count);
      restoreUnitFacts(unit, facts);
      const layout = fileNames === undefined || json === undefined ? layoutOfUnit(environment.name, unit) : layoutOfNamedUnit(environment.name, unit, fileNames);
      entry.units.set(unit.path, { ...checked, unit, layout, reads: readSets[checked.reads] as ReadSet });
      for (const placed of layout.placed) unitFiles.set(placed.path, placed.content);
    }
    const restore = <T>(table: Map<string, DerivedEntry<T>>, list: SavedDerived[]) => {
      for (const { name, from, key, value } of list) {
        const entries = from.map((path) => entry.units.get(path));
        const known = saved.keys[key];
        if (known !== undefined && entries.every((unit): unit is UnitEntry => unit !== undefined)) table.set(name, { from: entries, key: known, value: value as T });
      }
    };
    restore(entry.clusters, environment.clusters);
    restore(entry.selectors, environment.selectors);
    restore(entry.parity, environment.parity);
    for (const [key, reads, from, ...value] of environment.runbook) {
      const entries = from.map((path) => [path, entry.units.get(path)] as const);
      if (entries.every((pair): pair is readonly [string, UnitEntry] => pair[1] !== undefined)) entry.runbook.set(key, { reads: readSets[reads] as ReadSet, from: entries, value: value[0] });
    }
    if (environment.layout !== undefined) {
      entry.layout.units = [...entry.units.values()].map((unit) => unit.layout);
      entry.layout.documents = environment.layout.documents;
      entry.layout.order = environment.layout.order;
    }
    cache.environments.set(environment.name, entry);
  }
  const stamps = cache.stamps(real);
  // A slot is a place in the list kept with it: none without the list.
  const slotOf = (slot: number) => (saved.placed === undefined ? NO_SLOT : slot);
  // The units' files in the order they were saved in: that of the environments, units and layouts loaded.
  const unitStamps = saved.unitStamps;
  if (unitStamps.length === unitFiles.size * STAMP_FIELDS) {
    let at = 0;
    for (const entry of cache.environments.values()) {
      for (const { layout } of entry.units.values()) {
        for (const { path, content } of layout.placed) {
          const size = unitStamps[at] as number;
          if (size >= 0) {
            const stat = { mtimeMs: unitStamps[at + 1] as number, ctimeMs: unitStamps[at + 2] as number, ino: unitStamps[at + 3] as number, mode: unitStamps[at + 4] as number };
            stamps.restore(path, { content, size, ...stat } satisfies Omit<Stamp, 'slot' | 'confirmed'>, slotOf(unitStamps[at + 5] as number));
          }
          at += STAMP_FIELDS;
        }
      }
    }
  }
  for (const [path, digest, size, mtimeMs, ctimeMs, ino, mode, slot] of saved.stamps) {
    stamps.restore(path, { content: { digest }, size, mtimeMs, ctimeMs, ino, mode } satisfies Omit<Stamp, 'slot' | 'confirmed'>, slotOf(slot));
  }
  for (const [folder, mtimeMs, ctimeMs, ino, regular, other, folders, slot] of JSON.parse(saved.folders) as SavedFolder[]) {
    // The order of files within a listing does not matter to the writer (it sorts what it reports).
    const files = [...regular.map((name) => [name, true] as const), ...other.map((name) => [name, false] as const)];
    stamps.folders.restore(folder, { mtimeMs, ctimeMs, ino, listing: { files, folders } } satisfies Omit<FolderStamp, 'slot'>, slotOf(slot));
  }
  if (saved.placed !== undefined) stamps.restorePlaced(restoredPrefetchList(saved.placed.bytes, saved.placed.folders, saved.placed.all));
  if (saved.checked !== undefined) stamps.checked.restore(new Set([...unitFiles.keys(), ...saved.checked.others]), new Set(saved.checked.kept));
  stamps.saved();
  return cache;
}
