/**
 * Validates the document against the published JSON Schema with ajv and turns ajv's errors
 * into problems a person can act on: friendly words for patterns and enums, one message per
 * union instead of a cascade of branch errors, and the line and column of the offending node.
 */
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { CompiledValidatorCache, validatorCacheFolderFor } from '../render/validator-cache';
import { expectedGiven, formatPath, type ConfigPath, type ConfigProblem } from './errors';
import { environmentJsonSchema } from './schema-file';
import type { Locator } from './source';
import { describePattern, describeValue, didYouMean, oneOf, typeOf } from './wording';

type JsonSchema = Readonly<Record<string, unknown>>;

export interface SchemaCheck {
  readonly problems: readonly ConfigProblem[];
  /** True when every problem is about a value, not the document's shape: later checks can run. */
  readonly usable: boolean;
}

/** The compiled environment validator, kept between runs like the object validators (lib/render/validator-cache.ts); never committed. */
const VALIDATOR_CACHE_DIR = new URL('../../node_modules/.cache/twinops-environment-validator/', import.meta.url);
const OPTIONS = { allErrors: true, verbose: true, strict: true } as const;

let compiled: ValidateFunction | undefined;
/**
 * Compiling the environment schema costs 0.1–0.3 s in every new process (measured with
 * --cpu-prof on `npm run synth`); its standalone code loads in a few milliseconds, with the same
 * errors (test/config/schema-check-cache.test.ts).
 */
function validator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  const schema = environmentJsonSchema();
  const cache = new CompiledValidatorCache(validatorCacheFolderFor(fileURLToPath(VALIDATOR_CACHE_DIR), { schema, OPTIONS }));
  compiled = cache.load('environment');
  if (compiled === undefined) {
    const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
    compiled = ajv.compile(schema);
    cache.save('environment', ajv, compiled);
  }
  return compiled;
}

/** The validator compiled now, without the cache: what the cached one must equal. */
export function compileEnvironmentValidator(): ValidateFunction {
  return new Ajv(OPTIONS).compile(environmentJsonSchema());
}

/** Keywords whose failure leaves the document in the shape the TypeScript type promises. */
const VALUE_KEYWORDS = new Set([
  'pattern', 'maxLength', 'minLength', 'minimum', 'maximum', 'enum', 'const',
  'additionalProperties', 'uniqueItems', 'minItems',
]);

export function checkSchema(data: unknown, file: string, locate: Locator): SchemaCheck {
  const validate = validator();
  if (validate(data)) return { problems: [], usable: true };
  const errors = collapseUnions(validate.errors ?? []).filter((error) => !tooManyByUnknownKey(error));
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const { path, target, expected, given, message } = explain(error, data);
    const at = locate(target === 'parent' ? path.slice(0, -1) : path, target === 'key' ? 'key' : 'value');
    const problem = { file, ...at, path: formatPath(path), expected, given, message };
    // A string can break its pattern and its length at once: one problem says both.
    const key = `${problem.path}\n${message}`;
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  const valueOnly = (error: ErrorObject) =>
    error.keyword === 'union' ? (error as UnionError).params.literals : VALUE_KEYWORDS.has(error.keyword);
  return { problems, usable: errors.every(valueOnly) };
}

/** Too many keys because one is unknown: the unknown field's own problem says it all. */
function tooManyByUnknownKey(error: ErrorObject): boolean {
  if (error.keyword !== 'maxProperties') return false;
  const fields = Object.keys(((error.parentSchema as JsonSchema | undefined)?.properties ?? {}) as JsonSchema);
  return Object.keys((error.data ?? {}) as JsonSchema).some((key) => !fields.includes(key));
}

/** An error ajv did not raise itself: one message standing for a whole union. */
interface UnionError extends ErrorObject {
  readonly keyword: 'union';
  /** `literals`: every branch is a literal, so a failure is about the value, not the shape. */
  readonly params: { readonly expected: string; readonly literals: boolean };
}

/**
 * Replaces each failed `anyOf` and its branch errors by what the user needs: a union of
 * literals becomes "one of …"; a union where exactly one branch has the given value's type keeps
 * that branch's errors only (a `dr` mapping with a bad state reports the state); otherwise one
 * error lists the accepted shapes.
 */
function collapseUnions(all: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const replaced = new Map<ErrorObject, ErrorObject>();
  const unions = all.filter((error) => error.keyword === 'anyOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (dropped.has(union)) continue;
    const branches = union.schema as readonly JsonSchema[];
    // Items of one list share schema paths: a branch error must also lie within the union's value.
    const inside = (error: ErrorObject) =>
      error.instancePath === union.instancePath || error.instancePath.startsWith(`${union.instancePath}/`);
    const under = (error: ErrorObject, prefix: string) =>
      error !== union && error.schemaPath.startsWith(`${prefix}/`) && inside(error);
    const branchErrors = all.filter((error) => under(error, union.schemaPath));
    const matching = branches.flatMap((branch, index) => (accepts(branch, union.data) ? [index] : []));
    const literals = branches.every((branch) => 'const' in branch);
    if (!literals && matching.length === 1) {
      dropped.add(union);
      for (const error of branchErrors) if (!under(error, `${union.schemaPath}/${matching[0]}`)) dropped.add(error);
      continue;
    }
    for (const error of branchErrors) dropped.add(error);
    const expected = literals
      ? oneOf(branches.map((branch) => String(branch.const)))
      : listOr(branches.flatMap(describeBranch));
    const error: UnionError = { ...union, keyword: 'union', params: { expected, literals } };
    replaced.set(union, error);
  }
  return all.filter((error) => !dropped.has(error)).map((error) => replaced.get(error) ?? error);
}

/** Whether a union branch is about values of this type (not whether the value is valid). */
function accepts(branch: JsonSchema, value: unknown): boolean {
  if ('const' in branch) return typeOf(branch.const) === typeOf(value);
  const types = ([] as unknown[]).concat(branch.type ?? []);
  const type = typeOf(value);
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

function describeBranch(branch: JsonSchema): string[] {
  if ('const' in branch) return [JSON.stringify(branch.const)];
  if (branch.type === 'boolean') return ['true', 'false'];
  return [describeSchema(branch)];
}

function listAnd(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? 'nothing') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function listOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? 'nothing') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** A schema in words, for "expected …" when a field is missing or a union did not match. */
function describeSchema(schema: JsonSchema | undefined): string {
  if (schema === undefined) return 'a value';
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as JsonSchema[];
    return branches.every((branch) => 'const' in branch)
      ? oneOf(branches.map((branch) => String(branch.const)))
      : listOr(branches.flatMap(describeBranch));
  }
  if (typeof schema.pattern === 'string') return describePattern(schema.pattern);
  switch (schema.type) {
    case 'object': {
      const fields = Object.keys((schema.properties as JsonSchema | undefined) ?? {});
      return fields.length === 0 ? 'a mapping' : `a mapping with fields ${fields.join(', ')}`;
    }
    case 'array':
      return typeof schema.minItems === 'number' && schema.minItems > 0 ? 'a non-empty list' : 'a list';
    case 'boolean':
      return 'true or false';
    case 'integer':
      return 'an integer';
    default:
      return `a ${String(schema.type ?? 'value')}`;
  }
}

interface Explained {
  readonly path: ConfigPath;
  /** Where to point: the value (default), the key naming it, or the parent holding it. */
  readonly target: 'value' | 'key' | 'parent';
  readonly expected: string;
  readonly given: string;
  readonly message: string;
}

function explain(error: ErrorObject, root: unknown): Explained {
  const path = toPath(error.instancePath, root);
  const parentSchema = (error.parentSchema ?? {}) as JsonSchema;
  const given = describeValue(error.data);
  const simple = (expected: string, shown = given): Explained =>
    ({ path, target: 'value', expected, given: shown, message: expectedGiven(expected, shown) });
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'union':
      return simple(String(params.expected));
    case 'type':
      // The document itself: say what a file holds rather than "object".
      if (path.length === 0) return simple(describeSchema(parentSchema), error.data === null ? 'an empty document' : given);
      return simple(([] as unknown[]).concat(params.type).join(' or '));
    case 'required': {
      const field = String(params.missingProperty);
      const properties = (parentSchema.properties ?? {}) as Record<string, JsonSchema>;
      const expected = describeSchema(properties[field]);
      return { path: [...path, field], target: 'parent', expected, given: 'nothing', message: `missing required field; expected ${expected}` };
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const patterns = Object.keys((parentSchema.patternProperties ?? {}) as JsonSchema);
      const allowed = Object.keys((parentSchema.properties ?? {}) as JsonSchema);
      const expected = patterns[0] !== undefined ? `a key that is ${describePattern(patterns[0])}` : oneOf(allowed);
      const message = `unknown field ${JSON.stringify(field)}${didYouMean(field, allowed)}; expected ${expected}`;
      return { path: [...path, field], target: 'key', expected, given: JSON.stringify(field), message };
    }
    case 'pattern':
      return simple(describePattern(String(params.pattern)));
    case 'maxLength':
    case 'minLength': {
      if (typeof parentSchema.pattern === 'string') return simple(describePattern(parentSchema.pattern));
      const limit = Number(params.limit);
      const length = typeof error.data === 'string' ? error.data.length : 0;
      if (error.keyword === 'minLength') return simple(limit === 1 ? 'a non-empty string' : `at least ${limit} characters`);
      return simple(`at most ${limit} characters`, `${given} (${length} characters)`);
    }
    case 'minimum':
    case 'maximum': {
      const { minimum, maximum } = parentSchema;
      const kind = parentSchema.type === 'integer' ? 'an integer' : 'a number';
      if (typeof minimum === 'number' && typeof maximum === 'number') return simple(`${kind} from ${minimum} to ${maximum}`);
      return simple(`${kind} ${error.keyword === 'minimum' ? 'of at least' : 'of at most'} ${String(params.limit)}`);
    }
    case 'minItems': {
      const limit = Number(params.limit);
      return simple(`at least ${limit} item${limit === 1 ? '' : 's'}`);
    }
    case 'uniqueItems': {
      const [i, j] = [Number(params.i), Number(params.j)];
      const [later, earlier] = [Math.max(i, j), Math.min(i, j)];
      const item = Array.isArray(error.data) ? error.data[later] : undefined;
      const shown = `${describeValue(item)} twice (also at ${formatPath([...path, earlier])})`;
      return { ...simple('each item once', shown), path: [...path, later] };
    }
    case 'minProperties':
    case 'maxProperties': {
      // Only "exactly one of these keys" mappings use these keywords (a cluster's `dr`).
      const fields = Object.keys((parentSchema.properties ?? {}) as JsonSchema);
      const keys = Object.keys((error.data ?? {}) as JsonSchema);
      const shown = keys.length === 0 ? 'none' : `${keys.length === 2 ? 'both ' : ''}${listAnd(keys)}`;
      return simple(`exactly one of ${fields.join(', ')}`, shown);
    }
    case 'const':
      return simple(JSON.stringify(params.allowedValue));
    case 'enum':
      return simple(oneOf((params.allowedValues as unknown[]).map(String)));
    default:
      return simple(error.message ?? error.keyword);
  }
}

/** `/clusters/0/name` → `['clusters', 0, 'name']`, reading indices as numbers where data is a list. */
function toPath(pointer: string, root: unknown): ConfigPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) {
      path.push(Number(segment));
      node = node[Number(segment)];
    } else {
      path.push(segment);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}
