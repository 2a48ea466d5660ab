/** The corpus lab (test/fixtures/hostile/lab.yaml) rendered in-process, and edits of its objects for the DR policy tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CATALOG } from '../../../charts/catalog';
import { composeEnvironment } from '../../../charts/estate';
import type { Environment } from '../../../lib/config/environment';
import { parseEnvironment } from '../../../lib/config/load';
import type { ApiObjectJson, RenderedUnit } from '../../../lib/model';
import { REPO } from '../../support/tree';

/** The lab: prod node alpha, DR node bravo (label kubernetes.io/hostname=bravo, taint role=dr:NoExecute). */
export const LAB_ENV: Environment = parseEnvironment('lab', 'environments/lab.yaml', readFileSync(join(REPO, 'test/fixtures/hostile/lab.yaml'), 'utf8'), {
  knownApps: APP_CATALOG,
});
export const LAB_UNITS: readonly RenderedUnit[] = composeEnvironment(LAB_ENV).units;

export const WP_PROD = 'lab/lab/apps/wordpress/prod';
export const WP_DR = 'lab/lab/apps/wordpress/dr';
export const TRAEFIK = 'lab/lab/infrastructure/traefik';

/** The DR placement the lab's twins carry, for objects a test adds. */
export const DR_PLACEMENT = {
  nodeSelector: { 'kubernetes.io/hostname': 'bravo' },
  tolerations: [{ key: 'role', operator: 'Equal', value: 'dr', effect: 'NoExecute' }],
} as const;

/** A deep copy of the lab's units with the objects of unit `path` changed in place by `change`. */
export function editUnit(path: string, change: (objects: ApiObjectJson[]) => ApiObjectJson[] | void): RenderedUnit[] {
  if (!LAB_UNITS.some((unit) => unit.path === path)) throw new Error(`no unit ${path}`);
  return LAB_UNITS.map((unit) => {
    if (unit.path !== path) return unit;
    const objects = structuredClone([...unit.objects]) as ApiObjectJson[];
    return { ...unit, objects: change(objects) ?? objects };
  });
}

/** The mutable JSON of object `kind/name` among `objects`. */
export function find(objects: ApiObjectJson[], kind: string, name: string): Record<string, any> {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind}/${name}`);
  return found as Record<string, any>;
}
