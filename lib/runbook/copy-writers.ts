/**
 * Stopping the workloads that write to a claim for the length of a copy, and starting them
 * again. Git holds their replica counts, so Flux is suspended while they are at zero (else its
 * next reconcile restarts them mid-copy) and resuming it restores exactly the counts in Git:
 * nothing needs to be written down by hand.
 */
import { shellArg, shellComment } from './shell';
import type { Claim, PairUnits, Writer } from './volumes';
import { onTimeout, podsGoneLines } from './waits';

/** How long the writers' pods may take to stop, and to be ready again. */
const STOP_TIMEOUT = '10m';
const START_TIMEOUT = '10m';

const counts = (writers: readonly Writer[]) =>
  writers.map((writer) => `${writer.kind}/${writer.name} ${writer.replicas}`).join(', ');

/** Suspends `unit` and scales the claim's writers to zero, waiting until their pods are gone. */
export function stopWritersLines(claim: Claim, unit: string, units: PairUnits): string[] {
  if (claim.writers.length === 0) return [`# No rendered workload mounts ${shellComment(claim.name)}: nothing to stop.`];
  return [
    `# Stop ${shellComment(claim.name)}'s writers for the copy. Replicas in Git, which ${units.delivery.engine} restores after it:`,
    `# ${shellComment(counts(claim.writers))}.`,
    units.delivery.suspend(unit),
    ...claim.writers.map(
      (writer) => `kubectl scale ${shellArg(writer.kind)} -n ${shellArg(writer.namespace)} ${shellArg(writer.name)} --replicas 0`,
    ),
    ...podsGoneLines(
      claim.writers,
      STOP_TIMEOUT,
      `a pod is still terminating (kubectl get pods -n ${claim.namespace} shows which): wait for it, or delete it; ` +
        'do not start the copy while it runs.',
    ),
  ];
}

/** Resumes `unit` (Flux scales the writers back to Git's counts) and waits until they are ready. */
export function restartWritersLines(claim: Claim, unit: string, units: PairUnits): string[] {
  if (claim.writers.length === 0) return [];
  return [
    units.delivery.resume(unit),
    ...claim.writers.map(
      (writer) => `kubectl rollout status ${shellArg(writer.kind)} -n ${shellArg(writer.namespace)} ${shellArg(writer.name)} --timeout=${START_TIMEOUT}`,
    ),
    onTimeout(
      `${claim.name}'s writers have not come back: kubectl get pods -n ${claim.namespace} and ${units.delivery.status()} say why ` +
        '(a pod that cannot mount the claim, a failed reconcile).',
    ),
  ];
}
