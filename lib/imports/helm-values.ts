/**
 * The values schemas of `imports/schemas/helm-values/`: a chart's own `values.schema.json`,
 * normalized, so `lib/render/validate.ts` can check the `spec.values` of a HelmRelease that
 * installs that chart version (the Flux CRD leaves `values` free-form).
 *
 * Normalized means: the dialect named by its canonical URI (the validator picks its Ajv class by
 * it), `$id` set to the generated file's name (two versions of one chart share an upstream `$id`,
 * and one Ajv instance cannot hold both), annotations that do not validate dropped (descriptions,
 * titles, examples, defaults), keys sorted by the stable JSON writer. Validation keywords are kept
 * as the chart wrote them: twinops adds no strictness a chart does not ask for, since Helm itself
 * validates values against exactly this schema.
 */
import type { HelmValuesSource } from './config';
import { isObject, type JsonObject } from './crds';

/** The dialects a generated values schema may declare, by their canonical URIs. */
export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** Spellings of each dialect's URI seen in charts (scheme, trailing `#`) → the canonical URI. */
const DIALECTS: Readonly<Record<string, string>> = {
  'http://json-schema.org/draft-07/schema#': DRAFT_07,
  'http://json-schema.org/draft-07/schema': DRAFT_07,
  'https://json-schema.org/draft-07/schema#': DRAFT_07,
  'https://json-schema.org/draft-07/schema': DRAFT_07,
  'https://json-schema.org/draft/2020-12/schema': DRAFT_2020_12,
  'https://json-schema.org/draft/2020-12/schema#': DRAFT_2020_12,
};

/** The folder of `imports/schemas/` holding the values schemas. */
export const HELM_VALUES_DIR = 'helm-values';

/** `index.json`'s `helmValues`: chart → version → the schema file and where it came from. */
export type HelmValuesIndex = Readonly<Record<string, Readonly<Record<string, HelmValuesIndexEntry>>>>;

export interface HelmValuesIndexEntry {
  /** The schema file, relative to `imports/schemas/`, e.g. `helm-values/traefik-41.3.0.json`. */
  readonly file: string;
  /** The upstream URL it was generated from (`twinops.helmValues[].url`). */
  readonly source: string;
}

/** Annotation keywords: they document values but never reject any. */
const ANNOTATIONS = new Set(['$comment', 'default', 'description', 'deprecated', 'examples', 'markdownDescription', 'readOnly', 'title', 'writeOnly']);
/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(['$defs', 'definitions', 'dependentSchemas', 'patternProperties', 'properties']);
/** Keywords whose value is one schema (or, for draft-07 `items`, a list of them). */
const SCHEMA_VALUES = new Set([
  'additionalItems', 'additionalProperties', 'contains', 'else', 'if', 'items', 'not',
  'propertyNames', 'then', 'unevaluatedItems', 'unevaluatedProperties',
]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** The generated file of a chart version, relative to `imports/schemas/`. */
export function helmValuesFile(source: Pick<HelmValuesSource, 'chart' | 'version'>): string {
  return `${HELM_VALUES_DIR}/${source.chart}-${source.version}.json`;
}

/**
 * Where a local mirror keeps a chart's schema: every chart calls it `values.schema.json`, so a
 * mirror prefixes chart and version (`helm-values/traefik-41.3.0.values.schema.json`).
 */
export function helmValuesMirrorName(source: HelmValuesSource): string {
  const upstreamName = source.url.slice(source.url.lastIndexOf('/') + 1) || 'values.schema.json';
  return `${HELM_VALUES_DIR}/${source.chart}-${source.version}.${upstreamName}`;
}

/** The normalized schema of one chart version; `text` is its `values.schema.json`. */
export function helmValuesSchema(source: HelmValuesSource, text: string): JsonObject {
  const what = `values schema of chart ${source.chart} ${source.version} (${source.url})`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${what}: invalid JSON: ${(cause as Error).message}`, { cause });
  }
  if (!isObject(parsed)) throw new Error(`${what}: expected a JSON Schema object, given ${Array.isArray(parsed) ? 'a list' : JSON.stringify(parsed)}`);
  const declared = parsed['$schema'];
  // Helm validates a schema that names no dialect as draft-07; so does this.
  const dialect = declared === undefined ? DRAFT_07 : typeof declared === 'string' ? DIALECTS[declared] : undefined;
  if (dialect === undefined) {
    throw new Error(`${what}: "$schema" must be JSON Schema draft-07 or 2020-12 (${DRAFT_07} or ${DRAFT_2020_12}), given ${JSON.stringify(declared)}`);
  }
  const external: string[] = [];
  const normalized = withoutAnnotations(parsed, external);
  if (external.length > 0) {
    throw new Error(`${what}: refers to other documents (${external.join(', ')}); only references inside the schema ("#/...") can be checked offline`);
  }
  return { ...normalized, $id: helmValuesFile(source), $schema: dialect }; // the root's $id and $schema replaced
}

/**
 * A copy of a schema without annotation keywords, walking only schema positions (a value may be
 * named `description`); collects every `$ref` that leaves the document into `external`.
 */
function withoutAnnotations(schema: JsonObject, external: string[]): JsonObject {
  const anySchema = (value: unknown): unknown => (isObject(value) ? withoutAnnotations(value, external) : value); // or true/false
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) external.push(value);
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, anySchema(child)]));
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = Array.isArray(value) ? value.map(anySchema) : anySchema(value);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(anySchema);
    } else {
      out[key] = value;
    }
  }
  return out;
}
