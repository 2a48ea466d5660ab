/**
 * Resource requests (kube-linter `unset-cpu-requirements`/`unset-memory-requirements`, Polaris
 * `cpuRequestsMissing`/`memoryRequestsMissing`): every container and init container requests
 * cpu and memory, so the scheduler places pods by what they need. Requests only: limits are a
 * choice per app (a memory limit kills, a cpu limit throttles), not a rule for the estate.
 */
import { isRecord } from '../../json';
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { containerName, containersOf, lintObject, lintWorkloads, type Finding, type WorkloadCheck } from './lint';
import type { PolicyProblem } from './problem';

export const REQUIRED_REQUESTS = ['cpu', 'memory'] as const;

/** Every container of a workload object that does not waive it requests cpu and memory. */
const requestsOf: WorkloadCheck = (_object, template) =>
  containersOf(template, ['containers', 'initContainers']).flatMap(({ path, container }): Finding[] => {
    const resources = container['resources'];
    const requests = isRecord(resources) && isRecord(resources['requests']) ? resources['requests'] : undefined;
    const missing = REQUIRED_REQUESTS.filter((resource) => requests?.[resource] === undefined);
    if (missing.length === 0) return [];
    return [
      {
        path: `${path}.resources.requests`,
        message: `container ${containerName(container)} must request cpu and memory: expected ${missing.join(' and ')}; given ${requests === undefined ? 'no requests' : JSON.stringify(requests)}`,
      },
    ];
  });

export function resourceRequests(units: readonly RenderedUnit[]): PolicyProblem[] {
  return lintWorkloads(units, 'resources', requestsOf);
}

/** The problems of one object of `unit` (the object's alone: the unit only names where it is). */
export function resourceRequestsIn(unit: RenderedUnit, object: ApiObjectJson): PolicyProblem[] {
  return lintObject(unit, object, 'resources', requestsOf);
}
