/**
 * Disruption budgets (Polaris `missingPodDisruptionBudget`): a Deployment or StatefulSet that
 * runs more than one replica, as rendered, is selected by a PodDisruptionBudget of its unit and
 * namespace, so a node drain keeps some of it serving. With one replica there is nothing to
 * keep: a budget would only block the drain. A standby twin runs one replica; an active one its
 * prod count, and the prod budget's twin (the rule table renames its selector) selects it.
 */
import { isRecord } from '../../json';
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { lintWorkloads } from './lint';
import type { PolicyProblem } from './problem';

const BUDGETED_KINDS = ['Deployment', 'StatefulSet'];

type Labels = Readonly<Record<string, string>>;

/** One `matchExpressions` entry against a set of labels (Kubernetes LabelSelectorRequirement). */
function requirementMatches(requirement: unknown, labels: Labels): boolean {
  if (!isRecord(requirement) || typeof requirement['key'] !== 'string') return false;
  const value = labels[requirement['key']];
  const values = Array.isArray(requirement['values']) ? requirement['values'] : [];
  switch (requirement['operator']) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/**
 * Whether a LabelSelector matches a set of labels. An empty selector matches every pod (as a
 * policy/v1 PodDisruptionBudget reads it); a missing one matches none.
 */
export function labelSelectorMatches(selector: unknown, labels: Labels): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = isRecord(selector['matchLabels']) ? selector['matchLabels'] : {};
  const expressions = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'] : [];
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value) && expressions.every((requirement) => requirementMatches(requirement, labels));
}

const isBudget = (object: ApiObjectJson) => object.kind === 'PodDisruptionBudget' && object.apiVersion.startsWith('policy/');

/** Replicas as rendered: `spec.replicas`, 1 when absent (the API server's default). */
function replicasOf(object: ApiObjectJson): number {
  const spec = object['spec'];
  const replicas = isRecord(spec) ? spec['replicas'] : undefined;
  return typeof replicas === 'number' ? replicas : 1;
}

export function disruptionBudgets(units: readonly RenderedUnit[]): PolicyProblem[] {
  return lintWorkloads(units, 'disruption-budget', (object, template, unit) => {
    if (!BUDGETED_KINDS.includes(object.kind) || !object.apiVersion.startsWith('apps/')) return [];
    const replicas = replicasOf(object);
    if (replicas <= 1) return [];
    const namespace = object.metadata.namespace ?? '';
    const covered = unit.objects.some(
      (budget) => isBudget(budget) && (budget.metadata.namespace ?? '') === namespace && labelSelectorMatches(isRecord(budget['spec']) ? budget['spec']['selector'] : undefined, template.labels),
    );
    if (covered) return [];
    return [
      {
        path: 'spec.replicas',
        message: `a ${object.kind} of more than one replica must be selected by a PodDisruptionBudget of its unit and namespace: expected a budget whose selector matches its pod labels ${JSON.stringify(template.labels)}; given ${replicas} replicas and no such budget`,
      },
    ];
  });
}
