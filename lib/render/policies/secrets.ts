/** No plaintext Secret is ever rendered: credentials come from ExternalSecrets or SealedSecrets. */
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { problemAt, type PolicyProblem } from './problem';

export function noPlaintextSecrets(units: readonly RenderedUnit[]): PolicyProblem[] {
  return units.flatMap((unit) => unit.objects.flatMap((object) => plaintextSecretIn(unit, object)));
}

/** The problem of one object of `unit`, if it is a plaintext Secret. */
export function plaintextSecretIn(unit: RenderedUnit, object: ApiObjectJson): PolicyProblem[] {
  if (object.apiVersion !== 'v1' || object.kind !== 'Secret') return [];
  return [problemAt(unit, object, '', 'a plaintext Secret would be committed; use an ExternalSecret (Credentials) or a SealedSecret')];
}
