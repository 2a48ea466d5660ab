/**
 * Destroy protection of a Cluster API cluster (issue 9 item 8, study fleet.md §B.9, §B.12), the
 * GitOps counterpart of seed 000's `prevent_destroy`.
 *
 * CAPI tears a cluster down correctly only when the Cluster object is deleted: it then deletes
 * what the Cluster owns (infrastructure cluster, control plane, MachineDeployment) in order, and
 * the providers release the machines and cloud resources, which needs the templates, the
 * credentials Secret and the namespace to still be there. A prune that deletes those objects
 * side by side with the Cluster strands machines and cloud resources. So:
 * - `protect: true`: every object of the cluster resists prune and deletion in both engines;
 * - `protect: false`: only the Cluster becomes prunable; the rest stays protected, so removing
 *   the cluster from Git deletes the Cluster alone and teardown goes through CAPI. What is left
 *   (namespace, templates, credentials, HelmChartProxy) is removed with the namespace once the
 *   Cluster is gone (the runbook's last teardown step).
 */
import { PRUNE_PROTECTION } from '../protect';

/**
 * The stateful objects' protection (`../protect.ts`): Flux's prune opt-out and Argo CD's
 * `Prune=false,Delete=false` (`Prune=false` alone does not stop the cascade delete of an
 * Application with the resources finalizer, §B.11); a cluster must survive both.
 */
export const DESTROY_PROTECTION: Readonly<Record<string, string>> = PRUNE_PROTECTION;

/** The object that starts an ordered teardown when deleted: the only one `protect: false` frees. */
export type ProtectedRole = 'cluster' | 'owned';

/** Annotations of an object of a cluster with the given `protect` setting. */
export function protectionAnnotations(protect: boolean, role: ProtectedRole): Record<string, string> {
  return protect || role === 'owned' ? { ...DESTROY_PROTECTION } : {};
}
