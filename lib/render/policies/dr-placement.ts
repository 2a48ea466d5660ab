/**
 * Positive DR placement, checked on the rendered pod specs against the environment's DR node,
 * whatever rendered them: every DR pod is pinned to the DR node (its nodeSelector holds every
 * label of the node) and tolerates the node's NoSchedule/NoExecute taints; no prod pod tolerates
 * those taints or selects the DR node, so prod pods never land there.
 */
import type { Environment, Node } from '../../config/environment';
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { appUnitOf, targetOf, traefikSideOf, type ClusterTarget, type Side } from './dr-target';
import { problemAt, type PolicyProblem } from './problem';
import { isRecord } from '../../json';
import { podTemplateOf } from './workloads';

type Taint = Node['taints'][number];

/** Taints that keep pods off a node (PreferNoSchedule only discourages). */
const REPELLING_EFFECTS = new Set(['NoSchedule', 'NoExecute']);

/** A pod spec to check and the side it must be on. */
interface PlacedPodSpec {
  readonly side: Side;
  /** Field path of the spec in its object: a pod spec, or Helm values holding one's placement. */
  readonly specPath: string;
  readonly spec: Record<string, unknown>;
}

/** Kubernetes' ToleratesTaint (k8s.io/api/core/v1/toleration.go): effect, key, then operator. */
export function tolerates(toleration: unknown, taint: Taint): boolean {
  if (!isRecord(toleration)) return false;
  const { key = '', operator = 'Equal', value = '', effect = '' } = toleration;
  if (effect !== '' && effect !== taint.effect) return false;
  if (key !== taint.key && !(key === '' && operator === 'Exists')) return false;
  if (operator === 'Exists') return true;
  return operator === 'Equal' && value === (taint.value ?? '');
}

/** `role=dr:NoExecute`, or `role:NoExecute` for a taint without value. */
export const describeTaint = (taint: Taint) => `${taint.key}${taint.value === undefined ? '' : `=${taint.value}`}:${taint.effect}`;

const nodeSelectorOf = (spec: Record<string, unknown>): Record<string, unknown> => (isRecord(spec['nodeSelector']) ? spec['nodeSelector'] : {});
const tolerationsOf = (spec: Record<string, unknown>): unknown[] => (Array.isArray(spec['tolerations']) ? spec['tolerations'] : []);
const given = (value: Record<string, unknown> | unknown[]) => (Object.keys(value).length === 0 ? 'none' : JSON.stringify(value));

/** Whether a node selector holds every label of a node with its value. */
const matchesNode = (selector: Record<string, unknown>, node: Node) => Object.entries(selector).every(([key, value]) => node.labels[key] === value);

/** The pod specs of an object in a unit, with their side: app units' workloads, and the Traefik releases. */
function podSpecsOf(target: ClusterTarget, unit: RenderedUnit, object: ApiObjectJson): PlacedPodSpec[] {
  const release = traefikSideOf(target, object);
  if (release !== undefined) {
    const values = isRecord(object['spec']) ? object['spec']['values'] : undefined;
    return [{ side: release, specPath: 'spec.values', spec: isRecord(values) ? values : {} }];
  }
  const appUnit = appUnitOf(unit);
  const template = podTemplateOf(object);
  return appUnit && template ? [{ side: appUnit.side, specPath: template.specPath, spec: template.spec }] : [];
}

function drPodProblems(node: Node, pod: PlacedPodSpec): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const selector = nodeSelectorOf(pod.spec);
  const missing = Object.entries(node.labels).filter(([key, value]) => selector[key] !== value);
  if (missing.length > 0) {
    problems.push({
      path: `${pod.specPath}.nodeSelector`,
      message: `a DR pod must run on DR node ${node.name}: expected nodeSelector to contain ${JSON.stringify(node.labels)}; given ${given(selector)}`,
    });
  }
  const tolerations = tolerationsOf(pod.spec);
  for (const taint of node.taints.filter((candidate) => REPELLING_EFFECTS.has(candidate.effect))) {
    if (tolerations.some((toleration) => tolerates(toleration, taint))) continue;
    problems.push({
      path: `${pod.specPath}.tolerations`,
      message: `a DR pod must tolerate taint ${describeTaint(taint)} of DR node ${node.name}; given ${given(tolerations)}`,
    });
  }
  return problems;
}

/** A prod pod selects the DR node when its non-empty nodeSelector matches the DR node and no other node. */
function prodPodProblems(target: ClusterTarget, node: Node, pod: PlacedPodSpec): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const selector = nodeSelectorOf(pod.spec);
  const others = target.cluster.nodes.filter((candidate) => candidate.name !== node.name);
  if (Object.keys(selector).length > 0 && matchesNode(selector, node) && !others.some((other) => matchesNode(selector, other))) {
    problems.push({
      path: `${pod.specPath}.nodeSelector`,
      message: `a prod pod must not select DR node ${node.name} (prod pods never run there); given ${JSON.stringify(selector)}`,
    });
  }
  tolerationsOf(pod.spec).forEach((toleration, index) => {
    const taint = node.taints.find((candidate) => REPELLING_EFFECTS.has(candidate.effect) && tolerates(toleration, candidate));
    if (taint === undefined) return;
    problems.push({
      path: `${pod.specPath}.tolerations[${index}]`,
      message: `a prod pod must not tolerate taint ${describeTaint(taint)} of DR node ${node.name} (prod pods never run there); given ${JSON.stringify(toleration)}`,
    });
  });
  return problems;
}

/** Every DR pod on the DR node with its taints tolerated; no prod pod able to land there. */
export function drPlacement(units: readonly RenderedUnit[], env: Environment): PolicyProblem[] {
  return units.flatMap((unit) => {
    const target = targetOf(env, unit);
    const node = target?.drNode;
    if (target === undefined || node === undefined) return [];
    return unit.objects.flatMap((object) =>
      podSpecsOf(target, unit, object).flatMap((pod) =>
        (pod.side === 'dr' ? drPodProblems(node, pod) : prodPodProblems(target, node, pod)).map(({ path, message }) => problemAt(unit, object, path, message)),
      ),
    );
  });
}
