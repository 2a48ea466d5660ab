/**
 * An app's declarations applied to its objects: the value paths of HelmReleases and other
 * CRDs that hold names, hosts, storage classes, placement and replica counts. Every declared
 * path must match, so a typo is an error rather than a twin silently left on prod's side.
 */
import type { TwinEditor } from './editor';
import { followReferences, mapStorageClasses, mergeNodeSelector, mergeTolerations, setReplicas, type FieldContext } from './fields';
import { twinIdentityValue } from './hosts';
import { parsePattern, type Segment } from './paths';
import type { TwinDeclaration } from './types';

/** The concrete paths of a declared pattern, or an error when it matches nothing. */
function declared(editor: TwinEditor, pattern: string, what: string): Segment[][] {
  const paths = editor.paths(pattern);
  if (paths.length === 0) editor.fail(`declared ${what} path "${pattern}" matches no field of the object`);
  return paths;
}

/**
 * Paths of a placement declaration: a plain path may be absent in prod (a chart that sets no
 * nodeSelector), and the twin then gets it; a wildcard path must match.
 */
function placementPaths(editor: TwinEditor, pattern: string, what: string): Segment[][] {
  const steps = parsePattern(pattern);
  const plain = steps.every((step) => 'key' in step);
  if (plain && editor.paths(pattern).length === 0) return [steps.map((step) => ('key' in step ? step.key : ''))];
  return declared(editor, pattern, what);
}

export function applyDeclaration(editor: TwinEditor, context: FieldContext, declaration: TwinDeclaration): void {
  for (const reference of declaration.names ?? []) {
    declared(editor, reference.path, 'name');
    followReferences(editor, context, [reference]);
  }
  for (const pattern of declaration.hosts ?? []) {
    for (const path of declared(editor, pattern, 'host')) {
      editor.mapString(path, (value) => twinIdentityValue(context.rules.hosts, value));
    }
  }
  for (const pattern of declaration.storageClasses ?? []) {
    mapStorageClasses(editor, context, declared(editor, pattern, 'storage class'));
  }
  for (const pattern of declaration.nodeSelectors ?? []) {
    for (const path of placementPaths(editor, pattern, 'node selector')) mergeNodeSelector(editor, path, context.rules.placement);
  }
  for (const pattern of declaration.tolerations ?? []) {
    for (const path of placementPaths(editor, pattern, 'tolerations')) mergeTolerations(editor, path, context.rules.placement);
  }
  for (const pattern of declaration.replicas ?? []) {
    for (const path of declared(editor, pattern, 'replicas')) setReplicas(editor, context, path);
  }
  const ingressClass = context.rules.ingressClass;
  for (const pattern of declaration.ingressClasses ?? []) {
    for (const path of declared(editor, pattern, 'ingress class')) if (ingressClass) editor.mapString(path, ingressClass);
  }
}
