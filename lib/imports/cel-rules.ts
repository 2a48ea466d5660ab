/**
 * `imports/cel/rules.json`: the CEL rules (`x-kubernetes-validations`) of every imported CRD
 * version, which strictify drops from the JSON Schemas, with where each sits, whether synth can
 * evaluate it (and why not), and the schema defaults of the kinds that have evaluated rules (the
 * API server defaults an object before it evaluates rules, and a rule may read a defaulted field).
 * One file for every kind: it is small, read once at startup, and holds the counts in one place.
 */
import { CEL_IMPLEMENTATION, notEvaluableReason, usesOldSelf } from '../render/cel/program';
import { childPath, eachPath } from '../render/cel/paths';
import { summarize, type CelDefault, type CelKindRules, type CelRule, type CelRulesFile } from '../render/cel/rules-file';
import { isObject, type Crd, type JsonObject } from './crds';
import { compareCodePoints, stableStringify } from './stable-json';

export const CEL_DIR = 'cel';
export const CEL_RULES_FILE = 'rules.json';

/** Why a rule inside allOf/anyOf/oneOf/not is not evaluated (none of the imported CRDs has one). */
const IN_JUNCTOR_REASON = 'inside allOf/anyOf/oneOf/not: twinops evaluates rules on the structural schema only';
const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;

/** The rules file of `crds` (a new object) and its stable JSON text. */
export function buildCelRules(crds: readonly Crd[]): { file: CelRulesFile; text: string } {
  const kinds: Record<string, CelKindRules> = {};
  for (const crd of crds) {
    for (const { name, schema } of crd.versions) {
      const rules: CelRule[] = [];
      collectRules(schema, '', false, rules);
      if (rules.length === 0) continue;
      rules.sort((a, b) => compareCodePoints(a.path, b.path) || compareCodePoints(a.rule, b.rule));
      const defaults: CelDefault[] = [];
      if (rules.some(rule => rule.notEvaluated === undefined)) collectDefaults(schema, '', defaults);
      kinds[`${crd.group}/${name}/${crd.kind}`] = { rules, defaults: sortDefaults(defaults) };
    }
  }
  const sorted = Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => compareCodePoints(a, b)));
  const file: CelRulesFile = {
    implementation: CEL_IMPLEMENTATION,
    summary: summarize(Object.values(sorted).flatMap(kind => kind.rules)),
    kinds: sorted,
  };
  return { file, text: stableStringify(file, 1) + '\n' };
}

function collectRules(node: JsonObject, path: string, inJunctor: boolean, rules: CelRule[]): void {
  const validations = node['x-kubernetes-validations'];
  if (Array.isArray(validations)) {
    for (const entry of validations) if (isObject(entry)) rules.push(toRule(entry, path, inJunctor));
  }
  forEachChild(node, path, (child, childAt) => collectRules(child, childAt, inJunctor, rules));
  for (const key of JUNCTORS) {
    const branches = node[key];
    if (Array.isArray(branches)) for (const branch of branches) if (isObject(branch)) collectRules(branch, path, true, rules);
  }
  if (isObject(node['not'])) collectRules(node['not'], path, true, rules);
}

function toRule(entry: JsonObject, path: string, inJunctor: boolean): CelRule {
  const rule = entry['rule'];
  if (typeof rule !== 'string') throw new Error(`x-kubernetes-validations at "${path || '(root)'}": rule must be a string, given ${JSON.stringify(rule)}`);
  const optional = (key: string): Record<string, string> =>
    typeof entry[key] === 'string' && entry[key] !== '' ? { [key]: entry[key] } : {};
  const reason = inJunctor ? IN_JUNCTOR_REASON : notEvaluableReason(rule);
  return {
    path,
    rule,
    ...optional('message'),
    ...optional('messageExpression'),
    ...optional('reason'),
    ...optional('fieldPath'),
    transition: usesOldSelf(rule),
    ...(reason === undefined ? {} : { notEvaluated: reason }),
  };
}

function collectDefaults(node: JsonObject, path: string, defaults: CelDefault[]): void {
  const properties = node['properties'];
  if (isObject(properties)) {
    for (const [field, child] of Object.entries(properties)) {
      if (isObject(child) && 'default' in child) defaults.push({ path, field, value: child['default'] });
    }
  }
  forEachChild(node, path, (child, childAt) => collectDefaults(child, childAt, defaults));
}

/** Properties, list items and map values: the structural children the API server walks. */
function forEachChild(node: JsonObject, path: string, visit: (child: JsonObject, path: string) => void): void {
  const properties = node['properties'];
  if (isObject(properties)) {
    for (const [name, child] of Object.entries(properties)) if (isObject(child)) visit(child, childPath(path, name));
  }
  if (isObject(node['items'])) visit(node['items'], eachPath(path));
  if (isObject(node['additionalProperties'])) visit(node['additionalProperties'], eachPath(path));
}

/** Parents before children (a defaulted object then gets its own defaults), then by path and field. */
function sortDefaults(defaults: CelDefault[]): CelDefault[] {
  const depth = (d: CelDefault): number => (d.path.match(/\.|\[/g) ?? []).length + (d.path === '' ? 0 : 1);
  return defaults.sort((a, b) => depth(a) - depth(b) || compareCodePoints(a.path, b.path) || compareCodePoints(a.field, b.field));
}
