/**
 * The shape of `imports/cel/rules.json`, which `npm run import` writes (lib/imports/cel-rules.ts)
 * and synth reads (./validator.ts): every `x-kubernetes-validations` rule of every imported CRD
 * version, whether it can be evaluated offline and why not, and the schema defaults the API server
 * applies before it evaluates them.
 */

/** One `x-kubernetes-validations` entry, where it sits and whether twinops evaluates it. */
export interface CelRule {
  /**
   * The schema node carrying the rule, from the object's root: `spec.kubeConfig`,
   * `spec.files[*].contentFrom` (each list item, or each value of a map), `""` for the root.
   */
  readonly path: string;
  /** The CEL expression; `self` is the node. */
  readonly rule: string;
  /** The rule's message; absent when the CRD gives none. */
  readonly message?: string;
  /** A CEL expression that builds the message; absent when the CRD gives none. */
  readonly messageExpression?: string;
  /** The API server's error reason (e.g. `FieldValueForbidden`); absent when the CRD gives none. */
  readonly reason?: string;
  /** Where the error points, relative to the node (e.g. `.name`); absent when the CRD gives none. */
  readonly fieldPath?: string;
  /** Compares with `oldSelf` (the stored object): only an update can evaluate it. */
  readonly transition: boolean;
  /** Why twinops cannot evaluate it at render time; absent when it does. */
  readonly notEvaluated?: string;
}

/** A schema default: where the API server sets `field` to `value` when absent from a present object. */
export interface CelDefault {
  /** The object node, in the notation of `CelRule.path`. */
  readonly path: string;
  readonly field: string;
  readonly value: unknown;
}

export interface CelKindRules {
  readonly rules: readonly CelRule[];
  /** The schema's defaults, parents before children; only kinds with evaluated rules list them. */
  readonly defaults: readonly CelDefault[];
}

export interface CelRulesFile {
  /** The CEL implementation the rules were classified with (`<npm package>@<version>`). */
  readonly implementation: string;
  readonly summary: CelSummary;
  /** `apiVersion/Kind` → its rules; kinds without rules are absent. */
  readonly kinds: Readonly<Record<string, CelKindRules>>;
}

export interface CelSummary {
  /** Every rule of the imported CRD versions. */
  readonly rules: number;
  readonly evaluated: number;
  readonly notEvaluated: number;
  /** Reason → how many rules are not evaluated for it. */
  readonly reasons: Readonly<Record<string, number>>;
}

/** What `CelRule.notEvaluated` says of a transition rule. */
export const TRANSITION_REASON =
  'transition rule (uses oldSelf): the API server evaluates it on update only, against the stored object, which a render does not have';

/** The summary of a list of rules. */
export function summarize(rules: readonly CelRule[]): CelSummary {
  const reasons: Record<string, number> = {};
  for (const { notEvaluated } of rules) if (notEvaluated !== undefined) reasons[notEvaluated] = (reasons[notEvaluated] ?? 0) + 1;
  const notEvaluated = Object.values(reasons).reduce((a, b) => a + b, 0);
  return { rules: rules.length, evaluated: rules.length - notEvaluated, notEvaluated, reasons };
}
