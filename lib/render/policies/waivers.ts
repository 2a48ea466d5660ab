/**
 * Waivers of the linter-style policies: one per object and policy, with a reason, as an
 * annotation `twinops.dev/waive-<policy>: "<reason>"` on the object whose pod template fails
 * (the way kube-linter's `ignore-check.kube-linter.io/<check>` and Polaris's `<check>-exempt`
 * work). The annotation is rendered, so the reason travels with the object into `dist/` and the
 * cluster; a twin copies it from prod, so a twin inherits its prod's waivers: it is the same
 * workload. A waiver without a reason waives nothing and is itself a problem.
 */
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { appUnitOf } from './dr-target';
import { problemAt, type PolicyProblem } from './problem';

/** The linter-style policies, by the name their waiver annotation uses. */
export const LINT_POLICIES = ['image-tag', 'resources', 'probes', 'privileged', 'disruption-budget'] as const;
export type LintPolicy = (typeof LINT_POLICIES)[number];

export const WAIVER_PREFIX = 'twinops.dev/waive-';

/** The annotation that waives `policy` on an object. */
export const waiverAnnotation = (policy: LintPolicy) => `${WAIVER_PREFIX}${policy}`;

/** The field path of a waiver annotation, as problems name it. */
export const waiverPath = (key: string) => `metadata.annotations[${JSON.stringify(key)}]`;

/** Whether the object waives `policy` with a reason (an empty reason waives nothing). */
export function isWaived(object: ApiObjectJson, policy: LintPolicy): boolean {
  const reason = object.metadata.annotations?.[waiverAnnotation(policy)];
  return typeof reason === 'string' && reason.trim() !== '';
}

/**
 * How a problem of `policy` on `object` is waived, appended to its message. A twin is annotated
 * through its prod original: charts hold no DR code, and the twin copies prod's annotations.
 */
export function howToWaive(unit: RenderedUnit, object: ApiObjectJson, policy: LintPolicy): string {
  const annotation = `${waiverAnnotation(policy)}: "<reason>"`;
  if (appUnitOf(unit)?.side === 'dr') return `; to waive, annotate its prod original in the app's chart with ${annotation} (the twin inherits it)`;
  return `; to waive, annotate ${object.kind}/${object.metadata.name} with ${annotation}`;
}

const isLintPolicy = (name: string): name is LintPolicy => (LINT_POLICIES as readonly string[]).includes(name);

/** The waiver problems of one object of `unit`. */
export function objectWaiverProblems(unit: RenderedUnit, object: ApiObjectJson): PolicyProblem[] {
  return Object.entries(object.metadata.annotations ?? {})
    .filter(([key]) => key.startsWith(WAIVER_PREFIX))
    .flatMap(([key, reason]) => {
      const policy = key.slice(WAIVER_PREFIX.length);
      if (!isLintPolicy(policy)) {
        const expected = JSON.stringify(LINT_POLICIES.map(waiverAnnotation));
        return [problemAt(unit, object, waiverPath(key), `a waiver must name a policy: expected one of ${expected}; given ${JSON.stringify(key)}`)];
      }
      if (typeof reason !== 'string' || reason.trim() === '') {
        return [problemAt(unit, object, waiverPath(key), `a waiver must give its reason: expected a non-empty reason; given ${JSON.stringify(reason)}`)];
      }
      return [];
    });
}

/** Every waiver annotation that names no policy or gives no reason. */
export function waiverProblems(units: readonly RenderedUnit[]): PolicyProblem[] {
  return units.flatMap((unit) => unit.objects.flatMap((object) => objectWaiverProblems(unit, object)));
}
