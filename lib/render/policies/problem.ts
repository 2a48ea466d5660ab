/** The shape every estate policy reports in, the same as schema validation's. */
import type { ApiObjectJson, RenderedUnit } from '../../model';

export interface PolicyProblem {
  /** Unit folder (relative to `dist/`) of the offending object. */
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  /** Field path inside the object; empty for the object as a whole. */
  readonly path: string;
  readonly message: string;
}

export function problemAt(unit: RenderedUnit, object: ApiObjectJson, path: string, message: string): PolicyProblem {
  return { file: unit.path, kind: object.kind, name: object.metadata.name, path, message };
}

/** The cluster a unit's objects are applied to: its `appliedTo`, else `env/cluster` for both `env/cluster/...` and `env/clusters/cluster`. */
export function clusterOf(unit: RenderedUnit): string {
  if (unit.appliedTo !== undefined) return unit.appliedTo;
  const [env, second, third] = unit.path.split('/');
  return second === 'clusters' ? `${env}/${third}` : `${env}/${second}`;
}

/** Units grouped by cluster, in first-seen order. */
export function byCluster(units: readonly RenderedUnit[]): Map<string, RenderedUnit[]> {
  const groups = new Map<string, RenderedUnit[]>();
  for (const unit of units) {
    const key = clusterOf(unit);
    groups.set(key, [...(groups.get(key) ?? []), unit]);
  }
  return groups;
}
