/**
 * No privileges beyond a container's (kube-linter `privileged-container`,
 * `privilege-escalation-container`, `host-network`, `host-pid`, `host-ipc`; Polaris
 * `runningAsPrivileged`, `privilegeEscalationAllowed`, `hostNetworkSet`, `hostPIDSet`, `hostIPCSet`):
 * no privileged container, no `allowPrivilegeEscalation: true`, no host network, PID or IPC
 * namespace. Each gives the pod a way out of its container onto the node.
 */
import { isRecord } from '../../json';
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { ALL_CONTAINERS, containerName, containersOf, lintObject, lintWorkloads, type Finding, type WorkloadCheck } from './lint';
import type { PolicyProblem } from './problem';

export const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;
export const CONTAINER_PRIVILEGES = ['privileged', 'allowPrivilegeEscalation'] as const;

/** No host namespace and no container privilege, in a workload object that does not waive it. */
const privilegesOf: WorkloadCheck = (_object, template) => {
  const hosts = HOST_NAMESPACES.filter((field) => template.spec[field] === true).map(
    (field): Finding => ({ path: `${template.specPath}.${field}`, message: `a pod must not share the node's namespaces: expected ${field} false or unset; given true` }),
  );
  const containers = containersOf(template, ALL_CONTAINERS).flatMap(({ path, container }) => {
    const context = container['securityContext'];
    return CONTAINER_PRIVILEGES.filter((field) => isRecord(context) && context[field] === true).map(
      (field): Finding => ({
        path: `${path}.securityContext.${field}`,
        message: `container ${containerName(container)} must not run with privileges beyond its own: expected ${field} false or unset; given true`,
      }),
    );
  });
  return [...hosts, ...containers];
};

export function noPrivileges(units: readonly RenderedUnit[]): PolicyProblem[] {
  return lintWorkloads(units, 'privileged', privilegesOf);
}

/** The problems of one object of `unit` (the object's alone: the unit only names where it is). */
export function noPrivilegesIn(unit: RenderedUnit, object: ApiObjectJson): PolicyProblem[] {
  return lintObject(unit, object, 'privileged', privilegesOf);
}
