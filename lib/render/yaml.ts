/**
 * Deterministic YAML text for rendered objects: the one place that decides how `dist/` looks.
 *
 * Style, chosen once:
 * - key order: `apiVersion`, `kind`, `metadata`, then the other top-level keys by code unit
 *   (not locale) order; inside `metadata`: `name`, `namespace`, `labels`, `annotations`, then the
 *   rest the same way. Deeper levels keep the order they were given (cdk8s already sorts them).
 * - two-space indent; sequences in the kubectl / Kustomize style, `- ` at the parent key's
 *   column (`ports:\n- port: 80`), as `kubectl get -o yaml` and `kustomize build` write them.
 * - no anchors or aliases: an object referenced twice is written twice.
 * - no line folding; multi-line strings as block literals (`|`, `|-`, `|+`).
 * - a string is written plain unless some parser would read it as something else; then it is
 *   double-quoted. "Some parser" is the YAML 1.2 core schema, YAML 1.1 and, above all, go-yaml v2
 *   (behind sigs.k8s.io/yaml, which Kubernetes, kubectl and Argo CD use). go-yaml v2 reads `yes`,
 *   `on`, `n`, `0755` (octal), `0o17`, `0x1p-2`, `-inf`, `1_000`, `2001-12-14` as non-strings, and
 *   the API server would then reject the object or store `"true"` for `yes`.
 * - one trailing newline, no document marker.
 *
 * `yaml` decides how every scalar is written (plain, quoted, block), with the options below; this
 * module writes the structure around them, some 25 times faster than `yaml`'s own emitter, and
 * the tests pin the two to the same text (`toYamlDocumentReference`).
 */
import {
  Document,
  Scalar,
  YAMLMap,
  type CreateNodeOptions,
  type DocumentOptions,
  type ScalarTag,
  type SchemaOptions,
  type ToStringOptions,
} from 'yaml';
import type { ApiObjectJson } from '../model';
import { byCodeUnit } from './files';
import { flat } from '../flat';

/** Intersperses `_*` between the characters of a word: go-yaml v2 drops `_` before parsing numbers. */
function underscored(word: string): string {
  return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('_*');
}

/**
 * Plain scalars that go-yaml v2 (`resolve.go`) or YAML 1.1 resolve to something other than a
 * string. Deliberately a little wider than the parsers (quoting too much is harmless, too little
 * corrupts data); each alternative names the rule it stands for.
 */
const NOT_A_STRING_FOR_KUBERNETES = new RegExp(
  '^(?:' +
    [
      // go-yaml v2 resolve map: YAML 1.1 booleans, nulls, merge key, special floats.
      'y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF',
      '~|null|Null|NULL|<<',
      '[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)',
      // Leading '.': strconv.ParseFloat.
      '\\.[0-9][0-9_]*(?:[eE][-+]?[0-9_]+)?',
      // Leading digit or sign, underscores removed, strconv.ParseInt(s, 0, 64): 0x, 0o, 0b, 0-octal.
      '[-+]?_*0_*[xXoObB][0-9a-fA-F_]+',
      // strconv.ParseFloat: decimal (covers plain ints, `08`, `1.`, `1e3`) ...
      '(?:[-+]_*)?(?=[0-9_]*\\.?_*[0-9])[0-9_]*(?:\\.[0-9_]*)?(?:[eE][-+_]*[0-9_]+)?',
      // ... hexadecimal with a binary exponent ...
      '[-+]?_*0_*[xX][0-9a-fA-F_.]*[pP][-+_]*[0-9_]+',
      // ... and signed infinities (unsigned `inf` is not tried: 'i' is no number hint).
      `[-+]_*${underscored('inf')}(?:_*${underscored('inity')})?`,
      // Timestamps: go-yaml v2 tries `2006-1-2`, `2006-1-2T15:4:5Z07:00`, `2006-1-2 15:4:5`.
      '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?',
      // YAML 1.1 sexagesimal numbers (PyYAML and friends): `1:20`, `-190:20:30.15`.
      '[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?',
    ].join('|') +
    ')$',
);

/**
 * A tag that is never used to write values, only consulted by `yaml`'s `compat` check: a string
 * that matches its test is quoted.
 */
const kubernetesCompat: ScalarTag = {
  tag: 'tag:twinops,2024:not-a-string-for-kubernetes',
  default: true,
  test: NOT_A_STRING_FOR_KUBERNETES,
  resolve: (source: string) => source,
};

/** Built once: creating documents with these is the hot path of a render. */
const DOCUMENT_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions = {
  version: '1.2',
  schema: 'core',
  compat: [kubernetesCompat],
  // Identity is not meaning: an object referenced twice is written twice, never `&a1` / `*a1`.
  aliasDuplicateObjects: false,
};

const TO_STRING_OPTIONS: ToStringOptions = {
  indent: 2,
  indentSeq: false,
  lineWidth: 0,
  minContentWidth: 0,
  blockQuote: 'literal',
  // Double quotes, except for strings holding double quotes: '["pool"]' reads better escaped-free.
  singleQuote: null,
  defaultStringType: 'PLAIN',
  defaultKeyType: 'PLAIN',
  nullStr: 'null',
  trueStr: 'true',
  falseStr: 'false',
  directives: false,
};

/**
 * The same text through `yaml`'s own emitter. About 25 times slower than `toYamlDocument`, which
 * only borrows `yaml` for scalars; tests pin the fast path to this one.
 */
export function toYamlDocumentReference(value: unknown): string {
  return new Document(value, DOCUMENT_OPTIONS).toString(TO_STRING_OPTIONS);
}

/**
 * A scalar as `yaml` writes it as a mapping value (or, for keys, as a nested mapping key):
 * `head` goes after `key: ` or `- `; `tail` holds the following lines of a block literal or a
 * folded double-quoted string, indented relative to the key's column (empty lines stay empty).
 */
interface ScalarText {
  readonly head: string;
  readonly tail: readonly string[];
}

/**
 * Two documents, made once, in which `yaml` writes the scalars it decides: `k: <value>` and,
 * nested one level so that keys like `---` are decided as in any nested mapping, `k: {<key>: 0}`.
 */
const valueSlot = new Scalar<string>('');
const valueDocument = new Document(new YAMLMap(), DOCUMENT_OPTIONS);
valueDocument.set('k', valueSlot);
const keySlot = new Scalar<string>('');
const keyDocument = new Document(new YAMLMap(), DOCUMENT_OPTIONS);
keyDocument.set('k', new YAMLMap());
(keyDocument.get('k') as YAMLMap).set(keySlot, 0);

/** Strings repeat a lot across an estate (labels, names); each is decided only once. */
const valueCache = new Map<string, ScalarText>();
const keyCache = new Map<string, string>();
const CACHE_LIMIT = 100_000;

/**
 * Strings `yaml` certainly writes plain: a letter, then name-like characters, `:` only inside.
 * Those that a parser would still read as something else (`yes`, `null`) are left to `yaml`.
 */
const SIMPLE = /^[A-Za-z][\w./@+=-]*(?::[\w./@+=-]+)*$/;
/** Number- or boolean-like strings that `yaml` then double-quotes without any escape: `"0755"`. */
const QUOTABLE = /^[\w.+-]+$/;
const NO_TAIL: readonly string[] = [];

/** The text of `value` when it takes no decision by `yaml`: plain, or quoted as is. */
function simpleText(value: string): string | undefined {
  if (SIMPLE.test(value)) return NOT_A_STRING_FOR_KUBERNETES.test(value) ? `"${value}"` : value;
  if (QUOTABLE.test(value) && NOT_A_STRING_FOR_KUBERNETES.test(value)) return `"${value}"`;
  return undefined;
}

/*
 * A one-line value `yaml` writes plain, decided here by `yaml`'s own rules (stringifyString.ts,
 * `plainString`, yaml 2.x): asking `yaml` costs ~15-25 µs a string (~3 µs here, measured on 4,000
 * unique rules), and a fresh render of the bench fleet asked it 3,736 times (now 5) for Traefik
 * rules (Host(...) || Host(...)) and Flux paths (./dist/fleet/site-001/apps/x/prod), unique per
 * cluster. The randomized test against
 * `toYamlDocumentReference` pins this to `yaml`.
 */
/** Printable ASCII only, one line: no control character `yaml` would double-quote, no block literal. */
const ONE_PRINTABLE_LINE = /^[\x20-\x7e]+$/;
/** `yaml`'s test for strings that cannot be plain (indicator first, `: `, ` #`, trailing space or colon, …). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Document markers, which `yaml` writes as a block or quoted depending on where the value sits. */
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/;
/** The tests by which `yaml` quotes a string that would read as another type: the core schema's and the Kubernetes compat tag. */
const READ_AS_OTHER: readonly RegExp[] = [...valueDocument.schema.tags, ...(valueDocument.schema.compat ?? [])].flatMap((tag) =>
  tag.default === true && tag.tag !== 'tag:yaml.org,2002:str' && tag.test instanceof RegExp ? [tag.test] : [],
);

function surelyPlain(value: string): boolean {
  return ONE_PRINTABLE_LINE.test(value) && !NOT_PLAIN.test(value) && !DOCUMENT_MARKER.test(value) && !READ_AS_OTHER.some((test) => test.test(value));
}

/** As `yaml` writes numbers: JSON's form, `-0`, `.nan`, `.inf`, `-.inf`. */
function numberText(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value < 0 ? '-.inf' : '.inf';
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

function scalarValue(value: string | number | boolean | null): ScalarText {
  if (typeof value !== 'string') {
    return { head: typeof value === 'number' ? numberText(value) : String(value), tail: NO_TAIL };
  }
  let text = valueCache.get(value);
  if (text) return text;
  const simple = simpleText(value) ?? (surelyPlain(value) ? value : undefined);
  if (simple !== undefined) {
    text = { head: simple, tail: NO_TAIL };
  } else {
    // `k: <head>`, then the tail lines, indented by two spaces at least.
    valueSlot.value = value;
    const lines = valueDocument.toString(TO_STRING_OPTIONS).slice(0, -1).split('\n');
    text = { head: (lines[0] ?? '').slice('k: '.length), tail: lines.slice(1) };
  }
  if (valueCache.size >= CACHE_LIMIT) valueCache.clear();
  valueCache.set(value, text);
  return text;
}

function scalarKey(key: string): string {
  const cached = keyCache.get(key);
  if (cached !== undefined) return cached;
  let text = simpleText(key);
  if (text === undefined) {
    keySlot.value = key;
    const written = keyDocument.toString(TO_STRING_OPTIONS);
    const match = /^k:\n {2}(.*): 0\n$/s.exec(written);
    if (match?.[1] === undefined || match[1].includes('\n')) {
      throw new TypeError(`cannot write ${JSON.stringify(key)} as a one-line YAML key; got ${JSON.stringify(written)}`);
    }
    text = match[1];
  }
  if (keyCache.size >= CACHE_LIMIT) keyCache.clear();
  keyCache.set(key, text);
  return text;
}

function isPlainObject(value: object): value is Readonly<Record<string, unknown>> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Thrown by `isScalar` on the hot path; `toYamlDocument` then looks for where, off it. */
class NotJsonError extends TypeError {}

/** Whether `value` is written as a scalar (null, string, number, boolean) or a collection. */
function isScalar(value: unknown): value is string | number | boolean | null {
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || value === null) return true;
  if (type === 'object' && (Array.isArray(value) || isPlainObject(value as object))) return false;
  throw new NotJsonError();
}

/** Where the first value that is not JSON data sits, and what it is. */
function findNotJson(value: unknown, path: string): string | undefined {
  try {
    if (isScalar(value)) return undefined;
  } catch {
    const given = typeof value === 'object' ? ((value as object).constructor?.name ?? 'object') : typeof value;
    return `${path || 'the document'}: expected JSON data, got ${given}`;
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [`${path}[${index}]`, item ?? null] as const)
    : Object.entries(value as object)
        .filter(([, child]) => child !== undefined)
        .map(([key, child]) => [path ? `${path}.${key}` : key, child] as const);
  for (const [childPath, child] of entries) {
    const found = findNotJson(child, childPath);
    if (found) return found;
  }
  return undefined;
}

/** Like JSON: an undefined property is no property. */
function hasEntries(map: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(map).some((key) => map[key] !== undefined);
}

/**
 * The lines of `value`, the first starting with `head` (`key:`, `-`, or `- key:` in a sequence
 * item, already indented) and the node sitting at column `indent`. Mappings nest two spaces
 * deeper; a sequence under a key starts at the key's column (`indentSeq: false`); in a sequence
 * item the first child shares the `- ` line.
 */
function emit(head: string, indent: string, value: unknown): string {
  if (isScalar(value)) {
    const text = scalarValue(value);
    let out = `${head} ${text.head}\n`;
    for (const line of text.tail) out += line === '' ? '\n' : `${indent}${line}\n`;
    return out;
  }
  const inItem = head.endsWith('-');
  if (Array.isArray(value)) {
    if (value.length === 0) return `${head} []\n`;
    return inItem ? emitItems(`${head} `, `${indent}  `, value) : `${head}\n${emitItems(indent, indent, value)}`;
  }
  const map = value as Readonly<Record<string, unknown>>;
  if (!hasEntries(map)) return `${head} {}\n`;
  return inItem ? emitEntries(`${head} `, `${indent}  `, map) : `${head}\n${emitEntries(`${indent}  `, `${indent}  `, map)}`;
}

/** The items of a sequence at column `indent`; the first line starts with `first`. */
function emitItems(first: string, indent: string, items: readonly unknown[]): string {
  let out = '';
  for (let index = 0; index < items.length; index++) {
    // Like JSON: an undefined item is null.
    out += emit(`${index === 0 ? first : indent}-`, indent, items[index] ?? null);
  }
  return out;
}

/** The entries of a mapping at column `indent`; the first line starts with `first`. */
function emitEntries(first: string, indent: string, map: Readonly<Record<string, unknown>>): string {
  let out = '';
  let lead = first;
  for (const key of Object.keys(map)) {
    const child = map[key];
    if (child === undefined) continue;
    out += emit(`${lead}${scalarKey(key)}:`, indent, child);
    lead = indent;
  }
  return out;
}

/** YAML text for any JSON-like value, in the `dist/` style, keys in the order given. */
export function toYamlDocument(value: unknown): string {
  try {
    if (isScalar(value)) return toYamlDocumentReference(value);
    // The emitter joins pieces with `+`: flat, the text the render keeps is a quarter of the rope (./flat.ts).
    if (Array.isArray(value)) return value.length === 0 ? '[]\n' : flat(emitItems('', '', value));
    const map = value as Readonly<Record<string, unknown>>;
    return hasEntries(map) ? flat(emitEntries('', '', map)) : '{}\n';
  } catch (error) {
    if (!(error instanceof NotJsonError)) throw error;
    throw new TypeError(`cannot write YAML: ${findNotJson(value, '') ?? 'not JSON data'}`);
  }
}

const TOP_LEVEL_FIRST = ['apiVersion', 'kind', 'metadata'] as const;
const METADATA_FIRST = ['name', 'namespace', 'labels', 'annotations'] as const;

/** A copy of `source` whose keys come in `first` order, then the remaining keys sorted. */
function ordered(
  source: Readonly<Record<string, unknown>>,
  first: readonly string[],
  transform?: (key: string, value: unknown) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string): void => {
    const value = source[key];
    if (value !== undefined) out[key] = transform ? transform(key, value) : value;
  };
  for (const key of first) put(key);
  const rest = Object.keys(source)
    .filter((key) => !first.includes(key))
    .sort(byCodeUnit);
  for (const key of rest) put(key);
  return out;
}

/** YAML text for one API object, in the `dist/` style, with the canonical key order. */
export function toYaml(object: ApiObjectJson): string {
  const canonical = ordered(object, TOP_LEVEL_FIRST, (key, value) =>
    key === 'metadata' && typeof value === 'object' && value !== null && !Array.isArray(value)
      ? ordered(value as Readonly<Record<string, unknown>>, METADATA_FIRST)
      : value,
  );
  return toYamlDocument(canonical);
}
