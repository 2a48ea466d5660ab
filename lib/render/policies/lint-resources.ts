/**
 * Resource requests (kube-linter `unset-cpu-requirements`/`unset-memory-requirements`, Polaris
 * `cpuRequestsMissing`/`memoryRequestsMissing`): every container and init container requests
 * cpu and memory, so the scheduler places pods by what they need. Requests only: limits are a
 * choice per app (a memory limit kills, a cpu limit throttles), not a rule for the estate.
 */
import { isRecord } from '../../json';
import type { RenderedUnit } from '../../model';
import { containerName, containersOf, lintWorkloads, type Finding } from './lint';
import type { PolicyProblem } from './problem';

export const REQUIRED_REQUESTS = ['cpu', 'memory'] as const;

export function resourceRequests(units: readonly RenderedUnit[]): PolicyProblem[] {
  return lintWorkloads(units, 'resources', (_object, template) =>
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
    }),
  );
}
