/** No plaintext Secret is ever rendered: credentials come from ExternalSecrets or SealedSecrets. */
import type { RenderedUnit } from '../../model';
import { problemAt, type PolicyProblem } from './problem';

export function noPlaintextSecrets(units: readonly RenderedUnit[]): PolicyProblem[] {
  return units.flatMap((unit) =>
    unit.objects
      .filter((object) => object.apiVersion === 'v1' && object.kind === 'Secret')
      .map((object) =>
        problemAt(unit, object, '', 'a plaintext Secret would be committed; use an ExternalSecret (Credentials) or a SealedSecret'),
      ),
  );
}
