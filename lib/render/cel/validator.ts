/**
 * Evaluates the CRDs' CEL rules (`imports/cel/rules.json`) on rendered objects, as the API server
 * does on create: after defaulting, each evaluable rule at every node its path selects (absent
 * optional nodes are skipped), `self` being the node. A rule that is false, or that cannot be
 * evaluated on the node (a missing field, a wrong type), is a problem at the node's path (plus
 * the rule's fieldPath), with the rule's message, or the rule itself when it has none.
 */
import { readFileSync } from 'node:fs';
import type { ApiObjectJson } from '../../model';
import { applyDefaults, segmentsOf } from './defaults';
import { selectNodes } from './paths';
import { program } from './program';
import { summarize, type CelKindRules, type CelRule, type CelRulesFile, type CelSummary } from './rules-file';

/** The rules file of this checkout, found from this file, not from the working directory. */
export const CEL_RULES_URL = new URL('../../../imports/cel/rules.json', import.meta.url);

export interface CelProblem {
  /** Where in the object, as validate.ts prints paths: `spec.kubeConfig`, `spec.files[0].contentFrom`. */
  readonly path: string;
  readonly message: string;
}

export class CelValidator {
  private readonly kinds: Readonly<Record<string, CelKindRules>>;
  /** How many rules are evaluated and why the others are not, as this loader classified them. */
  readonly summary: CelSummary;
  /** Rule evaluations so far (one per rule and node it selects): shows that rules ran, not just passed. */
  evaluations = 0;

  constructor(readonly file: CelRulesFile) {
    this.kinds = file.kinds;
    const all = Object.values(file.kinds).flatMap(kind => kind.rules);
    // Compile every evaluable rule now: a rule the file calls evaluable that does not compile is an
    // error of the checkout (stale imports/ or another CEL version), never a rule silently skipped.
    for (const rule of all) if (rule.notEvaluated === undefined) compile(rule);
    this.summary = summarize(all);
  }

  /** Reads a rules file (`imports/cel/rules.json` by default). */
  static load(url: URL = CEL_RULES_URL): CelValidator {
    let text: string;
    try {
      text = readFileSync(url, 'utf8');
    } catch (cause) {
      throw new Error(`cannot read the CEL rules ${url.pathname} (run \`npm run import\`): ${(cause as Error).message}`, { cause });
    }
    return new CelValidator(JSON.parse(text) as CelRulesFile);
  }

  /** The problems of one object; none for a kind without rules. */
  check(object: ApiObjectJson): CelProblem[] {
    const kind = this.kinds[`${object.apiVersion}/${object.kind}`];
    if (kind === undefined) return [];
    const evaluable = kind.rules.filter(rule => rule.notEvaluated === undefined);
    if (evaluable.length === 0) return [];
    const prepared = toCel(object); // a copy, so defaulting leaves the rendered object as it is
    applyDefaults(prepared, kind.defaults, toCel);
    const problems: CelProblem[] = [];
    for (const rule of evaluable) {
      for (const node of selectNodes(prepared, segmentsOf(rule.path))) {
        this.evaluations++;
        const failure = evaluate(rule, node.value);
        if (failure !== undefined) problems.push({ path: withFieldPath(node.path, rule.fieldPath), message: failure });
      }
    }
    return problems;
  }
}

/** The message when `rule` fails on `self` (a node of `toCel`'s copy); undefined when it holds. */
function evaluate(rule: CelRule, self: unknown): string | undefined {
  const context = { self };
  let result: unknown;
  try {
    result = compile(rule)(context);
  } catch (cause) {
    return `${messageOf(rule, context)} (the rule could not be evaluated: ${firstLine(cause)})`;
  }
  if (result === true) return undefined;
  if (result === false) return messageOf(rule, context);
  return `${messageOf(rule, context)} (the rule gave ${String(result)}, not a bool)`;
}

/** messageExpression when it gives a non-empty string, else message, else the rule (as Kubernetes does). */
function messageOf(rule: CelRule, context: { self: unknown }): string {
  if (rule.messageExpression !== undefined) {
    try {
      const message: unknown = program(rule.messageExpression)(context);
      if (typeof message === 'string' && message.trim() !== '') return message;
    } catch {
      // Kubernetes falls back to message when messageExpression fails; so does this.
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

function compile(rule: CelRule): ReturnType<typeof program> {
  try {
    return program(rule.rule);
  } catch (cause) {
    throw new Error(`CEL rule at "${rule.path || '(root)'}" is marked evaluable in imports/cel/rules.json but does not compile (regenerate with \`npm run import\`): ${firstLine(cause)}`, { cause });
  }
}

/** `spec.source` + `.name` → `spec.source.name`; a root node + `.spec` → `spec`. */
function withFieldPath(path: string, fieldPath: string | undefined): string {
  if (fieldPath === undefined || fieldPath === '') return path === '' ? '(root)' : path;
  if (path === '') return fieldPath.replace(/^\./, '');
  return `${path}${fieldPath}`;
}

/**
 * A copy with JSON integers as CEL ints (BigInt): Kubernetes schemas type fields `integer` far
 * more often than `number`, and `self.replicas + 1` needs int arithmetic.
 */
function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
  }
  return value;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
