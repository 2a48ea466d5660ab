/** Estate-wide policies (DESIGN.md "Validation"), run on every render after schema validation. */
import type { Environment } from '../../config/environment';
import type { RenderedUnit } from '../../model';
import { otherVariantPath } from './variant-selectors';
import { byCluster, type PolicyProblem } from './problem';
import { parityPairs } from './parity';
import { assemblePolicyProblems, clusterPolicyProblems, estateRenames, pairPolicyProblems, parityProblems, unitPolicyProblems } from './scoped';

export type { PolicyProblem } from './problem';

/**
 * Every policy problem of an environment's units, in a stable order: policy by policy, each in
 * unit order (./scoped.ts lists them). The environment gives the DR rules (suffix, storage class
 * map) and each cluster's DR node and storage classes, which the positive DR policies check the
 * rendered objects against.
 */
export function checkPolicies(units: readonly RenderedUnit[], env: Environment): PolicyProblem[] {
  const byPath = new Map(units.map((unit) => [unit.path, unit]));
  const unitPaths = new Set(byPath.keys());
  const pairs = parityPairs(units);
  const renames = estateRenames(
    pairs.map((pair) => pair.prod),
    env.dr.suffix,
  );
  return assemblePolicyProblems({
    units: units.map((unit) => unitPolicyProblems(unit, env)),
    clusters: [...byCluster(units).values()].map((clusterUnits) => clusterPolicyProblems(clusterUnits, unitPaths)),
    parity: pairs.map(({ prod, dr }) => parityProblems(prod, dr, env.dr.suffix, renames)),
    selectors: units.map((unit) => {
      const other = byPath.get(otherVariantPath(unit) ?? '');
      return other === undefined ? [] : pairPolicyProblems(unit, other);
    }),
  });
}
