/** Estate-wide policies (DESIGN.md "Validation"), run on every render after schema validation. */
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
import { drParity } from './parity';
import type { PolicyProblem } from './problem';
import { referencesResolve } from './references';
import { noPlaintextSecrets } from './secrets';
import { variantSelectors } from './variant-selectors';
import { waiverProblems } from './waivers';

export type { PolicyProblem } from './problem';

/**
 * Every policy problem of an environment's units, in a stable order. The environment gives the
 * DR rules (suffix, storage class map) and each cluster's DR node and storage classes, which the
 * positive DR policies check the rendered objects against.
 */
export function checkPolicies(units: readonly RenderedUnit[], env: Environment): PolicyProblem[] {
  return [
    ...kubernetesNames(units),
    ...noPlaintextSecrets(units),
    ...uniqueIdentities(units),
    ...referencesResolve(units),
    ...drParity(units, env.dr.suffix),
    ...drPlacement(units, env),
    ...drStorage(units, env),
    ...variantSelectors(units),
    // Linter-style policies (kube-linter, Polaris), each waivable per object with a reason.
    ...imagesPinned(units),
    ...resourceRequests(units),
    ...servingProbes(units),
    ...noPrivileges(units),
    ...disruptionBudgets(units),
    ...waiverProblems(units),
  ];
}
