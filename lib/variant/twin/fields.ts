/**
 * The field rules, each applied to the twin at the concrete paths a table row or a
 * declaration names: references, values with hosts, placement, storage, replicas and routes.
 */
import type { Placement } from '../rules';
import type { TwinEditor } from './editor';
import { twinIdentityValue, twinRouteHosts, twinTraefikMatch } from './hosts';
import type { Renames } from './names';
import { isMap, jsonEqual, type Segment } from './paths';
import type { TableReference } from './table';
import type { TwinRules } from './types';

/** What every field rule needs: the environment's rules and the app's renames. */
export interface FieldContext {
  readonly rules: TwinRules;
  readonly renames: Renames;
  /** Namespace of the object being twinned. */
  readonly namespace: string | undefined;
}

const join = (prefix: string, path: string) => (prefix === '' ? path : `${prefix}.${path}`);

/**
 * Names of other objects follow their renames; a Service reference also in its host forms. A
 * reference naming its namespace (`namespace: home`) follows a renamed object into the twin's
 * namespace; one to an object the twin does not rename keeps its namespace.
 */
export function followReferences(editor: TwinEditor, context: FieldContext, references: readonly TableReference[], prefix = ''): void {
  for (const reference of references) {
    for (const path of editor.paths(join(prefix, reference.path))) {
      const parentPath = path.slice(0, -1);
      const parent = editor.get(parentPath);
      const sibling = (key: string | undefined) => (key !== undefined && isMap(parent) ? parent[key] : undefined);
      const kindValue = sibling(reference.kindField);
      const namespaceValue = sibling(reference.namespaceField);
      const kind = typeof kindValue === 'string' ? kindValue : reference.kind;
      const namespace = typeof namespaceValue === 'string' ? namespaceValue : context.namespace;
      const prodName = editor.get(path);
      if (reference.namespaceField !== undefined && typeof namespaceValue === 'string' && typeof prodName === 'string') {
        editor.set([...parentPath, reference.namespaceField], context.renames.followNamespace(kind, prodName, namespaceValue));
      }
      editor.mapString(path, (name) =>
        kind === 'Service'
          ? context.renames.followServiceName(name, namespace)
          : context.renames.follow(kind, name, namespace),
      );
    }
  }
}

/** The setting a free-form value belongs to: an env entry's `name`, else the key it stands under. */
function settingName(editor: TwinEditor, path: readonly Segment[]): string | undefined {
  const last = path[path.length - 1];
  const parent = editor.get(path.slice(0, -1));
  if (last === 'value' && isMap(parent) && typeof parent.name === 'string') return parent.name;
  return typeof last === 'string' ? last : undefined;
}

/** Free-form values (config data, env): the app's hosts take the twin's identity, Service hosts follow. */
export function followValues(editor: TwinEditor, context: FieldContext, patterns: readonly string[], prefix = ''): void {
  for (const pattern of patterns) {
    for (const path of editor.paths(join(prefix, pattern))) {
      const key = settingName(editor, path);
      editor.mapString(path, (value) =>
        twinIdentityValue(context.rules.hosts, context.renames.followServiceHosts(value, context.namespace, key)),
      );
    }
  }
}

/** The DR node selector, merged over the chart's: DR keys win, the chart's other keys stay. */
export function mergeNodeSelector(editor: TwinEditor, path: readonly Segment[], placement: Placement): void {
  const current = editor.get(path);
  if (current !== undefined && !isMap(current)) return editor.fail('is not a node selector map', path);
  for (const [key, value] of Object.entries(placement.nodeSelector ?? {})) editor.set([...path, key], value);
}

/** The DR tolerations appended to the chart's, each once. */
export function mergeTolerations(editor: TwinEditor, path: readonly Segment[], placement: Placement): void {
  const current = editor.get(path) ?? [];
  if (!Array.isArray(current)) return editor.fail('is not a toleration list', path);
  const missing = (placement.tolerations ?? []).filter((wanted) => !current.some((had: unknown) => jsonEqual(had, wanted)));
  if (missing.length > 0) editor.set(path, [...current, ...missing.map((toleration) => ({ ...toleration }))]);
}

/** A pod spec placed on the DR node; a spec pinned to a node by name cannot be. */
export function placePodSpec(editor: TwinEditor, podSpec: readonly Segment[], placement: Placement): void {
  const nodeName = editor.get([...podSpec, 'nodeName']);
  if (nodeName !== undefined) {
    editor.fail(`pins its pods to node ${JSON.stringify(nodeName)}; a twin must run on the DR node, so use a nodeSelector`, [...podSpec, 'nodeName']);
  }
  mergeNodeSelector(editor, [...podSpec, 'nodeSelector'], placement);
  mergeTolerations(editor, [...podSpec, 'tolerations'], placement);
}

/** Storage class names mapped to their DR class. */
export function mapStorageClasses(editor: TwinEditor, context: FieldContext, paths: readonly Segment[][]): void {
  for (const path of paths) editor.mapString(path, context.rules.storageClass);
}

/** A replica count for the DR state; an absent count is Kubernetes' default of one. */
export function setReplicas(editor: TwinEditor, context: FieldContext, path: readonly Segment[]): void {
  const prod = editor.get(path);
  if (prod !== undefined && typeof prod !== 'number') return editor.fail(`expected a replica count, given ${JSON.stringify(prod)}`, path);
  const twin = context.rules.replicas(prod ?? 1);
  if (prod === undefined && twin === 1) return;
  editor.set(path, twin);
}

/** Rules with one host each: one twin rule per host the twin's route answers. */
export function twinHostRules(editor: TwinEditor, context: FieldContext, path: readonly Segment[]): void {
  const rules = editor.get(path);
  if (!Array.isArray(rules)) return;
  const twinRules = rules.flatMap((rule: unknown) => {
    if (!isMap(rule) || typeof rule.host !== 'string') return [rule];
    return twinRouteHosts(context.rules.hosts, rule.host).map((host) => ({ ...rule, host }));
  });
  editor.set(path, twinRules);
}

/** Host lists answering the twin's route hosts, each host once. */
export function twinHostList(editor: TwinEditor, context: FieldContext, path: readonly Segment[]): void {
  const hosts = editor.get(path);
  if (!Array.isArray(hosts)) return;
  const twinHosts = hosts.flatMap((host: unknown) => (typeof host === 'string' ? twinRouteHosts(context.rules.hosts, host) : [host]));
  editor.set(path, [...new Set(twinHosts)]);
}

/** A Traefik match answering the twin's route hosts. */
export function twinMatch(editor: TwinEditor, context: FieldContext, path: readonly Segment[]): void {
  editor.mapString(path, (match) => twinTraefikMatch(context.rules.hosts, match));
}
