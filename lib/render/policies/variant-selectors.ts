/**
 * No Service of one variant selects pods of the other, whatever labels the charts or the twin
 * rules chose: each Service with a selector in an app's prod unit matches no pod template of the
 * app's DR unit in its namespace, and the reverse. (The references policy checks the twinops
 * variant label; this one needs no label at all.)
 */
import type { RenderedUnit } from '../../model';
import { appUnitOf, type Side } from './dr-target';
import { problemAt, type PolicyProblem } from './problem';
import { podTemplateOf, selectorMatches, serviceSelectorOf } from './workloads';

const OTHER: Record<Side, Side> = { prod: 'dr', dr: 'prod' };

/** The unit folder of an app's other variant: `.../apps/wordpress/prod` ↔ `.../apps/wordpress/dr`. */
const otherPath = (path: string, side: Side) => `${path.slice(0, path.length - side.length)}${OTHER[side]}`;

export function variantSelectors(units: readonly RenderedUnit[]): PolicyProblem[] {
  const byPath = new Map(units.map((unit) => [unit.path, unit]));
  return units.flatMap((unit) => {
    const side = appUnitOf(unit)?.side;
    const other = side === undefined ? undefined : byPath.get(otherPath(unit.path, side));
    if (side === undefined || other === undefined) return [];
    const pods = other.objects.flatMap((object) => {
      const template = podTemplateOf(object);
      return template ? [{ object, labels: template.labels }] : [];
    });
    return unit.objects.flatMap((service) => {
      const selector = serviceSelectorOf(service);
      if (selector === undefined) return [];
      return pods
        .filter(({ object, labels }) => (object.metadata.namespace ?? '') === (service.metadata.namespace ?? '') && selectorMatches(selector, labels))
        .map(({ object }) =>
          problemAt(
            unit,
            service,
            'spec.selector',
            `a ${side} Service must select no pod of the ${OTHER[side]} variant; given ${JSON.stringify(selector)}, which selects ${object.kind}/${object.metadata.name} of ${other.path}`,
          ),
        );
    });
  });
}
