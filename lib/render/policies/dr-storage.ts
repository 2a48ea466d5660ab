/**
 * Claims against the storage the environment gives each cluster, whatever rendered them (PVCs
 * and StatefulSet claim templates): every claim's class is one the cluster renders, and every DR
 * claim is on the DR class of some class of the cluster (`dr.storageClasses`, else
 * `<class><suffix>`) that is not pinned to a node other than the DR node.
 */
import type { Environment } from '../../config/environment';
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { appUnitOf, targetOf, type ClusterTarget } from './dr-target';
import { problemAt, type PolicyProblem } from './problem';
import { claimClassesOf, type ClaimClass } from './workloads';

const quoted = (names: Iterable<string>) => JSON.stringify([...names].sort());

function existenceProblem(target: ClusterTarget, claim: ClaimClass): string | undefined {
  if (claim.storageClass === undefined || target.classes.has(claim.storageClass)) return undefined;
  return `a claim's storage class must exist in cluster ${target.cluster.name}: expected one of ${quoted(target.classes.keys())}; given ${JSON.stringify(claim.storageClass)}`;
}

function drClassProblems(target: ClusterTarget, claim: ClaimClass): string[] {
  const expected = quoted([...target.drClasses].filter((name) => target.classes.has(name)));
  const rule = 'a DR claim must use the DR class of a class of its cluster (dr.storageClasses, else <class><suffix>)';
  if (claim.storageClass === undefined) return [`${rule}: expected one of ${expected}; given none (the cluster's default class)`];
  if (!target.drClasses.has(claim.storageClass)) return [`${rule}: expected one of ${expected}; given ${JSON.stringify(claim.storageClass)}`];
  const pinnedTo = target.classes.get(claim.storageClass)?.node;
  const drNode = target.drNode;
  if (pinnedTo !== undefined && drNode !== undefined && pinnedTo.name !== drNode.name) {
    return [`a DR claim's storage class must not be pinned to a node other than DR node ${drNode.name}; given ${JSON.stringify(claim.storageClass)}, pinned to node ${pinnedTo.name}`];
  }
  return [];
}

function claimProblems(target: ClusterTarget, unit: RenderedUnit, object: ApiObjectJson): PolicyProblem[] {
  const isDr = appUnitOf(unit)?.side === 'dr';
  return claimClassesOf(object).flatMap((claim) => {
    const messages = [existenceProblem(target, claim), ...(isDr ? drClassProblems(target, claim) : [])];
    return messages.filter((message): message is string => message !== undefined).map((message) => problemAt(unit, object, claim.path, message));
  });
}

/** Every claim on a class its cluster renders; every DR claim on an unpinned-or-DR-pinned DR class. */
export function drStorage(units: readonly RenderedUnit[], env: Environment): PolicyProblem[] {
  return units.flatMap((unit) => {
    const target = targetOf(env, unit);
    return target === undefined ? [] : unit.objects.flatMap((object) => claimProblems(target, unit, object));
  });
}
