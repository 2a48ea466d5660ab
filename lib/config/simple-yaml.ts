/**
 * A fast reader for the plain YAML that environment files are written in: block mappings and
 * sequences, plain and simply quoted scalars, flow lists and mappings on one line, comments.
 * For such text it returns exactly what the `yaml` package's `parseDocument(text).toJS()`
 * returns; as soon as it meets anything else (anchors, aliases, tags, block scalars, escapes,
 * multi-line scalars or flow collections, duplicate or non-string keys, unusual indentation,
 * tabs, control characters…) it gives up and the caller uses the full parser, which also
 * reports every problem.
 *
 * Why hand-written: the full parser builds a syntax tree with every node's source range and
 * takes 150–250 ms on the 20,000-object bench fleet (284 KB); this reader takes about 5 ms.
 * Source positions are only needed to report a problem, and then the full parser runs.
 *
 * Plain scalars are resolved with the very tags of the `yaml` package's YAML 1.2 core schema,
 * so `true`, `~`, `0x1F` or `1e3` mean what they mean to it.
 */
import { Document, isScalar, type ScalarTag } from 'yaml';

/** The schema and options `parseDocument` uses when given no schema options. */
const DEFAULTS = new Document();

const scalarTags = (usable: (tag: ScalarTag) => boolean): ScalarTag[] =>
  DEFAULTS.schema.tags.filter((tag): tag is ScalarTag => !('collection' in tag && tag.collection !== undefined) && tag.test !== undefined && usable(tag as ScalarTag));

/** The tags a plain value is tested against, in the schema's order (the first match wins). */
const VALUE_TAGS = scalarTags((tag) => tag.default === true);
/** The tags a plain key is tested against: any match makes it a key this reader leaves alone. */
const KEY_TAGS = scalarTags((tag) => tag.default === true || tag.default === 'key');

/** Tabs, carriage returns, control characters, line separators and byte order marks: the full parser decides. */
const AWKWARD_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\t\r]/;
/** A block mapping's key line: a plain key (no quotes, spaces or indicators), a colon, then a space or the end. */
const KEY_LINE = /^([A-Za-z0-9_./][A-Za-z0-9_./-]*):(?: +|$)/;
/** The longest implicit key YAML accepts. */
const MAX_KEY_LENGTH = 1024;
/** Characters that may not start a plain value here (YAML indicators; `-` is handled apart). */
const INDICATORS = new Set(['&', '*', '!', '|', '>', '%', '@', '`', ',', '[', ']', '{', '}', '#', '?', ':', '"', "'"]);
/** An unquoted item of a one-line flow collection: no flow indicators, colons, comments or quotes. */
const FLOW_PLAIN = /^[A-Za-z0-9_.~+/][A-Za-z0-9_.~+/ -]*$/;
/** A flow mapping's key: as in a block mapping, then `: `. */
const FLOW_KEY = /^([A-Za-z0-9_./][A-Za-z0-9_./-]*): +/;
/** What may follow a quoted scalar or a flow list on its line: spaces, then maybe a comment. */
const LINE_END = /^(?: *| +#.*)$/;

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
const UNSUPPORTED = Symbol('unsupported');

/** The document as plain data, or undefined when the text is not in the subset this reader knows. */
export function readSimpleYaml(text: string): { readonly data: unknown } | undefined {
  if (AWKWARD_CHARACTERS.test(text)) return undefined;
  try {
    return { data: new SimpleYamlReader(text).document() };
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

function unsupported(): never {
  throw UNSUPPORTED;
}

/** One pass over the content lines (blank and comment-only lines dropped), by indentation. */
class SimpleYamlReader {
  /** Indentation (spaces) of each content line. */
  private readonly indents: number[] = [];
  /** Each content line without its indentation. */
  private readonly contents: string[] = [];
  /** The content line being read. */
  private at = 0;

  constructor(text: string) {
    for (const line of text.split('\n')) {
      let indent = 0;
      while (line.charCodeAt(indent) === 32) indent++;
      const content = line.slice(indent);
      if (content === '' || content.startsWith('#')) continue;
      // Document markers and directives.
      if (indent === 0 && (content.startsWith('---') || content.startsWith('...') || content.startsWith('%'))) unsupported();
      this.indents.push(indent);
      this.contents.push(content);
    }
  }

  document(): unknown {
    if (this.contents.length === 0 || this.indents[0] !== 0) unsupported();
    const data = this.node(0);
    if (this.at !== this.contents.length) unsupported();
    return data;
  }

  private node(indent: number): unknown {
    return isSequenceItem(this.contents[this.at] ?? '') ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    while (this.at < this.contents.length && this.indents[this.at] === indent) {
      const content = this.contents[this.at] as string;
      const match = KEY_LINE.exec(content);
      if (match === null) unsupported();
      const key = plainKey(match[1] as string);
      if (Object.hasOwn(map, key)) unsupported();
      const rest = content.slice(match[0].length);
      this.at++;
      if (rest === '' || rest.startsWith('#')) {
        map[key] = this.nested(indent, true);
      } else {
        map[key] = inlineValue(rest);
        // A deeper line after a value continues a multi-line scalar (or is an error).
        if (this.deeperThan(indent)) unsupported();
      }
    }
    return map;
  }

  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    while (this.at < this.contents.length && this.indents[this.at] === indent && isSequenceItem(this.contents[this.at] as string)) {
      const content = this.contents[this.at] as string;
      let offset = 1;
      while (content.charCodeAt(offset) === 32) offset++;
      const rest = content.slice(offset);
      if (rest === '' || rest.startsWith('#')) {
        this.at++;
        list.push(this.nested(indent, false));
        continue;
      }
      if (isSequenceItem(rest)) unsupported();
      if (KEY_LINE.test(rest)) {
        // `- key: value`: a mapping whose later keys line up under this first one.
        this.indents[this.at] = indent + offset;
        this.contents[this.at] = rest;
        list.push(this.mapping(indent + offset));
      } else {
        this.at++;
        list.push(inlineValue(rest));
      }
      if (this.deeperThan(indent)) unsupported();
    }
    return list;
  }

  /**
   * The value of `key:` or `-` with nothing after it on its line: the deeper block that follows,
   * a sequence at the key's own indentation (YAML allows `key:` then `- item` unindented), or null.
   */
  private nested(indent: number, sequenceMayAlign: boolean): unknown {
    if (this.deeperThan(indent)) return this.node(this.indents[this.at] as number);
    if (sequenceMayAlign && this.indents[this.at] === indent && isSequenceItem(this.contents[this.at] as string)) return this.sequence(indent);
    return null;
  }

  private deeperThan(indent: number): boolean {
    return this.at < this.contents.length && (this.indents[this.at] as number) > indent;
  }
}

function isSequenceItem(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

/** A value written on the line of its key or dash: a scalar, a one-line flow list or `{}`. */
function inlineValue(rest: string): unknown {
  const first = rest[0] as string;
  if (first === '"' || first === "'") {
    const { value, end } = quoted(rest, 0);
    if (!LINE_END.test(rest.slice(end))) unsupported();
    return value;
  }
  if (first === '[' || first === '{') {
    const { value, end } = flowCollection(rest, 0);
    if (!LINE_END.test(rest.slice(end))) unsupported();
    return value;
  }
  if (INDICATORS.has(first) || (first === '-' && (rest.length === 1 || rest[1] === ' '))) unsupported();
  const comment = rest.indexOf(' #');
  const value = trimSpaces(comment === -1 ? rest : rest.slice(0, comment));
  // `: ` inside a value would start a nested mapping (a YAML error); a trailing colon too.
  if (value.includes(': ') || value.endsWith(':')) unsupported();
  return plainScalar(value);
}

/** A quoted scalar without escapes starting at `start`: its text and the index after its closing quote. */
function quoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start] as string;
  const close = text.indexOf(quote, start + 1);
  if (close === -1) unsupported();
  const value = text.slice(start + 1, close);
  // Escapes (`\"`, `''`) are left to the full parser.
  if (quote === '"' ? value.includes('\\') : text[close + 1] === "'") unsupported();
  return { value, end: close + 1 };
}

/** A flow list or mapping closed on its line (`[a, "b", 3]`, `{ name: x, taints: [...] }`), and the index after it. */
function flowCollection(text: string, start: number): { value: unknown; end: number } {
  const mapping = text[start] === '{';
  const close = mapping ? '}' : ']';
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  let at = skipSpaces(text, start + 1);
  if (text[at] === close) return { value: mapping ? map : list, end: at + 1 };
  for (;;) {
    at = skipSpaces(text, at);
    let key: string | undefined;
    if (mapping) {
      const match = FLOW_KEY.exec(text.slice(at));
      if (match === null) unsupported();
      key = plainKey(match[1] as string);
      if (Object.hasOwn(map, key)) unsupported();
      at += match[0].length;
    }
    const item = flowItem(text, at);
    if (key === undefined) list.push(item.value);
    else map[key] = item.value;
    at = skipSpaces(text, item.end);
    if (text[at] === ',') {
      at++;
      continue;
    }
    if (text[at] !== close) unsupported();
    return { value: mapping ? map : list, end: at + 1 };
  }
}

/** One item of a flow collection: a nested collection, a quoted scalar, or a plain one without indicators. */
function flowItem(text: string, start: number): { value: unknown; end: number } {
  const first = text[start];
  if (first === '[' || first === '{') return flowCollection(text, start);
  if (first === '"' || first === "'") return quoted(text, start);
  let end = start;
  while (end < text.length && text[end] !== ',' && text[end] !== ']' && text[end] !== '}') end++;
  const value = trimSpaces(text.slice(start, end));
  if (!FLOW_PLAIN.test(value)) unsupported();
  return { value: plainScalar(value), end };
}

/** A key this reader takes as written: one that means a string, other than `__proto__`. */
function plainKey(key: string): string {
  if (key === '__proto__' || key.length > MAX_KEY_LENGTH || KEY_TAGS.some((tag) => tag.test?.test(key))) unsupported();
  return key;
}

/** What a plain scalar means in the core schema: null, a boolean, a number, or the string itself. */
function plainScalar(value: string): unknown {
  for (const tag of VALUE_TAGS) {
    if (!tag.test?.test(value)) continue;
    const resolved: unknown = tag.resolve(value, unsupported, DEFAULTS.options);
    return isScalar(resolved) ? resolved.value : resolved;
  }
  return value;
}

function skipSpaces(text: string, at: number): number {
  let index = at;
  while (text.charCodeAt(index) === 32) index++;
  return index;
}

/** Only spaces: YAML trims no other whitespace (a no-break space is text). */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(0, end);
}
