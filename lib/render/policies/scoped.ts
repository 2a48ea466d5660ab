/**
 * The estate policies by what each one reads, so that the render cache can keep their answers
 * (issue 11): a unit policy reads one unit (and the environment's DR facts), a cluster policy
 * every unit of one cluster, a pair policy an app unit and its other variant, parity a twin and
 * its prod with what twins rename estate-wide. `checkPolicies` (./index.ts) is all of them on
 * every unit; `assemblePolicyProblems` gives the same problems in the same order from the parts.
 */
import type { Environment } from '../../config/environment';
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { drPlacement } from './dr-placement';
import { drStorage } from './dr-storage';
import { uniqueIdentities } from './identity';
import { kubernetesNames, objectNameProblems } from './kubernetes-names';
import { disruptionBudgets } from './lint-disruption';
import { imagesPinned, imagesPinnedIn } from './lint-images';
import { noPrivileges, noPrivilegesIn } from './lint-privileges';
import { servingProbes, servingProbesIn } from './lint-probes';
import { resourceRequests, resourceRequestsIn } from './lint-resources';
import { estateRenames, unitParity, type Renames } from './parity';
import type { PolicyProblem } from './problem';
import { referencesResolve } from './references';
import { noPlaintextSecrets, plaintextSecretIn } from './secrets';
import { unitVariantSelectors } from './variant-selectors';
import { objectWaiverProblems, waiverProblems } from './waivers';

type UnitCheck = (units: readonly RenderedUnit[], env: Environment) => PolicyProblem[];

/** The policies that read one unit, in report order. */
const UNIT_POLICIES = {
  names: kubernetesNames,
  secrets: noPlaintextSecrets,
  placement: drPlacement,
  storage: drStorage,
  images: imagesPinned,
  resources: resourceRequests,
  probes: servingProbes,
  privileges: noPrivileges,
  disruption: disruptionBudgets,
  waivers: waiverProblems,
} satisfies Record<string, UnitCheck>;

export type UnitPolicy = keyof typeof UNIT_POLICIES;

/**
 * The unit policies each of whose problems is one object's, found from the object alone (the
 * unit only names where it is, in the problem): an object found clean of one in a unit is clean of
 * it in every unit that holds it. Each such policy's problems on one object, and its bit in a
 * `CleanObjects` entry.
 */
const OBJECT_POLICIES: Partial<Record<UnitPolicy, { readonly bit: number; readonly check: (unit: RenderedUnit, object: ApiObjectJson) => PolicyProblem[] }>> = {
  names: { bit: 1, check: objectNameProblems },
  secrets: { bit: 2, check: plaintextSecretIn },
  images: { bit: 4, check: imagesPinnedIn },
  resources: { bit: 8, check: resourceRequestsIn },
  probes: { bit: 16, check: servingProbesIn },
  privileges: { bit: 32, check: noPrivilegesIn },
  waivers: { bit: 64, check: objectWaiverProblems },
};

/**
 * The object policies each object was found clean of, as bits (`OBJECT_POLICIES`): for objects
 * that cannot change, the parts a render shares (../shared-subtrees.ts), so that an object many
 * units hold (12,880 of the 20k bench fleet's 19,980) is checked once per render.
 */
export type CleanObjects = WeakMap<object, number>;
export type UnitPolicyProblems = Readonly<Record<UnitPolicy, readonly PolicyProblem[]>>;

/** Every problem of a policy, in the order `checkPolicies` reports: policy by policy. */
const REPORT_ORDER = ['names', 'secrets', 'identity', 'references', 'parity', 'placement', 'storage', 'selectors', 'images', 'resources', 'probes', 'privileges', 'disruption', 'waivers'] as const;

/** Every unit policy's problems on `unit`; with `clean`, objects found there clean of an object policy are not checked again. */
export function unitPolicyProblems(unit: RenderedUnit, env: Environment, clean?: CleanObjects): UnitPolicyProblems {
  const units = [unit];
  const problems = {} as Record<UnitPolicy, readonly PolicyProblem[]>;
  for (const name of Object.keys(UNIT_POLICIES) as UnitPolicy[]) {
    const perObject = OBJECT_POLICIES[name];
    problems[name] = perObject === undefined || clean === undefined ? UNIT_POLICIES[name](units, env) : objectProblems(unit, perObject.check, perObject.bit, clean);
  }
  return problems;
}

/** What `UNIT_POLICIES` gives for an object policy on one unit, in the same order, skipping objects known clean of it. */
function objectProblems(unit: RenderedUnit, check: (unit: RenderedUnit, object: ApiObjectJson) => PolicyProblem[], bit: number, clean: CleanObjects): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const object of unit.objects) {
    const known = clean.get(object) ?? 0;
    if ((known & bit) !== 0) continue;
    const found = check(unit, object);
    if (found.length === 0) clean.set(object, known | bit);
    else problems.push(...found);
  }
  return problems;
}

/** The cluster policies of one cluster's units; `unitPaths` every unit folder of the environment (delivery paths must name one). */
export function clusterPolicyProblems(units: readonly RenderedUnit[], unitPaths: ReadonlySet<string>) {
  return { identity: uniqueIdentities(units), references: referencesResolve(units, unitPaths) } as const;
}

export type ClusterPolicyProblems = ReturnType<typeof clusterPolicyProblems>;

/** The selector problems of an app unit against its other variant's unit. */
export function pairPolicyProblems(unit: RenderedUnit, other: RenderedUnit): readonly PolicyProblem[] {
  return unitVariantSelectors(unit, other);
}

export function parityProblems(prod: RenderedUnit, dr: RenderedUnit, suffix: string, renames: Renames): readonly PolicyProblem[] {
  return unitParity(prod, dr, suffix, renames);
}

export { estateRenames, type Renames };

/** The parts, gathered in unit, cluster and pair order. */
export interface PolicyParts {
  readonly units: readonly UnitPolicyProblems[];
  readonly clusters: readonly ClusterPolicyProblems[];
  readonly parity: readonly (readonly PolicyProblem[])[];
  readonly selectors: readonly (readonly PolicyProblem[])[];
}

export function assemblePolicyProblems(parts: PolicyParts): PolicyProblem[] {
  return REPORT_ORDER.flatMap((policy) => {
    switch (policy) {
      case 'identity':
      case 'references':
        return parts.clusters.flatMap((cluster) => cluster[policy]);
      case 'parity':
        return parts.parity.flat();
      case 'selectors':
        return parts.selectors.flat();
      default:
        return parts.units.flatMap((unit) => unit[policy]);
    }
  });
}
