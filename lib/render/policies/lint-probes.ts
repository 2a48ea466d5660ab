/**
 * Probes on serving containers (kube-linter `no-readiness-probe`/`no-liveness-probe`, Polaris
 * `readinessProbeMissing`/`livenessProbeMissing`): a container that declares ports serves, so
 * it has a readiness probe (no traffic before it is ready) and a liveness probe (restarted when
 * it hangs). Containers without ports (a CronJob's, a worker) run to completion or consume a
 * queue: nothing to probe. Init containers finish before the pod serves.
 */
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { containerName, containersOf, lintObject, lintWorkloads, type Finding, type WorkloadCheck } from './lint';
import type { PolicyProblem } from './problem';

export const SERVING_PROBES = ['readinessProbe', 'livenessProbe'] as const;

/** Every serving container (one that declares ports) of a workload object that does not waive it has both probes. */
const probesOf: WorkloadCheck = (_object, template) =>
  containersOf(template, ['containers']).flatMap(({ path, container }): Finding[] => {
    const ports = container['ports'];
    if (!Array.isArray(ports) || ports.length === 0) return [];
    return SERVING_PROBES.filter((probe) => container[probe] === undefined).map((probe) => ({
      path: `${path}.${probe}`,
      message: `serving container ${containerName(container)} (it declares ports) must have a ${probe}: expected a probe; given none`,
    }));
  });

export function servingProbes(units: readonly RenderedUnit[]): PolicyProblem[] {
  return lintWorkloads(units, 'probes', probesOf);
}

/** The problems of one object of `unit` (the object's alone: the unit only names where it is). */
export function servingProbesIn(unit: RenderedUnit, object: ApiObjectJson): PolicyProblem[] {
  return lintObject(unit, object, 'probes', probesOf);
}
