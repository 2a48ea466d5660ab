/**
 * Strict offline validation of rendered objects against the schemas of their apiVersion/kind:
 * Kubernetes and the imported CRDs, as `npm run import` generated them in `imports/schemas/`.
 * An unknown field, a wrong type, a missing required field or an unknown kind is a problem.
 * A Flux HelmRelease of a chart version with a generated values schema also has its `spec.values`
 * checked against that schema, the one Helm applies at install. An object that passes its schema
 * then has its CRD's CEL rules (`x-kubernetes-validations`, from `imports/cel/rules.json`)
 * evaluated, as the API server does on create (./cel/validator.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { DRAFT_2020_12, type HelmValuesIndex } from '../imports/helm-values';
import { isRecord } from '../json';
import { CEL_RULES_URL, CelValidator } from './cel/validator';
import { CompiledValidatorCache, validatorCacheFolder } from './validator-cache';
import type { ApiObjectJson } from '../model';

export interface ValidationProblem {
  /** The file the object is rendered to. */
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  /** Where in the object, e.g. `spec.template.spec.containers[0].image`; `(root)` for the object. */
  readonly path: string;
  /** What is wrong, e.g. `unknown field "imagePullPolicyy"` or `must be integer, given "abc"`. */
  readonly message: string;
}

export interface ObjectToValidate {
  readonly file: string;
  readonly object: ApiObjectJson;
}

/** `imports/schemas/index.json`, as `lib/imports/schemas.ts` writes it. */
interface SchemaIndex {
  readonly kinds: Readonly<Record<string, string>>;
  readonly kubernetes: { readonly version: string; readonly file: string };
  /** Absent in an `imports/` generated before values schemas existed: then no values are checked. */
  readonly helmValues?: HelmValuesIndex;
}

/** The API group of Flux's HelmRelease (any version: `spec.chart.spec` and `spec.values` are stable). */
const HELM_RELEASE_GROUP = 'helm.toolkit.fluxcd.io';

/** The schemas of this checkout, found from this file, not from the working directory. */
export const SCHEMAS_DIR = new URL('../../imports/schemas/', import.meta.url);

/** The compiled validators of this checkout's schemas, kept between runs (./validator-cache.ts); never committed. */
export const VALIDATOR_CACHE_DIR = new URL('../../node_modules/.cache/twinops-validators/', import.meta.url);

/**
 * What checking an object found, by the object: for objects that cannot change (the parts a
 * render shares, ./shared-subtrees.ts, frozen to the leaves), so that an object many units hold
 * is checked once. On the 20k bench fleet 12,880 of the 19,980 objects are one held before (the
 * same Deployment, claim or Namespace on every cluster).
 */
export type CheckedObjects = WeakMap<object, readonly ObjectProblem[]>;

/** A problem of one object, wherever it is rendered. */
export interface ObjectProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Validates every object against the schemas in `imports/schemas/` and the CEL rules in
 * `imports/cel/`; all problems, in input order. With `checked`, an object found there is not
 * checked again, and every object checked is added: only for objects that cannot change.
 */
export function validateObjects(items: readonly ObjectToValidate[], checked?: CheckedObjects): ValidationProblem[] {
  defaultValidator ??= new SchemaValidator(SCHEMAS_DIR, CEL_RULES_URL, VALIDATOR_CACHE_DIR);
  return defaultValidator.validate(items, checked);
}

let defaultValidator: SchemaValidator | undefined;

/** One line: `<file>: <Kind>/<name>: <path>: <message>`. */
export function formatProblem(p: ValidationProblem): string {
  return `${p.file}: ${p.kind}/${p.name}: ${p.path}: ${p.message}`;
}

/** The Ajv options of the draft-07 schemas (Kubernetes, the CRDs, most values schemas). */
const DRAFT_07_OPTIONS: Options = { strict: false, allErrors: true, validateSchema: false };

/** Formats are annotations only in 2020-12 (as Helm runs them), so they are not asserted. */
const DRAFT_2020_OPTIONS: Options = { ...DRAFT_07_OPTIONS, validateFormats: false };

/**
 * Validates against the schemas of one folder. One Ajv instance per JSON Schema dialect (draft-07,
 * and 2020-12 for the values schemas of charts that use it); schema files are read and each
 * kind's (and chart version's) validator compiled on first use, then kept in memory and, with a
 * `compiledCacheDir` folder, on disk for the next run.
 */
export class SchemaValidator {
  private ajv07: Ajv | undefined;
  private ajv2020: Ajv2020 | undefined;
  private readonly validators = new Map<string, ValidateFunction>();
  /** `<chart>@<version>` → its values validator, or null when no values schema knows it. */
  private readonly valuesValidators = new Map<string, ValidateFunction | null>();
  private readonly loadedFiles = new Set<string>();
  private index: SchemaIndex | undefined;
  private cel: CelValidator | undefined;
  /** Undefined until first needed; null without a `compiledCacheDir`. */
  private compiled: CompiledValidatorCache | null | undefined;

  /**
   * `celRules`: the CEL rules file whose rules objects are checked against (synth passes
   * `imports/cel/rules.json`); default: none, schemas only (a folder of test schemas has no rules).
   * `compiledCacheDir`: the folder that keeps compiled validators between runs (synth passes
   * VALIDATOR_CACHE_DIR); default: none, every validator is compiled in this process.
   */
  constructor(
    private readonly schemasDir: URL,
    private readonly celRules?: URL,
    private readonly compiledCacheDir?: URL,
  ) {}

  /** The CEL rules, loaded (and every evaluable rule compiled) on first use; undefined without a rules file. */
  celValidator(): CelValidator | undefined {
    if (this.celRules !== undefined) this.cel ??= CelValidator.load(this.celRules);
    return this.cel;
  }

  validate(items: readonly ObjectToValidate[], checked?: CheckedObjects): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    for (const { file, object } of items) {
      let found = checked?.get(object);
      if (found === undefined) {
        found = this.check(object);
        checked?.set(object, found);
      }
      if (found.length === 0) continue;
      const kind = typeof object.kind === 'string' && object.kind !== '' ? object.kind : '(no kind)';
      const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '(no name)';
      for (const { path, message } of found) problems.push({ file, kind, name, path, message });
    }
    return problems;
  }

  private check(object: ApiObjectJson): ObjectProblem[] {
    const { apiVersion, kind } = object;
    if (typeof apiVersion !== 'string' || apiVersion === '') return [{ path: 'apiVersion', message: 'missing apiVersion' }];
    if (typeof kind !== 'string' || kind === '') return [{ path: 'kind', message: 'missing kind' }];
    const validate = this.validatorFor(`${apiVersion}/${kind}`);
    if (validate === undefined) return [this.unknownKind(apiVersion, kind)];
    const errors = validate(object) ? [] : reduceJunctors(validate.errors ?? []);
    const problems = dedupe([...errors, ...this.helmValuesErrors(object)].map(error => describe(error, object)));
    // CEL rules assume the schema's types: on an object that fails its schema they would only
    // repeat its errors in a vaguer form.
    if (problems.length === 0) problems.push(...(this.celValidator()?.check(object) ?? []));
    return problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)); // stable: ajv's order within a path
  }

  /**
   * The errors of a HelmRelease's `spec.values` against its chart version's values schema, with
   * paths from the object's root; none for another kind, a chart version with no schema, a version
   * range, or values that are absent or not a mapping (the CRD schema reports that).
   */
  private helmValuesErrors(object: ApiObjectJson): ErrorObject[] {
    if (object.kind !== 'HelmRelease' || !object.apiVersion.startsWith(`${HELM_RELEASE_GROUP}/`)) return [];
    const spec = object['spec'];
    const chartSpec = isRecord(spec) && isRecord(spec['chart']) ? spec['chart']['spec'] : undefined;
    const values = isRecord(spec) ? spec['values'] : undefined;
    if (!isRecord(chartSpec) || !isRecord(values)) return [];
    const { chart, version } = chartSpec;
    if (typeof chart !== 'string' || typeof version !== 'string') return [];
    const validate = this.valuesValidatorFor(chart, version);
    if (validate === undefined || validate(values)) return [];
    const errors = (validate.errors ?? []).filter(error => !suppliedByChartDefaults(error, values));
    return reduceJunctors(errors).map(error => ({ ...error, instancePath: `/spec/values${error.instancePath}` }));
  }

  /** The values validator of an exact chart version; undefined if no values schema knows it. */
  private valuesValidatorFor(chart: string, version: string): ValidateFunction | undefined {
    const key = `${chart}@${version}`;
    const cached = this.valuesValidators.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const file = this.loadIndex().helmValues?.[chart]?.[version]?.file;
    let validate: ValidateFunction | null = null;
    if (file !== undefined) {
      const cacheName = `values ${file}`;
      validate = this.compiledCache()?.load(cacheName) ?? null;
      if (validate === null) {
        const schema = readJson(new URL(file, this.schemasDir));
        if (!isRecord(schema)) throw new Error(`${new URL(file, this.schemasDir).pathname}: values schema of ${chart} ${version} is not a JSON object`);
        const ajv = schema['$schema'] === DRAFT_2020_12 ? (this.ajv2020 ??= new Ajv2020(this.ajvOptions(DRAFT_2020_OPTIONS))) : this.draft07();
        validate = ajv.compile(schema);
        this.compiledCache()?.save(cacheName, ajv, validate);
      }
    }
    this.valuesValidators.set(key, validate);
    return validate ?? undefined;
  }

  /** The validator of an `apiVersion/Kind`; undefined if no schema knows it. */
  private validatorFor(gvk: string): ValidateFunction | undefined {
    const cached = this.validators.get(gvk);
    if (cached !== undefined) return cached;
    const index = this.loadIndex();
    const ref = index.kinds[gvk];
    if (ref === undefined) return undefined;
    const cacheName = `kind ${ref}`;
    let validate = this.compiledCache()?.load(cacheName);
    if (validate === undefined) {
      this.load(index.kubernetes.file); // CRD schemas refer to its ObjectMeta
      this.load(ref.split('#')[0] ?? ref);
      validate = this.draft07().getSchema(ref);
      if (validate === undefined) throw new Error(`${new URL(ref, this.schemasDir).pathname}: schema of ${gvk} not found`);
      this.compiledCache()?.save(cacheName, this.draft07(), validate);
    }
    this.validators.set(gvk, validate);
    return validate;
  }

  private draft07(): Ajv {
    this.ajv07 ??= new Ajv(this.ajvOptions(DRAFT_07_OPTIONS));
    return this.ajv07;
  }

  /** `options`, plus the generated source a cache saves: the same validation, the code kept. */
  private ajvOptions(options: Options): Options {
    return this.compiledCacheDir === undefined ? options : { ...options, code: { source: true } };
  }

  /** The cache of this folder's schemas, its key hashed on first use; undefined without a `compiledCacheDir`. */
  private compiledCache(): CompiledValidatorCache | undefined {
    if (this.compiled === undefined) {
      this.compiled = this.compiledCacheDir === undefined
        ? null
        : new CompiledValidatorCache(
            validatorCacheFolder(fileURLToPath(this.compiledCacheDir), fileURLToPath(this.schemasDir), { DRAFT_07_OPTIONS, DRAFT_2020_OPTIONS }),
          );
    }
    return this.compiled ?? undefined;
  }

  /** At `apiVersion` when the kind exists in another apiVersion (naming those), else at `kind`. */
  private unknownKind(apiVersion: string, kind: string): { path: string; message: string } {
    const index = this.loadIndex();
    const known = Object.keys(index.kinds).filter(gvk => gvk.slice(gvk.lastIndexOf('/') + 1) === kind);
    const message = `unknown kind ${apiVersion}/${kind} (not in Kubernetes ${index.kubernetes.version} nor the imported CRDs)`;
    return known.length === 0
      ? { path: 'kind', message }
      : { path: 'apiVersion', message: `${message}; known: ${known.join(', ')}` };
  }

  private loadIndex(): SchemaIndex {
    this.index ??= readJson(new URL('index.json', this.schemasDir)) as SchemaIndex;
    return this.index;
  }

  private load(file: string): void {
    if (this.loadedFiles.has(file)) return;
    this.draft07().addSchema(readJson(new URL(file, this.schemasDir)) as object);
    this.loadedFiles.add(file);
  }
}

function readJson(url: URL): unknown {
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (cause) {
    throw new Error(`cannot read validation schema ${url.pathname} (run \`npm run import\`): ${(cause as Error).message}`, { cause });
  }
  return JSON.parse(text);
}

/**
 * An anyOf/oneOf failure comes with the errors of every branch. Keep the most useful branch only:
 * among the branches the value's type fits, the one with the fewest errors; if it fits none, one
 * type error listing the branches' types.
 */
export function reduceJunctors(errors: readonly ErrorObject[]): ErrorObject[] {
  let remaining = [...errors];
  const junctors = errors
    .filter(e => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const junctor of junctors) {
    if (!remaining.includes(junctor)) continue;
    const prefix = `${junctor.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of remaining) {
      if (e === junctor || !e.schemaPath.startsWith(prefix) || !e.instancePath.startsWith(junctor.instancePath)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    if (branches.size === 0) continue;
    const misfit = (list: ErrorObject[]): boolean => list.some(e => e.keyword === 'type' && e.instancePath === junctor.instancePath);
    const fitting = [...branches.values()].filter(list => !misfit(list));
    const best = fitting.reduce<ErrorObject[] | undefined>((a, b) => (a === undefined || b.length < a.length ? b : a), undefined);
    const dropped = new Set([...branches.values()].flat().filter(e => !best?.includes(e)));
    const types = [...new Set([...branches.values()].flat().filter(e => e.keyword === 'type').flatMap(e => typeList(e.params['type'])))];
    remaining = remaining
      .filter(e => !dropped.has(e))
      .map(e => (e !== junctor ? e : best === undefined ? { ...junctor, keyword: 'type', params: { type: types } } : undefined))
      .filter((e): e is ErrorObject => e !== undefined);
  }
  return remaining;
}

/**
 * Helm validates the chart's defaults merged with the release's values; twinops has the values
 * only. A missing required field of a mapping may come from the defaults (Helm merges mappings),
 * so it is not a problem; inside a list item it is (Helm replaces a list whole, so the item is
 * the release's alone).
 */
function suppliedByChartDefaults(error: ErrorObject, values: Record<string, unknown>): boolean {
  if (error.keyword !== 'required') return false;
  let value: unknown = values;
  for (const segment of error.instancePath.split('/').slice(1)) {
    if (Array.isArray(value)) return false;
    value = isRecord(value) ? value[segment.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  }
  return true;
}

function describe(error: ErrorObject, object: unknown): { path: string; message: string } {
  const segments = error.instancePath.split('/').slice(1).map(s => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const value = segments.reduce<unknown>((v, s) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined), object);
  const params = error.params as Record<string, unknown>;
  const at = (field?: string): string => formatPath(field === undefined ? segments : [...segments, field], object);
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: at(String(params['additionalProperty'])), message: `unknown field "${String(params['additionalProperty'])}"` };
    case 'unevaluatedProperties':
      return { path: at(String(params['unevaluatedProperty'])), message: `unknown field "${String(params['unevaluatedProperty'])}"` };
    case 'required':
      return { path: at(String(params['missingProperty'])), message: `missing required field "${String(params['missingProperty'])}"` };
    case 'type':
      return { path: at(), message: `must be ${joinOr(typeList(params['type']))}, given ${show(value)}` };
    case 'enum':
      return { path: at(), message: `must be one of ${(params['allowedValues'] as unknown[]).map(v => JSON.stringify(v)).join(', ')}, given ${show(value)}` };
    case 'const':
      return { path: at(), message: `must be ${JSON.stringify(params['allowedValue'])}, given ${show(value)}` };
    case 'anyOf':
    case 'oneOf':
      return { path: at(), message: params['passingSchemas'] != null ? 'matches more than one of the allowed shapes (oneOf)' : `matches none of the allowed shapes (${error.keyword})` };
    default:
      return { path: at(), message: `${error.message ?? error.keyword}, given ${show(value)}` };
  }
}

/** `spec.containers[0].ports[1]`, `metadata.labels["app.kubernetes.io/name"]`, `(root)`. */
function formatPath(segments: readonly string[], object: unknown): string {
  let path = '';
  let value = object;
  for (const segment of segments) {
    if (Array.isArray(value)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return path === '' ? '(root)' : path;
}

function typeList(type: unknown): string[] {
  return Array.isArray(type) ? type.map(String) : String(type).split(',');
}

function joinOr(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function dedupe<T extends { path: string; message: string }>(list: readonly T[]): T[] {
  const seen = new Set<string>();
  return list.filter(p => !seen.has(`${p.path}\n${p.message}`) && seen.add(`${p.path}\n${p.message}`) !== undefined);
}
