/**
 * What the linter-style policies share: running a check on every pod template of every unit
 * (podTemplateOf: Pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs),
 * skipping objects that waive it, and the containers of a pod spec with their field paths.
 * Helm charts (Traefik, add-ons, an app's HelmRelease) render their pods in the cluster, not
 * here: their pod templates are not seen.
 */
import { isRecord } from '../../json';
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { problemAt, type PolicyProblem } from './problem';
import { howToWaive, isWaived, type LintPolicy } from './waivers';
import { podTemplateOf, type PodTemplate } from './workloads';

/** One failure a check finds in an object: where, and what was expected and given. */
export interface Finding {
  /** Field path inside the object. */
  readonly path: string;
  /** The rule, what it expected and what was given. */
  readonly message: string;
}

/** A check of one workload object and its pod template, in the unit it is rendered in. */
export type WorkloadCheck = (object: ApiObjectJson, template: PodTemplate, unit: RenderedUnit) => readonly Finding[];

/** The policy's problems on every unwaived workload object, each message saying how to waive it. */
export function lintWorkloads(units: readonly RenderedUnit[], policy: LintPolicy, check: WorkloadCheck): PolicyProblem[] {
  return units.flatMap((unit) => unit.objects.flatMap((object) => lintObject(unit, object, policy, check)));
}

/** The policy's problems on one object of `unit`: none when it is no workload or waives the policy. */
export function lintObject(unit: RenderedUnit, object: ApiObjectJson, policy: LintPolicy, check: WorkloadCheck): PolicyProblem[] {
  const template = podTemplateOf(object);
  if (template === undefined || isWaived(object, policy)) return [];
  return check(object, template, unit).map((finding) => problemAt(unit, object, finding.path, `${finding.message}${howToWaive(unit, object, policy)}`));
}

/** The container lists of a pod spec; init and ephemeral containers run images too. */
export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

/** A container of a pod spec, with its field path in the object. */
export interface ContainerAt {
  readonly list: ContainerList;
  /** E.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly container: Readonly<Record<string, unknown>>;
}

/** The containers of the given lists of a pod template, in list then index order. */
export function containersOf(template: PodTemplate, lists: readonly ContainerList[]): ContainerAt[] {
  return lists.flatMap((list) => {
    const containers = template.spec[list];
    return (Array.isArray(containers) ? containers : []).flatMap((container, index) =>
      isRecord(container) ? [{ list, path: `${template.specPath}.${list}[${index}]`, container }] : [],
    );
  });
}

export const ALL_CONTAINERS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** A container's name, for messages. */
export const containerName = (container: Readonly<Record<string, unknown>>) =>
  typeof container['name'] === 'string' ? container['name'] : '(unnamed)';
