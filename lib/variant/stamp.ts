/**
 * The labels twinops puts on every object of an app variant, and on the pods and claims it creates: who
 * manages it, which app it belongs to and which variant it is. The runbook and the policies find
 * a variant's pods by them (`-l twinops.dev/app=wordpress,twinops.dev/variant=dr`).
 */
import { sortedKeys } from '../json';
import type { ApiObjectJson } from '../model';
import { LABEL, type VariantKind } from './rules';
import { cloneJson, expand, getAt, isMap, setAt, type Json, type JsonMap, type Segment } from './twin/paths';
import { sortedSharing, withKey } from './twin/sorted';
import { ruleFor } from './twin/table';

/** The labels of one variant of `app`. */
export function variantLabels(app: string, kind: VariantKind): Record<string, string> {
  return { [LABEL.managedBy]: 'twinops', [LABEL.app]: app, [LABEL.variant]: kind };
}

/** The paths of the label maps to stamp in `object`: its own, and those of its pod (and claim) templates. */
function labelParents(object: Json, apiVersion: string, kind: string): Segment[][] {
  const podLabelPaths = ruleFor(apiVersion, kind)?.podLabels ?? [];
  const templates = [
    ...podLabelPaths.map((pattern) => pattern.replace(/\.metadata\.labels$/, '')),
    // The claims a StatefulSet creates carry the labels too, so the volume snapshot job finds them.
    ...(kind === 'StatefulSet' ? ['spec.volumeClaimTemplates[]'] : []),
  ];
  return [['metadata', 'labels'], ...templates.flatMap((pattern) => expand(object, pattern).map((path) => [...path, 'metadata', 'labels']))];
}

/**
 * A copy of `object` with the variant's labels on its metadata and on every pod template the
 * rule table knows for its kind (a CronJob's job template too). The chart's own labels stay;
 * twinops' keys win, since they say what twinops rendered. Keys come out sorted as cdk8s sorts them.
 */
export function stampVariant(object: ApiObjectJson, app: string, kind: VariantKind): ApiObjectJson {
  const labels = variantLabels(app, kind);
  // The fast path shares what it does not change with `object` (see `./twin/sorted`).
  const sorted = sortedSharing(object);
  const stamped = sorted === undefined ? undefined : stampSorted(sorted, labels, labelParents(sorted, object.apiVersion, object.kind));
  return (stamped ?? stampCopy(object, labels)) as unknown as ApiObjectJson;
}

/**
 * The labels merged in at each path of an already sorted object, copying only the maps on the
 * way; undefined when a step is neither a map nor missing (the exact path then fails as before).
 */
function stampSorted(sorted: Json, labels: Readonly<Record<string, string>>, parents: readonly Segment[][]): Json | undefined {
  let root: Json | undefined = sorted;
  for (const path of parents) {
    if (root === undefined) return undefined;
    root = mergedAt(root, path, 0, labels);
  }
  return root;
}

function mergedAt(node: Json, path: readonly Segment[], depth: number, labels: Readonly<Record<string, string>>): Json | undefined {
  if (depth === path.length) {
    const merged: JsonMap = { ...(isMap(node) ? node : {}), ...labels };
    return Object.fromEntries(Object.keys(merged).sort().map((key) => [key, merged[key]]));
  }
  const segment = path[depth] as Segment;
  if (typeof segment === 'number') {
    if (!Array.isArray(node) || !isMap(node[segment])) return undefined;
    const child = mergedAt(node[segment], path, depth + 1, labels);
    if (child === undefined) return undefined;
    const copy = node.slice();
    copy[segment] = child;
    return copy;
  }
  if (!isMap(node)) return undefined;
  const current = node[segment];
  if (current !== undefined && !isMap(current)) return undefined;
  const child = mergedAt(current ?? {}, path, depth + 1, labels);
  return child === undefined ? undefined : withKey(node, segment, child);
}

/** The exact, copying path: for objects JSON would change, and the errors of objects that cannot be stamped. */
function stampCopy(object: ApiObjectJson, labels: Readonly<Record<string, string>>): Json {
  const stamped = cloneJson(object) as JsonMap;
  for (const path of labelParents(stamped, object.apiVersion, object.kind)) {
    const current = getAt(stamped, path);
    setAt(stamped, path, { ...(isMap(current) ? current : {}), ...labels });
  }
  return sortedKeys(stamped);
}
