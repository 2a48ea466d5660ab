/**
 * The estate policies by what each one reads, so that the render cache can keep their answers
 * (issue 11): a unit policy reads one unit (and the environment's DR facts), a cluster policy
 * every unit of one cluster, a pair policy an app unit and its other variant, parity a twin and
 * its prod with what twins rename estate-wide. `checkPolicies` (./index.ts) is all of them on
 * every unit; `assemblePolicyProblems` gives the same problems in the same order from the parts.
 */
import type { Environment } from '../../config/environment';
import type { RenderedUnit } from '../../model';
import { drPlacement } from './dr-placement';
import { drStorage } from './dr-storage';
import { uniqueIdentities } from './identity';
import { kubernetesNames } from './kubernetes-names';
import { disruptionBudgets } from './lint-disruption';
import { imagesPinned } from './lint-images';
import { noPrivileges } from './lint-privileges';
import { servingProbes } from './lint-probes';
import { resourceRequests } from './lint-resources';
import { estateRenames, unitParity, type Renames } from './parity';
import type { PolicyProblem } from './problem';
import { referencesResolve } from './references';
import { noPlaintextSecrets } from './secrets';
import { unitVariantSelectors } from './variant-selectors';
import { waiverProblems } from './waivers';

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
export type UnitPolicyProblems = Readonly<Record<UnitPolicy, readonly PolicyProblem[]>>;

/** Every problem of a policy, in the order `checkPolicies` reports: policy by policy. */
const REPORT_ORDER = ['names', 'secrets', 'identity', 'references', 'parity', 'placement', 'storage', 'selectors', 'images', 'resources', 'probes', 'privileges', 'disruption', 'waivers'] as const;

export function unitPolicyProblems(unit: RenderedUnit, env: Environment): UnitPolicyProblems {
  const units = [unit];
  const problems = {} as Record<UnitPolicy, readonly PolicyProblem[]>;
  for (const name of Object.keys(UNIT_POLICIES) as UnitPolicy[]) problems[name] = UNIT_POLICIES[name](units, env);
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
