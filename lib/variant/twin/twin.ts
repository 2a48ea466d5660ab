/**
 * The twin transform (DESIGN.md "Variant rules"): an app's DR objects derived from its prod
 * chart's rendered objects by the rule table and the app's declarations. Pure: plain JSON in,
 * plain JSON out, the input never mutated, the output in prod order.
 */
import type { ApiObjectJson } from '../../model';
import { applyDeclaration } from './declarations';
import { TwinEditor } from './editor';
import {
  followReferences,
  followValues,
  mapStorageClasses,
  placePodSpec,
  setReplicas,
  twinHostList,
  twinHostRules,
  twinMatch,
  type FieldContext,
} from './fields';
import { DEFAULT_INSTANCE_LABELS, selectorKeys, twinLabelMap, twinMatchExpressions } from './labels';
import { Renames } from './names';
import { TwinNamespaces } from './namespaces';
import { expand, getAt, isMap, parsePattern, type Segment } from './paths';
import { POD_REFERENCES, POD_VALUES, ruleFor, type KindRule } from './table';
import type { ObjectRef, TwinDeclaration, TwinError, TwinObject, TwinResult, TwinRules } from './types';

/** A prod object to twin, with what decides how. */
interface Planned {
  readonly prod: ApiObjectJson;
  readonly rule?: KindRule;
  readonly declaration?: TwinDeclaration;
}

const identity = (object: ApiObjectJson) => `${object.kind}/${object.metadata.name}`;

const refers = (ref: ObjectRef, object: ApiObjectJson) =>
  ref.kind === object.kind && ref.name === object.metadata.name && (ref.namespace === undefined || ref.namespace === object.metadata.namespace);

function unknownKind(object: ApiObjectJson): TwinError {
  const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : 'core';
  return {
    object: identity(object),
    message:
      `${identity(object)} (${object.apiVersion}): no twin rule for kind ${object.kind} of group ${group}; ` +
      `declare the paths of its names, hosts, storage classes and placement in the app's twin declarations ` +
      `(an empty declaration if it has none), or declare it shared with prod`,
  };
}

/** Declarations and shared refs that name no object are typos: each is an error. */
function unmatched(prod: readonly ApiObjectJson[], rules: TwinRules): TwinError[] {
  const named = [...(rules.declarations ?? []).map((ref) => ({ ref, what: 'declared' })), ...(rules.shared ?? []).map((ref) => ({ ref, what: 'shared' }))];
  return named
    .filter(({ ref }) => !prod.some((object) => refers(ref, object)))
    .map(({ ref, what }) => ({
      object: `${ref.kind}/${ref.name}`,
      message: `${ref.kind}/${ref.name} is ${what} in the twin rules but is not an object of the app`,
    }));
}

/** Fixed Services are Services: another kind there is a mistake the twin would silently ignore. */
function notServices(rules: TwinRules): TwinError[] {
  return (rules.fixedServices ?? [])
    .filter((ref) => ref.kind !== 'Service')
    .map((ref) => ({
      object: `${ref.kind}/${ref.name}`,
      message: `${ref.kind}/${ref.name} is a fixed Service in the twin rules: expected kind Service, given ${ref.kind}`,
    }));
}

/** Shared objects stay in prod's namespace: a twin that moves out of it cannot reference them (a Secret). */
function sharedLeftBehind(prod: readonly ApiObjectJson[], rules: TwinRules, namespaces: TwinNamespaces): TwinError[] {
  return prod
    .filter((object) => (rules.shared ?? []).some((ref) => refers(ref, object)))
    .flatMap((object) => {
      const { namespace } = object.metadata;
      if (!namespaces.moves(namespace)) return [];
      return [
        {
          object: identity(object),
          path: 'metadata.namespace',
          message:
            `${identity(object)} is shared with prod in namespace ${namespace}, but the twin lives in ${namespaces.of(namespace)}, ` +
            `where references cannot reach it: do not declare it shared when the twin lives in its own namespace, so the twin gets its own copy`,
        },
      ];
    });
}

/**
 * The prod namespaces the app lives in (see `namespaces.ts`): those of its objects that live
 * with it, those its objects act in, and those of its twinned peer Services.
 */
function appNamespaces(planned: readonly Planned[], rules: TwinRules): Set<string> {
  const found = new Set<string>();
  for (const { prod, rule } of planned) {
    const { namespace } = prod.metadata;
    if (rule?.besideController !== true && namespace !== undefined) found.add(namespace);
    for (const pattern of rule?.namespaces ?? []) {
      for (const path of expand(prod, pattern)) {
        const actsIn = getAt(prod, path);
        if (typeof actsIn === 'string') found.add(actsIn);
      }
    }
  }
  for (const peer of rules.peerServices ?? []) if (peer.namespace !== undefined) found.add(peer.namespace);
  return found;
}

/** Every label map that selects pods, across the app's objects: they decide which labels tell variants apart. */
function selectorsOf(planned: readonly Planned[]): Record<string, unknown>[] {
  return planned.flatMap(({ prod, rule }) =>
    (rule?.selectors ?? []).flatMap((pattern) => expand(prod, pattern).map((path) => getAt(prod, path)).filter(isMap)),
  );
}

function renamesOf(planned: readonly Planned[], rules: TwinRules, namespaces: TwinNamespaces): Renames {
  const refs = planned.flatMap(({ prod, rule }): ObjectRef[] => {
    const { name, namespace } = prod.metadata;
    const own = { kind: prod.kind, name, ...(namespace === undefined ? {} : { namespace }) };
    return rule?.provides ? [own, { ...own, kind: rule.provides }] : [own];
  });
  return new Renames(rules.suffix, [...refs, ...(rules.peerServices ?? [])], namespaces, rules.fixedServices ?? []);
}

/** What the table row says for one object. */
function applyRule(editor: TwinEditor, context: FieldContext, rule: KindRule, labelKeys: ReadonlySet<string>): void {
  const { rules } = context;
  const each = (patterns: readonly string[] | undefined, apply: (path: Segment[]) => void) =>
    (patterns ?? []).forEach((pattern) => editor.paths(pattern).forEach(apply));
  if (rule.podSpec !== undefined) {
    followReferences(editor, context, POD_REFERENCES, rule.podSpec);
    followValues(editor, context, POD_VALUES, rule.podSpec);
    each([rule.podSpec], (podSpec) => placePodSpec(editor, podSpec, rules.placement));
  }
  each(rule.podLabels, (path) => twinLabelMap(editor, path, labelKeys, rules.suffix));
  each(rule.selectors, (path) => twinLabelMap(editor, path, labelKeys, rules.suffix));
  each(rule.selectorExpressions, (path) => twinMatchExpressions(editor, path, labelKeys, rules.suffix));
  if (rule.replicas !== undefined) setReplicas(editor, context, parsePlain(rule.replicas));
  if (rule.suspendWhileSyncing !== undefined && rules.state === 'syncing') editor.set(parsePlain(rule.suspendWhileSyncing), true);
  each(rule.storageClasses, (path) => mapStorageClasses(editor, context, [path]));
  followReferences(editor, context, rule.references ?? []);
  each(rule.ownNames, (path) => editor.mapString(path, (name) => `${name}${rules.suffix}`));
  each(rule.hostRules, (path) => twinHostRules(editor, context, path));
  each(rule.hostLists, (path) => twinHostList(editor, context, path));
  each(rule.traefikMatches, (path) => twinMatch(editor, context, path));
  followValues(editor, context, rule.values ?? []);
  const ingressClass = rules.ingressClass;
  if (ingressClass) each(rule.ingressClasses, (path) => editor.mapString(path, ingressClass));
}

/** A table path without wildcards, as segments (replicas and suspend are single fields). */
function parsePlain(pattern: string): Segment[] {
  return parsePattern(pattern).map((step) => {
    if ('key' in step) return step.key;
    throw new Error(`table path "${pattern}" must name one field, without [] or *`);
  });
}

/** The twin's own namespace, and those it acts in, where the twin moves them. */
function moveNamespaces(editor: TwinEditor, namespace: string | undefined, rule: KindRule | undefined, namespaces: TwinNamespaces): void {
  if (namespaces.moves(namespace)) editor.set(['metadata', 'namespace'], namespaces.of(namespace));
  for (const pattern of rule?.namespaces ?? []) {
    editor.paths(pattern).forEach((path) => editor.mapString(path, (actsIn) => namespaces.of(actsIn)));
  }
}

function twinOne(planned: Planned, rules: TwinRules, renames: Renames, namespaces: TwinNamespaces, labelKeys: ReadonlySet<string>): TwinEditor {
  const { prod, rule, declaration } = planned;
  const editor = new TwinEditor(prod);
  const context: FieldContext = { rules, renames, namespace: prod.metadata.namespace };
  editor.set(['metadata', 'name'], `${prod.metadata.name}${rules.suffix}`);
  moveNamespaces(editor, prod.metadata.namespace, rule, namespaces);
  twinLabelMap(editor, ['metadata', 'labels'], labelKeys, rules.suffix);
  if (rule) applyRule(editor, context, rule, labelKeys);
  for (const pattern of rule?.opaque ?? []) {
    if (declaration === undefined && editor.paths(pattern).length > 0) {
      editor.fail(`${pattern} is only transformed as declared: declare its value paths holding names, hosts, storage classes and placement (an empty declaration if none)`);
    }
  }
  if (declaration) applyDeclaration(editor, context, declaration);
  return editor;
}

/** The twin of an app's prod objects, or every problem found. */
export function twinObjects(prod: readonly ApiObjectJson[], rules: TwinRules): TwinResult {
  const errors: TwinError[] = [...unmatched(prod, rules), ...notServices(rules)];
  const planned: Planned[] = [];
  for (const object of prod) {
    if ((rules.shared ?? []).some((ref) => refers(ref, object))) continue;
    const rule = ruleFor(object.apiVersion, object.kind);
    const declaration = (rules.declarations ?? []).find((ref) => refers(ref, object));
    if (rule === undefined && declaration === undefined) errors.push(unknownKind(object));
    else planned.push({ prod: object, ...(rule ? { rule } : {}), ...(declaration ? { declaration } : {}) });
  }
  const namespaces = new TwinNamespaces(appNamespaces(planned, rules), rules.namespace);
  errors.push(...sharedLeftBehind(prod, rules, namespaces));
  const renames = renamesOf(planned, rules, namespaces);
  const labelKeys = selectorKeys(selectorsOf(planned), rules.instanceLabels ?? DEFAULT_INSTANCE_LABELS);
  const objects: TwinObject[] = [];
  for (const entry of planned) {
    const editor = twinOne(entry, rules, renames, namespaces, labelKeys);
    errors.push(...editor.errors);
    objects.push({ object: editor.object as ApiObjectJson, changed: editor.changedPaths });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, objects };
}
