/**
 * Turns an OpenAPI schema (Kubernetes definitions or a CRD's openAPIV3Schema) into a strict,
 * compact JSON Schema (draft-07, as ajv runs it) for offline validation:
 *
 * - an object schema with `properties`, no `additionalProperties` and no
 *   `x-kubernetes-preserve-unknown-fields: true` gets `additionalProperties: false`, so an unknown
 *   field is an error. Not inside allOf/anyOf/oneOf/not: there `properties` only constrain values
 *   of fields declared elsewhere, and closing them would reject valid objects;
 * - int-or-string (`x-kubernetes-int-or-string: true`, `format: int-or-string`) becomes
 *   `type: ["integer", "string"]`; an anyOf/oneOf of bare types becomes a type list;
 * - OpenAPI's `nullable: true` adds "null" to the type; boolean exclusiveMinimum/Maximum (draft 4)
 *   become numbers;
 * - everything that does not validate is dropped (descriptions, formats, defaults, `x-kubernetes-*`
 *   extensions, CEL rules), and so are patterns JavaScript cannot compile.
 */
import { isObject, type JsonObject } from './crds';

/** Keywords copied as they are. */
const VALUE_KEYWORDS = new Set([
  '$id', '$ref', 'type', 'required', 'enum', 'const',
  'minLength', 'maxLength', 'minimum', 'maximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
]);
/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions'] as const;
/** Keywords whose value is a list of schemas that constrain the same value (logical junctors). */
const JUNCTOR_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;

export const INT_OR_STRING: readonly string[] = ['integer', 'string'];

/** The strict form of `schema` (a new object; the input is not modified). */
export function strictify(schema: JsonObject): JsonObject {
  return transform(schema, false);
}

function transform(node: JsonObject, inJunctor: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (VALUE_KEYWORDS.has(key)) out[key] = value;
  }
  if (typeof node['pattern'] === 'string' && compiles(node['pattern'])) out['pattern'] = node['pattern'];
  copyExclusiveBound(node, out, 'exclusiveMinimum', 'minimum');
  copyExclusiveBound(node, out, 'exclusiveMaximum', 'maximum');

  for (const key of SCHEMA_MAP_KEYWORDS) {
    const map = node[key];
    if (!isObject(map)) continue;
    const children: JsonObject = {};
    for (const [name, child] of Object.entries(map)) children[name] = transformAny(child, inJunctor);
    out[key] = children;
  }
  if ('additionalProperties' in node) out['additionalProperties'] = transformAny(node['additionalProperties'], inJunctor);
  if (Array.isArray(node['items'])) out['items'] = node['items'].map(item => transformAny(item, inJunctor));
  else if ('items' in node) out['items'] = transformAny(node['items'], inJunctor);
  if ('not' in node) out['not'] = transformAny(node['not'], true);
  for (const key of JUNCTOR_KEYWORDS) {
    const branches = node[key];
    if (!Array.isArray(branches)) continue;
    const transformed = branches.map(branch => transformAny(branch, true));
    const types = bareTypes(transformed);
    if (types !== undefined && out['type'] === undefined) out['type'] = types;
    else out[key] = transformed;
  }

  if (node['x-kubernetes-int-or-string'] === true || node['format'] === 'int-or-string') {
    out['type'] = [...INT_OR_STRING];
    if (Array.isArray(out['anyOf']) && bareTypes(out['anyOf']) !== undefined) delete out['anyOf'];
  }
  if (node['nullable'] === true && out['type'] !== undefined) {
    out['type'] = [...new Set([...typeList(out['type']), 'null'])];
  }
  const open = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (!inJunctor && !open && isObject(node['properties']) && !('additionalProperties' in node)) {
    out['additionalProperties'] = false;
  }
  return out;
}

function transformAny(value: unknown, inJunctor: boolean): unknown {
  return isObject(value) ? transform(value, inJunctor) : value;
}

/** The sorted type list when every branch is just `{ type }`; otherwise undefined. */
function bareTypes(branches: readonly unknown[]): string[] | undefined {
  const types: string[] = [];
  for (const branch of branches) {
    if (!isObject(branch) || Object.keys(branch).length !== 1 || branch['type'] === undefined) return undefined;
    types.push(...typeList(branch['type']));
  }
  return types.length === 0 ? undefined : [...new Set(types)].sort();
}

function typeList(type: unknown): string[] {
  return Array.isArray(type) ? type.map(String) : [String(type)];
}

/** Draft 4 / OpenAPI 3.0 write `exclusiveMinimum: true` next to `minimum`; draft 7 wants the bound. */
function copyExclusiveBound(node: JsonObject, out: JsonObject, key: string, bound: 'minimum' | 'maximum'): void {
  const value = node[key];
  if (typeof value === 'number') out[key] = value;
  else if (value === true && typeof node[bound] === 'number') {
    out[key] = node[bound];
    delete out[bound];
  }
}

/** Kubernetes patterns are Go regular expressions; a few constructs do not exist in JavaScript. */
function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
