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

/** The folder of a unit's other variant, for an app unit; undefined for any other unit. */
export function otherVariantPath(unit: RenderedUnit): string | undefined {
  const side = appUnitOf(unit)?.side;
  return side === undefined ? undefined : otherPath(unit.path, side);
}

export function variantSelectors(units: readonly RenderedUnit[]): PolicyProblem[] {
  const byPath = new Map(units.map((unit) => [unit.path, unit]));
  return units.flatMap((unit) => {
    const other = byPath.get(otherVariantPath(unit) ?? '');
    return other === undefined ? [] : unitVariantSelectors(unit, other);
  });
}

/** The problems of `unit`'s Services against the pods of `other`, its other variant's unit. */
export function unitVariantSelectors(unit: RenderedUnit, other: RenderedUnit): PolicyProblem[] {
  const side = appUnitOf(unit)?.side;
  if (side === undefined) return [];
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
}
