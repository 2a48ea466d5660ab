/**
 * The shell commands every procedure shares, written for one environment: the `dr` command,
 * committing what it changed, making Flux apply it now, and scaling or suspending a variant.
 */
import type { Environment } from '../config/environment';
import type { DrState } from '../config/schema';
import type { VariantFacts } from './facts';
import { workloadsOf } from './facts';
import { deliveryCommands, type DeliveryCommands } from './delivery';
import { shellArg } from './shell';

/** The `dr` verb that puts an app (or the environment) in a state. */
const VERB: Readonly<Record<DrState, string>> = { standby: 'standby', syncing: 'sync', active: 'activate' };

/**
 * ` --app wordpress --cluster east`: the scope of a `dr` command. `--cluster` only where the
 * environment has several clusters: there a flip is scoped to the cluster the procedure is for,
 * and a single-cluster estate's commands stay as short as they were.
 */
function scopeOptions(env: Environment, app: string | undefined, cluster: string | undefined): string {
  const appOption = app === undefined ? '' : ` --app ${shellArg(app)}`;
  return env.clusters.length > 1 && cluster !== undefined ? `${appOption} --cluster ${shellArg(cluster)}` : appOption;
}

/** `npm run dr -- sync home --app wordpress`; `--cluster east` added where the estate has several clusters. */
export function drCommand(env: Environment, state: DrState, app?: string, cluster?: string): string {
  return `npm run dr -- ${VERB[state]} ${shellArg(env.name)}${scopeOptions(env, app, cluster)}`;
}

/** `npm run dr -- plan home active --app wordpress`: what `drCommand` would change, written nowhere. */
export function drPlanCommand(env: Environment, state: DrState, app?: string, cluster?: string): string {
  return `npm run dr -- plan ${shellArg(env.name)} ${state}${scopeOptions(env, app, cluster)}`;
}

/** The environment file and the rendered folder, relative to the project, as shell words. */
export function changedPaths(env: Environment): string {
  return `${shellArg(`environments/${env.name}.yaml`)} ${shellArg(`dist/${env.name}`)}`;
}

/** Commit the environment and its render, and push. */
export function commitLines(env: Environment, message: string): string[] {
  return [`git add ${changedPaths(env)}`, `git commit -m ${shellArg(message)}`, 'git push'];
}

/**
 * Make Flux apply the pushed commit now: the bootstrap Kustomization (named like the Git source,
 * as `flux bootstrap` names both) applies the cluster entry, then each unit is reconciled.
 */
export function reconcileLines(env: Environment, entryPath: string, fluxNames: readonly string[]): string[] {
  const delivery = deliveryCommands(env.gitops);
  const cluster = entryPath.split('/').pop() ?? '';
  return [delivery.entry(cluster, entryPath), ...fluxNames.map((name) => delivery.reconcile(name))];
}

/** `kubectl get deployment -n wordpress wordpress-db-dr wordpress-dr`: to watch replicas. */
export function getWorkloadLines(variant: VariantFacts): string[] {
  return groupByKindAndNamespace(variant).map(({ kind, namespace, names }) => `kubectl get ${shellArg(kind)} -n ${shellArg(namespace)} ${names.map(shellArg).join(' ')}`);
}

/**
 * Flux stops applying the variant, then its workloads are scaled to zero by hand. `delivery`:
 * the commands of the engine holding the variant's unit; default: the environment's own.
 */
export function suspendAndStopLines(env: Environment, variant: VariantFacts, delivery: DeliveryCommands = deliveryCommands(env.gitops)): string[] {
  return [
    delivery.suspend(variant.fluxName),
    ...groupByKindAndNamespace(variant).map(
      ({ kind, namespace, names }) => `kubectl scale ${shellArg(kind)} -n ${shellArg(namespace)} ${names.map(shellArg).join(' ')} --replicas 0`,
    ),
  ];
}

/** Flux applies the variant again, with the replica counts in Git; `delivery` as for `suspendAndStopLines`. */
export function resumeLine(env: Environment, variant: VariantFacts, delivery: DeliveryCommands = deliveryCommands(env.gitops)): string {
  return delivery.resume(variant.fluxName);
}

function groupByKindAndNamespace(variant: VariantFacts) {
  const groups: { kind: string; namespace: string; names: string[] }[] = [];
  for (const workload of workloadsOf(variant)) {
    const group = groups.find((candidate) => candidate.kind === workload.kind && candidate.namespace === workload.namespace);
    if (group) group.names.push(workload.name);
    else groups.push({ kind: workload.kind, namespace: workload.namespace, names: [workload.name] });
  }
  return groups;
}
