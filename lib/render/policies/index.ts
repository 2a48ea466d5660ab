/** Estate-wide policies (DESIGN.md "Validation"), run on every render after schema validation. */
import type { RenderedUnit } from '../../model';
import { uniqueIdentities } from './identity';
import { kubernetesNames } from './kubernetes-names';
import { drParity } from './parity';
import type { PolicyProblem } from './problem';
import { referencesResolve } from './references';
import { noPlaintextSecrets } from './secrets';

export type { PolicyProblem } from './problem';

/** Every policy problem of an environment's units, in a stable order. */
export function checkPolicies(units: readonly RenderedUnit[], drSuffix: string): PolicyProblem[] {
  return [
    ...kubernetesNames(units),
    ...noPlaintextSecrets(units),
    ...uniqueIdentities(units),
    ...referencesResolve(units),
    ...drParity(units, drSuffix),
  ];
}
