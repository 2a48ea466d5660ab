/**
 * Where the delivery engine holds a cluster's units, for the commands that stop, resume and
 * apply them: on the cluster itself, or, for a Cluster API workload cluster, on its management
 * cluster, in the workload cluster's namespace, applied through its kubeconfig Secret. Every
 * command names the context of the cluster that holds the unit (./contexts.ts), which is not the
 * one its workloads run on for a workload cluster.
 */
import type { Environment } from '../config/environment';
import { clusterPlanNamed } from '../plan';
import { deliveryFluxName } from '../plan-fleet';
import { contextOf, inContext } from './contexts';
import { deliveryCommands, type DeliveryCommands } from './delivery';
import { runbookPlan } from './facts';

export interface ClusterDelivery {
  /** The engine's commands for the cluster's units, each naming the context of the cluster holding them. */
  readonly commands: DeliveryCommands;
  /**
   * Apply the cluster's entry now, from the pushed commit: its own bootstrap entry, or for a
   * workload cluster the management cluster's entry, then the unit that delivers the cluster's.
   */
  readonly entryLines: readonly string[];
}

/** `commands` with every line naming `context` (as they are without one). */
function named(commands: DeliveryCommands, context: string | undefined): DeliveryCommands {
  const line = (text: string) => inContext([text], context).join('');
  return {
    engine: commands.engine,
    suspend: (unit) => line(commands.suspend(unit)),
    resume: (unit) => line(commands.resume(unit)),
    reconcile: (unit) => line(commands.reconcile(unit)),
    entry: (cluster, entryPath) => line(commands.entry(cluster, entryPath)),
    status: () => line(commands.status()),
  };
}

/** How the runbook drives the units of the cluster named `cluster`. */
export function clusterDelivery(env: Environment, cluster: string): ClusterDelivery {
  const plan = runbookPlan(env);
  const target = clusterPlanNamed(plan, cluster);
  if (target === undefined) throw new Error(`runbook: environment ${env.name} has no cluster ${JSON.stringify(cluster)}; expected one of ${plan.clusters.map((candidate) => candidate.cluster.name).join(', ')}`);
  const remote = target.remote;
  if (remote === undefined) {
    const commands = named(deliveryCommands(env.gitops), contextOf(env, cluster));
    return { commands, entryLines: [commands.entry(cluster, target.entryPath)] };
  }
  const management = clusterPlanNamed(plan, remote.management);
  const own = named(deliveryCommands(env.gitops), contextOf(env, remote.management));
  const commands = named(deliveryCommands({ ...env.gitops, namespace: remote.namespace }), contextOf(env, remote.management));
  return {
    commands,
    entryLines: [...(management ? [own.entry(remote.management, management.entryPath)] : []), own.reconcile(deliveryFluxName(cluster))],
  };
}
