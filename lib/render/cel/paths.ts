/**
 * Schema paths of CEL rules (`spec.files[*].contentFrom`) and the nodes of an object they select.
 * `[*]` is each item of a list or each value of a map (`additionalProperties`); a property whose
 * name is not a plain identifier is written `["name"]`.
 */
import { isRecord } from '../../json';

export const EACH = '[*]';

/** A selected node and its concrete path, as validate.ts prints paths: `spec.files[2]`, `a["b.c"]`. */
export interface SelectedNode {
  readonly value: unknown;
  readonly path: string;
}

/** The schema path of a property under `parent`. */
export function childPath(parent: string, name: string): string {
  return appendKey(parent, name);
}

/** The schema path of each item or map value under `parent`. */
export function eachPath(parent: string): string {
  return `${parent}${EACH}`;
}

/** The segments of a schema path: property names, and `EACH`. */
export function parsePath(path: string): string[] {
  const segments: string[] = [];
  let rest = path;
  while (rest !== '') {
    if (rest.startsWith(EACH)) {
      segments.push(EACH);
      rest = rest.slice(EACH.length);
    } else if (rest.startsWith('["')) {
      const end = quotedEnd(rest);
      segments.push(JSON.parse(rest.slice(1, end)) as string);
      rest = rest.slice(end + 1);
    } else {
      const match = /^\.?([A-Za-z_$][\w$-]*)/.exec(rest);
      if (match === null || match[1] === undefined) throw new Error(`invalid CEL rule path "${path}" at "${rest}"`);
      segments.push(match[1]);
      rest = rest.slice(match[0].length);
    }
  }
  return segments;
}

/** Every node `segments` selects in `root`; absent nodes (optional fields, empty lists) select nothing. */
export function selectNodes(root: unknown, segments: readonly string[]): SelectedNode[] {
  let nodes: SelectedNode[] = [{ value: root, path: '' }];
  for (const segment of segments) {
    const next: SelectedNode[] = [];
    for (const { value, path } of nodes) {
      if (segment === EACH) {
        if (Array.isArray(value)) value.forEach((item, i) => next.push({ value: item, path: `${path}[${i}]` }));
        else if (isRecord(value)) for (const [key, item] of Object.entries(value)) next.push({ value: item, path: `${path}[${JSON.stringify(key)}]` });
      } else if (isRecord(value) && value[segment] !== undefined && value[segment] !== null) {
        next.push({ value: value[segment], path: appendKey(path, segment) });
      }
    }
    nodes = next;
  }
  return nodes;
}

function appendKey(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** The index of the `]` closing a `["..."]` segment at the start of `text`. */
function quotedEnd(text: string): number {
  for (let i = 2; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  throw new Error(`invalid CEL rule path: unterminated quoted name in "${text}"`);
}
