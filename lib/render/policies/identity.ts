/** No two objects of one cluster share an identity (group, kind, namespace, name). */
import type { RenderedUnit } from '../../model';
import { byCluster, problemAt, type PolicyProblem } from './problem';

const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

export function uniqueIdentities(units: readonly RenderedUnit[]): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const clusterUnits of byCluster(units).values()) {
    const seen = new Map<string, string>();
    for (const unit of clusterUnits) {
      for (const object of unit.objects) {
        const { namespace = '', name } = object.metadata;
        const key = `${group(object.apiVersion)}/${object.kind}/${namespace}/${name}`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, unit.path);
        else problems.push(problemAt(unit, object, 'metadata.name', `also rendered by ${first}: one object, two owners`));
      }
    }
  }
  return problems;
}
