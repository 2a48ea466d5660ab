/**
 * The environment file as YAML text: parsed once with its source ranges kept, so that every
 * later check can point at the line and column of the node it complains about.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type YAMLError,
} from 'yaml';
import { expectedGiven, formatPath, type ConfigPath, type ConfigProblem } from './errors';

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

/** Parses the text; never throws. */
export function readYaml(file: string, text: string): YamlSource {
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
  problems.sort((a, b) => a.line - b.line || a.column - b.column);

  const usable = doc.errors.length === 0 && structural;
  const data = usable ? doc.toJS({ maxAliasCount: 100 }) : undefined;
  return { data, usable, problems, locate, ...(doc.errors[0] ? { cause: doc.errors[0] } : {}) };
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
