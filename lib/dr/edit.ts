/**
 * Changes the DR state in the text of an environment file and keeps every other byte: comments,
 * blank lines, quoting, flow collections and indentation stay as the author wrote them. The
 * file is parsed with `yaml` only to find the byte ranges of the nodes to change; the edit
 * itself splices those bytes. Pure: text in, text out; the caller validates and writes.
 */
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type Pair, type YAMLMap } from 'yaml';
import { formatPath, type ConfigPath } from '../config/errors';
import type { DrState } from '../config/schema';

/** One change made to the file, as `dr activate` reports it. */
export interface StateChange {
  /** 1-based line of the change in the original text. */
  readonly line: number;
  /** The field edited: `dr.state`, `clusters[0].apps[0].dr`. */
  readonly path: string;
  /** The field's YAML before and after; absent where the field does not exist. */
  readonly before?: string;
  readonly after?: string;
}

/** The edited text and what changed; `changes` is empty (and `text` the original) when the state is in force. */
export interface StateEdit {
  readonly text: string;
  readonly changes: readonly StateChange[];
}

/** The file cannot be edited as asked (the app has no twin, an unexpected shape). */
export class StateEditError extends Error {
  override readonly name = 'StateEditError';
}

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly change: Omit<StateChange, 'line'>;
}

type Range = readonly [number, number, number];
const rangeOf = (node: unknown): Range => {
  const range = (node as { range?: Range | null } | null)?.range;
  if (!range) throw new StateEditError('the environment file has a node without a source position');
  return range;
};

/** The text and the byte ranges of one parsed environment file. */
class Source {
  readonly doc: Document;
  readonly eol: string;

  constructor(readonly text: string) {
    this.doc = parseDocument(text, { uniqueKeys: false });
    if (this.doc.errors.length > 0) throw new StateEditError(`the environment file is not valid YAML: ${this.doc.errors[0]?.message}`);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  lineOf(offset: number): number {
    let line = 1;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) line++;
    return line;
  }

  lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Just after the line break that ends the line holding `offset` (or the end of the text). */
  nextLine(offset: number): number {
    const at = this.text.indexOf('\n', offset);
    return at === -1 ? this.text.length : at + 1;
  }

  /** The text from `offset` to the end of its line: a trailing comment, for one. */
  restOfLine(offset: number): string {
    return this.text.slice(offset, this.nextLine(offset));
  }

  /** The source text of a node (a scalar as written, with its quotes). */
  source(node: unknown): string {
    const [start, end] = rangeOf(node);
    return this.text.slice(start, end);
  }

  /** A scalar holding `value`, quoted the way `like` is. */
  scalarLike(like: unknown, value: string): string {
    if (isScalar(like) && like.type === Scalar.QUOTE_DOUBLE) return `"${value}"`;
    if (isScalar(like) && like.type === Scalar.QUOTE_SINGLE) return `'${value}'`;
    return value;
  }

  /**
   * A splice adding `key: value` to a mapping: right after the line of its parent key in a block
   * mapping (so comments above the first key stay with it), first in a flow mapping.
   */
  insertInto(map: YAMLMap, parentKey: unknown, key: string, value: string, path: ConfigPath): Splice {
    const change = { path: formatPath([...path, key]), after: value };
    if (map.flow) {
      const [start, end] = rangeOf(map);
      const first = map.items[0];
      if (first === undefined) return { start, end, text: `{ ${key}: ${value} }`, change };
      const at = rangeOf(first.key)[0];
      return { start: at, end: at, text: `${key}: ${value}, `, change };
    }
    const first = map.items[0];
    if (first === undefined) throw new StateEditError(`${formatPath(path)}: cannot edit an empty block mapping`);
    const firstKey = rangeOf(first.key)[0];
    const indent = ' '.repeat(firstKey - this.lineStart(firstKey));
    const at = this.nextLine(rangeOf(parentKey)[1]);
    return { start: at, end: at, text: `${indent}${key}: ${value}${this.eol}`, change };
  }

  /** A splice removing the pair `pair` of `map` (the map keeps at least one other pair). */
  removeFrom(map: YAMLMap, pair: Pair, path: ConfigPath): Splice {
    const change = { path: formatPath([...path, String((pair.key as Scalar).value)]), before: this.source(pair.value) };
    const index = map.items.indexOf(pair);
    if (!map.flow) {
      const start = this.lineStart(rangeOf(pair.key)[0]);
      return { start, end: this.nextLine(rangeOf(pair.value)[1]), text: '', change };
    }
    const next = map.items[index + 1];
    if (next !== undefined) return { start: rangeOf(pair.key)[0], end: rangeOf(next.key)[0], text: '', change };
    const previous = map.items[index - 1];
    if (previous === undefined) throw new StateEditError(`${formatPath(path)}: cannot remove the only key of a mapping`);
    return { start: rangeOf(previous.value)[1], end: rangeOf(pair.value)[1], text: '', change };
  }

  /** A splice replacing a whole node (a scalar, or a flow collection) with `text`. */
  replace(node: unknown, text: string, path: ConfigPath): Splice {
    const [start, end] = rangeOf(node);
    return { start, end, text, change: { path: formatPath(path), before: this.text.slice(start, end), after: text } };
  }

  apply(splices: readonly Splice[]): StateEdit {
    let text = this.text;
    for (const splice of [...splices].sort((a, b) => b.start - a.start)) {
      text = text.slice(0, splice.start) + splice.text + text.slice(splice.end);
    }
    const changes = [...splices]
      .sort((a, b) => a.start - b.start)
      .map((splice) => ({ line: this.lineOf(splice.start), ...splice.change }));
    return { text, changes };
  }
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.findLast((pair) => isScalar(pair.key) && String(pair.key.value) === key);
}

/** The state an environment is in when its file sets none. */
const DEFAULT_STATE: DrState = 'standby';

/**
 * The comment on a `state:` line twinops added to a file that set no state. Going back to the
 * default removes the line again (and the `dr:` block twinops added with it), so that
 * `dr activate` then `dr standby` gives back the original bytes.
 */
export const ADDED_STATE_MARK = '# added by twinops dr; removed again at standby';

/**
 * Sets the environment-level `dr.state`, creating `state:` or the whole `dr:` block if missing
 * (marked, see ADDED_STATE_MARK). The default state needs no line: setting it where none is set
 * changes nothing.
 */
export function setEnvironmentState(text: string, state: DrState): StateEdit {
  const source = new Source(text);
  const root = source.doc.contents;
  if (!isMap(root) || root.flow) throw new StateEditError('the environment file is not a block mapping');
  const drPair = pairOf(root, 'dr');
  const unchanged: StateEdit = { text, changes: [] };
  if (drPair === undefined) {
    if (state === DEFAULT_STATE) return unchanged;
    // At the end of the top level, indented like the file's other blocks.
    const indent = blockIndent(source, root) ?? '  ';
    const separator = text === '' || text.endsWith('\n') ? '' : source.eol;
    const block = `${separator}dr:${source.eol}${indent}state: ${state} ${ADDED_STATE_MARK}${source.eol}`;
    return source.apply([{ start: text.length, end: text.length, text: block, change: { path: 'dr.state', after: state } }]);
  }
  const dr = drPair.value;
  if (!isMap(dr)) throw new StateEditError(`dr: expected a mapping; given ${JSON.stringify(source.source(dr))}`);
  const statePair = pairOf(dr, 'state');
  if (statePair === undefined) {
    if (state === DEFAULT_STATE) return unchanged;
    const change = { path: 'dr.state', after: state };
    if (!dr.flow) return source.apply([{ ...source.insertInto(dr, drPair.key, 'state', `${state} ${ADDED_STATE_MARK}`, ['dr']), change }]);
    // A comment cannot sit inside a flow mapping: the mark goes right after it, on its line.
    const insertion = source.insertInto(dr, drPair.key, 'state', state, ['dr']);
    const end = rangeOf(dr)[1];
    const text = `${insertion.text}${source.text.slice(insertion.end, end)} ${ADDED_STATE_MARK}`;
    return source.apply([{ start: insertion.start, end, text, change }]);
  }
  if (isScalar(statePair.value) && statePair.value.value === state) return unchanged;
  const markedAt = dr.flow ? rangeOf(dr)[1] : rangeOf(statePair.value)[1];
  if (state === DEFAULT_STATE && source.restOfLine(markedAt).includes(ADDED_STATE_MARK)) {
    return source.apply([dr.flow ? removeAddedFlowState(source, dr, statePair) : removeAddedState(source, drPair, dr, statePair)]);
  }
  return source.apply([source.replace(statePair.value, source.scalarLike(statePair.value, state), ['dr', 'state'])]);
}

/** Removes a marked `state` from a flow mapping, with the mark after it (`{ state: active }` → `{}`). */
function removeAddedFlowState(source: Source, dr: YAMLMap, statePair: Pair): Splice {
  const change = { path: 'dr.state', before: source.source(statePair.value) };
  const [mapStart, mapEnd] = rangeOf(dr);
  const markEnd = source.text.indexOf(ADDED_STATE_MARK, mapEnd) + ADDED_STATE_MARK.length;
  const markStart = source.text.lastIndexOf(` ${ADDED_STATE_MARK}`, markEnd);
  if (dr.items.length === 1) return { start: mapStart, end: markEnd, text: `{}${source.text.slice(mapEnd, markStart)}`, change };
  const removal = source.removeFrom(dr, statePair, ['dr']);
  return { start: removal.start, end: markEnd, text: source.text.slice(removal.end, markStart), change };
}

/** Removes a marked `state:` line, with its `dr:` block when that holds nothing else. */
function removeAddedState(source: Source, drPair: Pair, dr: YAMLMap, statePair: Pair): Splice {
  const before = source.source(statePair.value);
  const change = { path: 'dr.state', before };
  if (dr.items.length > 1) return { ...source.removeFrom(dr, statePair, ['dr']), change };
  const start = source.lineStart(rangeOf(drPair.key)[0]);
  return { start, end: source.nextLine(rangeOf(statePair.value)[1]), text: '', change };
}

/** The indentation of the top level's first nested block mapping, if any. */
function blockIndent(source: Source, root: YAMLMap): string | undefined {
  for (const pair of root.items) {
    if (isMap(pair.value) && !pair.value.flow && pair.value.items[0] !== undefined) {
      const [start] = rangeOf(pair.value.items[0].key);
      return ' '.repeat(start - source.lineStart(start));
    }
  }
  return undefined;
}

/** Which placements a state change applies to; both fields narrow it. */
export interface PlacementScope {
  /** One app. Default: every app with a DR twin in the scope (apps without one are skipped). */
  readonly app?: string;
  /** One cluster, by name. Default: every cluster. */
  readonly cluster?: string;
}

/** One `clusters[i].apps[j]` mapping of the document. */
interface PlacementNode {
  readonly cluster: string;
  readonly app: string;
  readonly placement: YAMLMap;
  readonly path: ConfigPath;
}

/** Every `clusters[i].apps[j]` mapping of the document inside `scope`, in file order. */
function placements(source: Source, scope: PlacementScope): PlacementNode[] {
  const found: PlacementNode[] = [];
  const clusters = isMap(source.doc.contents) ? pairOf(source.doc.contents, 'clusters')?.value : undefined;
  if (!isSeq(clusters)) return found;
  clusters.items.forEach((cluster, i) => {
    if (!isMap(cluster)) return;
    const name = pairOf(cluster, 'name')?.value;
    const clusterName = isScalar(name) ? String(name.value) : `#${i}`;
    const apps = pairOf(cluster, 'apps')?.value;
    if (!isSeq(apps) || (scope.cluster !== undefined && clusterName !== scope.cluster)) return;
    apps.items.forEach((placement, j) => {
      const chart = isMap(placement) ? pairOf(placement, 'app')?.value : undefined;
      if (!isMap(placement) || !isScalar(chart)) return;
      const app = String(chart.value);
      if (scope.app === undefined || app === scope.app) found.push({ cluster: clusterName, app, placement, path: ['clusters', i, 'apps', j] });
    });
  });
  return found;
}

/** `wordpress`, `wordpress on cluster east`, `cluster east`: the scope as an error names it. */
function describeScope(scope: PlacementScope): string {
  const app = scope.app === undefined ? undefined : `app "${scope.app}"`;
  const cluster = scope.cluster === undefined ? undefined : `cluster "${scope.cluster}"`;
  return [app, cluster].filter((part) => part !== undefined).join(' on ') || 'any cluster';
}

/**
 * Sets the state of app `app` on every cluster that places it. `environmentState` is the
 * environment-level state in force (`dr.state` or its default): an app set to it loses its own
 * state (`{ state: active }` goes back to `true`), so the round trip restores the original bytes.
 */
export function setAppState(text: string, app: string, state: DrState, environmentState: DrState): StateEdit {
  return setPlacementState(text, { app }, state, environmentState);
}

/**
 * Sets the state of every placement in `scope`, as `setAppState` does for one app. A scope that
 * names the app refuses a placement of it without a twin; a scope of every app skips those.
 */
export function setPlacementState(text: string, scope: PlacementScope, state: DrState, environmentState: DrState): StateEdit {
  const source = new Source(text);
  const found = placements(source, scope);
  if (found.length === 0) throw new StateEditError(`no ${describeScope(scope)} is placed`);
  const edits = found.map((target) => ({ target, ...placementEdit(source, target, state, environmentState) }));
  const twinless = edits.find((edit) => edit.noTwin !== undefined);
  if (twinless !== undefined && scope.app !== undefined) {
    throw new StateEditError(`${twinless.target.app} has no DR twin on cluster ${twinless.target.cluster} (${twinless.noTwin})`);
  }
  const twinned = edits.filter((edit) => edit.noTwin === undefined);
  if (twinned.length === 0) throw new StateEditError(`no app with a DR twin is placed on ${describeScope(scope)}`);
  return source.apply(twinned.flatMap((edit) => edit.splices));
}

/** The splices that put one placement in `state`, or why it has no twin to put in a state. */
function placementEdit(
  source: Source,
  { placement, path }: PlacementNode,
  state: DrState,
  environmentState: DrState,
): { readonly splices: readonly Splice[]; readonly noTwin?: string } {
  const none: readonly Splice[] = [];
  const drPair = pairOf(placement, 'dr');
  const dr = drPair?.value;
  if (drPair === undefined) return { splices: none, noTwin: 'dr is not set' };
  const drPath = [...path, 'dr'];
  if (isScalar(dr) && dr.value === false) return { splices: none, noTwin: 'dr is false' };
  const inherit = state === environmentState;
  if (isScalar(dr) && dr.value === true) return { splices: inherit ? none : [source.replace(dr, `{ state: ${state} }`, drPath)] };
  if (!isMap(dr)) throw new StateEditError(`${formatPath(drPath)}: expected true, false or a mapping; given ${JSON.stringify(source.source(dr))}`);
  const enabled = pairOf(dr, 'enabled')?.value;
  if (isScalar(enabled) && enabled.value === false) return { splices: none, noTwin: 'dr.enabled is false' };
  const statePair = pairOf(dr, 'state');
  if (statePair === undefined) return { splices: inherit ? none : [source.insertInto(dr, drPair.key, 'state', state, drPath)] };
  // `{ state: active }` or a block with state only: back to the plain `true`.
  if (inherit && dr.items.length === 1) return { splices: [dr.flow ? source.replace(dr, 'true', drPath) : replaceBlockWithTrue(source, drPair, statePair, drPath)] };
  if (inherit) return { splices: [source.removeFrom(dr, statePair, drPath)] };
  if (isScalar(statePair.value) && statePair.value.value === state) return { splices: none };
  return { splices: [source.replace(statePair.value, source.scalarLike(statePair.value, state), [...drPath, 'state'])] };
}

/** `dr:\n  state: active` → `dr: true`: everything after the key's colon up to the end of the value. */
function replaceBlockWithTrue(source: Source, drPair: Pair, only: Pair, path: ConfigPath): Splice {
  const colon = source.text.indexOf(':', rangeOf(drPair.key)[1]);
  // The value's own end: a block mapping's range runs on over the line break that ends it.
  const end = rangeOf(only.value)[1];
  const before = source.text.slice(colon + 1, end).trim();
  return { start: colon + 1, end, text: ' true', change: { path: formatPath(path), before, after: 'true' } };
}
