/**
 * Structural defaulting as the API server does it before it evaluates CEL rules: each schema
 * default is set on every present object that lacks the field. A rule such as
 * `!self.enabled || has(self.spec)` reads a field the user may leave to its default.
 */
import { isRecord } from '../../json';
import { parsePath, selectNodes } from './paths';
import type { CelDefault } from './rules-file';

/**
 * Sets `defaults` on `object` in place, in their order (parents first, so a defaulted object gets
 * its own fields' defaults). `copy` turns each default value into the object's representation
 * (a fresh value each time, never shared between nodes).
 */
export function applyDefaults(object: unknown, defaults: readonly CelDefault[], copy: (value: unknown) => unknown): void {
  for (const { path, field, value } of defaults) {
    for (const node of selectNodes(object, segmentsOf(path))) {
      if (isRecord(node.value) && node.value[field] === undefined) node.value[field] = copy(value);
    }
  }
}

const parsed = new Map<string, string[]>();

/** Parsed once per path: the same defaults apply to every object of a kind. */
export function segmentsOf(path: string): string[] {
  let segments = parsed.get(path);
  if (segments === undefined) {
    segments = parsePath(path);
    parsed.set(path, segments);
  }
  return segments;
}
