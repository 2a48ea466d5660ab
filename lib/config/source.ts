/**
 * The environment file as YAML text, and where each of its nodes is, so that every check can
 * point at the line and column of the node it complains about. Plain files are read by a fast
 * reader; the full parse that keeps source ranges runs when a position is first asked for.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  visit,
  type Alias,
  type Document,
  type YAMLError,
} from 'yaml';
import { ConfigError, expectedGiven, formatPath, type ConfigPath, type ConfigProblem } from './errors';
import { readSimpleYaml } from './simple-yaml';

/** Nodes that aliases may expand to in all: a "billion laughs" alias bomb stops here. */
export const MAX_ALIAS_COUNT = 100;

/** The byte order mark of UTF-8 text: accepted, and not part of line 1's columns. */
const UTF8_BOM = '\uFEFF';

/** 1-based line and column in the environment file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Finds where a field path sits in the file: the value's node (`value`, the default) or the key
 * that names it (`key`). A path that does not exist resolves to its deepest existing ancestor,
 * which is where a missing field belongs.
 */
export type Locator = (path: ConfigPath, target?: 'key' | 'value') => Position;

/** The parsed file. `data` is only meaningful when `usable` is true. */
export interface YamlSource {
  /** The document as plain data (what the schema validates). */
  readonly data: unknown;
  /** False when a syntax error makes the document's structure unreliable. */
  readonly usable: boolean;
  /** Syntax errors, duplicate keys and unsupported constructs, in file order. */
  readonly problems: readonly ConfigProblem[];
  readonly locate: Locator;
  /** The first error of the YAML parser, kept as the `cause` of the ConfigError. */
  readonly cause?: YAMLError;
}

type Ranged = { readonly range?: readonly [number, number, number] | null };

/**
 * Parses the text (a leading UTF-8 byte order mark is skipped); never throws. Text in the plain
 * subset of YAML is read by the fast reader (`./simple-yaml.ts`); the full parser, which keeps
 * source ranges, then runs only if something asks where a node is (to report a problem).
 */
export function readYaml(file: string, given: string): YamlSource {
  const simple = readSimpleYaml(withoutBom(given));
  if (simple === undefined) return readYamlWithRanges(file, given);
  let full: YamlSource | undefined;
  const locate: Locator = (path, target) => (full ??= readYamlWithRanges(file, given)).locate(path, target);
  return { data: simple.data, usable: true, problems: [], locate };
}

const withoutBom = (given: string): string => (given.startsWith(UTF8_BOM) ? given.slice(UTF8_BOM.length) : given);

/** The full parse: every node with its source range, every syntax problem found. */
export function readYamlWithRanges(file: string, given: string): YamlSource {
  const text = withoutBom(given);
  const lineCounter = new LineCounter();
  // uniqueKeys off: duplicate keys are reported below with both positions and their path.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const nodePosition = (node: unknown): Position | undefined => {
    const range = (node as Ranged | null | undefined)?.range;
    return range ? position(range[0]) : undefined;
  };
  const start: Position = nodePosition(doc.contents) ?? { line: 1, column: 1 };

  const locate: Locator = (path, target = 'value') => {
    let node: unknown = doc.contents;
    let found = nodePosition(node) ?? start;
    for (const [index, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        // The last of duplicate keys wins, as in the data the schema saw.
        const pair = node.items.findLast((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (pair === undefined) return found;
        const keyPosition = nodePosition(pair.key) ?? found;
        if (index === path.length - 1 && target === 'key') return keyPosition;
        node = pair.value;
        // `key:` with no value: the empty scalar sits after the colon; the key reads better.
        const value = isScalar(node) && node.value === null && node.source === '' ? undefined : nodePosition(node);
        found = value ?? keyPosition;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        found = nodePosition(node) ?? found;
        if (node === undefined) return found;
      } else {
        return found;
      }
    }
    return found;
  };

  const problems: ConfigProblem[] = [];
  const problem = (at: Position, path: ConfigPath, expected: string, given: string, message: string) =>
    problems.push({ file, ...at, path: formatPath(path), expected, given, message });

  for (const error of [...doc.errors, ...doc.warnings]) {
    const at = position(error.pos[0]);
    const snippet = JSON.stringify(lineAt(text, error.pos[0]));
    if (error.code === 'MULTIPLE_DOCS') {
      problem(at, [], 'one YAML document per file', 'a second document', 'expected one YAML document per file; given a second document after ---');
    } else {
      problem(at, [], 'valid YAML', snippet, `YAML ${error.name === 'YAMLWarning' ? 'warning' : 'syntax error'}: ${error.message}`);
    }
  }
  const structural = checkKeys(doc, nodePosition, problem);
  const aliasProblems = doc.errors.length === 0 && structural ? checkAliases(doc, nodePosition, problem) : false;
  problems.sort((a, b) => a.line - b.line || a.column - b.column);

  const usable = doc.errors.length === 0 && structural && !aliasProblems;
  const data = usable ? doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) : undefined;
  return { data, usable, problems, locate, ...(doc.errors[0] ? { cause: doc.errors[0] } : {}) };
}

type Report = (at: Position, path: ConfigPath, expected: string, given: string, message: string) => void;

/**
 * Aliases that `toJS` would refuse with a bare ReferenceError and no position: an alias to an
 * anchor that is not set before it, and an alias bomb. Returns true when it found one.
 */
function checkAliases(doc: Document, nodePosition: (node: unknown) => Position | undefined, problem: Report): boolean {
  const aliases: Alias[] = [];
  visit(doc, { Alias: (_key, node) => void aliases.push(node) });
  const at = (node: Alias) => nodePosition(node) ?? { line: 1, column: 1 };
  const unresolved = aliases.filter((alias) => alias.resolve(doc) === undefined);
  for (const alias of unresolved) {
    const expected = 'an alias to an anchor set before it';
    problem(at(alias), [], expected, `*${alias.source}`, expectedGiven(expected, `*${alias.source}, and no &${alias.source} comes before it`));
  }
  if (unresolved.length > 0 || aliases.length === 0 || expandsWithin(doc, aliases, aliases.length)) return unresolved.length > 0;
  // The first alias whose expansion crosses the limit: the smallest prefix of aliases that fails.
  let [low, high] = [1, aliases.length];
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (expandsWithin(doc, aliases, middle)) low = middle + 1;
    else high = middle;
  }
  const bomb = aliases[low - 1] as Alias;
  const expected = `aliases that expand to at most ${MAX_ALIAS_COUNT} nodes in all`;
  problem(at(bomb), [], expected, `*${bomb.source}`, expectedGiven(expected, `*${bomb.source}, which expands past that (an alias bomb)`));
  return true;
}

/** Whether the document converts when only its first `kept` aliases are kept (the rest become null). */
function expandsWithin(doc: Document, aliases: readonly Alias[], kept: number): boolean {
  const copy = kept === aliases.length ? doc : doc.clone();
  let index = 0;
  if (copy !== doc) visit(copy, { Alias: () => (index++ < kept ? undefined : new Scalar(null)) });
  try {
    copy.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return true;
  } catch (error) {
    if (error instanceof ReferenceError) return false;
    throw error;
  }
}

/**
 * The text of an environment file's bytes, or a ConfigError at the first byte that is not UTF-8
 * (a UTF-16 file would otherwise read as one line of garbage). A UTF-8 byte order mark is kept:
 * `readYaml` skips it and `dr` writes it back.
 */
export function decodeText(file: string, bytes: Uint8Array): string {
  const refuse = (at: Position, given: string): never => {
    const problem = { file, ...at, path: '', expected: 'UTF-8 text', given };
    throw new ConfigError([{ ...problem, message: expectedGiven(problem.expected, given) }]);
  };
  const [first, second] = [bytes[0], bytes[1]];
  if ((first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff)) refuse({ line: 1, column: 1 }, 'UTF-16 (byte order mark)');
  const nul = bytes.indexOf(0);
  if (nul !== -1) refuse(bytePosition(bytes, nul), 'a NUL byte (UTF-16 or binary data)');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return refuse(bytePosition(bytes, bad), `the byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}, which is not UTF-8`);
  }
}

/** Line and column (in characters, as editors count them) of the byte at `offset`. */
function bytePosition(bytes: Uint8Array, offset: number): Position {
  const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).replace(/^\uFEFF/, '');
  return { line, column: before.length + 1 };
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (RFC 3629), or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's narrower ranges exclude overlong forms, surrogates and code points past U+10FFFF.
    const [low, high] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

/** The rest of the line from `offset`, trimmed: what the user sees at the reported column. */
function lineAt(text: string, offset: number): string {
  const end = text.indexOf('\n', offset);
  return text.slice(offset, end === -1 ? undefined : end).trim().slice(0, 60);
}

/**
 * Reports duplicate keys (the YAML parser would let the last one win silently) and keys that
 * are not plain scalars. Returns false when a key cannot become a JSON property name.
 */
function checkKeys(
  doc: Document,
  nodePosition: (node: unknown) => Position | undefined,
  problem: (at: Position, path: ConfigPath, expected: string, given: string, message: string) => void,
): boolean {
  let structural = true;
  const visit = (node: unknown, path: ConfigPath): void => {
    if (isSeq(node)) node.items.forEach((item, index) => visit(item, [...path, index]));
    if (!isMap(node)) return;
    const seen = new Map<string, Position>();
    for (const pair of node.items) {
      const at = nodePosition(pair.key) ?? nodePosition(node) ?? { line: 1, column: 1 };
      if (!isScalar(pair.key) || pair.key.value === null || typeof pair.key.value === 'object') {
        structural = false;
        problem(at, path, 'a plain key such as name', 'a complex key', expectedGiven('a plain key such as name', 'a complex key'));
        continue;
      }
      const key = String(pair.key.value);
      if (key === '__proto__') {
        // JavaScript objects treat this key specially; some consumers would drop it silently.
        structural = false;
        problem(at, path, 'a key other than __proto__', '"__proto__"', expectedGiven('a key other than __proto__', '"__proto__"'));
        continue;
      }
      const first = seen.get(key);
      if (first === undefined) seen.set(key, at);
      else {
        const given = `${JSON.stringify(key)} again (first at line ${first.line})`;
        problem(at, [...path, key], 'each key once per mapping', given, `duplicate key ${JSON.stringify(key)} (first at line ${first.line})`);
      }
      visit(pair.value, [...path, key]);
    }
  };
  visit(doc.contents, []);
  return structural;
}
