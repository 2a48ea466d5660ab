/**
 * Units as the render cache file keeps them between runs (./unit-cache-file.ts): their objects
 * as the JSON they were saved as, UTF-8 bytes in one buffer for all units, parsed the first time
 * something reads `objects`. A synth after a one-app change on the bench fleet reads the objects
 * of one cluster's units (its policies, runbook blocks and changed files) and leaves the other
 * 2,700 units' alone: parsing all 20,000 objects (13.6 MB of JSON) cost 175-195 ms of every CLI
 * run, and laying them out again from the objects another 100 ms (measured), where the file
 * names saved beside the text lay them out without them (./layout.ts `layoutOfNamedUnit`). As
 * bytes outside the JavaScript heap, the text is neither made into 2,775 strings by V8's
 * deserializer nor copied by the collector.
 *
 * Reading `objects` always gives the saved objects; only when they are parsed changes, so a
 * consumer that reads every unit's objects costs the parse, never the output.
 */
import { isJsonExact } from '../json';
import type { ApiObjectJson, RenderedUnit } from '../model';

/** The JSON of objects as UTF-8: as loaded, or as last saved (an unchanged unit is saved again as it is). */
const jsonBytes = new WeakMap<readonly ApiObjectJson[], Buffer>();

/** Restored units whose objects have not been read yet: their JSON and object count. */
const unread = new WeakMap<RenderedUnit, { readonly json: Buffer; readonly count: number }>();

/**
 * A unit whose objects are the UTF-8 JSON `json` (as `objectsJson` gave it, of `count`
 * objects), parsed when first read. Its own properties are those of a rendered unit, in the same
 * order.
 */
export function unitFromJson(fields: Omit<RenderedUnit, 'objects'>, json: Buffer, count: number): RenderedUnit {
  const { path, ...rest } = fields;
  const unit = { path } as RenderedUnit;
  let objects: ApiObjectJson[] | undefined;
  Object.defineProperty(unit, 'objects', {
    enumerable: true,
    get(): readonly ApiObjectJson[] {
      if (objects === undefined) {
        objects = JSON.parse(json.toString('utf8')) as ApiObjectJson[];
        jsonBytes.set(objects, json);
        unread.delete(unit);
      }
      return objects;
    },
  });
  unread.set(unit, { json, count });
  return Object.assign(unit, rest);
}

/**
 * The JSON of a unit's objects as UTF-8, without parsing a restored unit's; undefined when JSON
 * would not give the objects back as they are (`undefined`, NaN, -0…).
 */
export function objectsJson(unit: RenderedUnit): Buffer | undefined {
  const pending = unread.get(unit);
  if (pending !== undefined) return pending.json;
  const objects = unit.objects;
  const known = jsonBytes.get(objects);
  if (known !== undefined) return known;
  if (!isJsonExact(objects)) return undefined;
  const json = Buffer.from(JSON.stringify(objects), 'utf8');
  jsonBytes.set(objects, json);
  return json;
}

/** How many objects a unit has, without parsing a restored unit's. */
export function objectCount(unit: RenderedUnit): number {
  return unread.get(unit)?.count ?? unit.objects.length;
}

/** Facts derived from one unit's objects, by name (`unitFact`). */
const factsOf = new WeakMap<RenderedUnit, Map<string, unknown>>();

/**
 * `derive(unit.objects)`, made once per unit and kept with it in the render cache file: an
 * estate-wide step that needs a little of every unit (the names twins rename, the runbook's
 * ExternalSecrets) then reads no restored unit's objects. `name` is the fact's, one per
 * `derive`; the value is plain data (V8's serializer saves it) derived from the objects alone.
 */
export function unitFact<T>(unit: RenderedUnit, name: string, derive: (objects: readonly ApiObjectJson[]) => T): T {
  let facts = factsOf.get(unit);
  if (facts === undefined) {
    facts = new Map();
    factsOf.set(unit, facts);
  }
  if (facts.has(name)) return facts.get(name) as T;
  const value = derive(unit.objects);
  facts.set(name, value);
  return value;
}

/** The facts derived of `unit` so far, to be saved with it. */
export function unitFacts(unit: RenderedUnit): [string, unknown][] {
  return [...(factsOf.get(unit) ?? [])];
}

/** Gives a unit loaded from the render cache file the facts saved with it. */
export function restoreUnitFacts(unit: RenderedUnit, facts: readonly (readonly [string, unknown])[]): void {
  if (facts.length > 0) factsOf.set(unit, new Map(facts));
}

/** Whether a restored unit's objects are still unparsed text (for tests and the bench's accounting). */
export function objectsUnread(unit: RenderedUnit): boolean {
  return unread.has(unit);
}
