/**
 * How the edge constructs (route, balancer, DNS record) find the variant they render without
 * passing it around: the composition root attaches it to the edge chart of each app variant,
 * constructs look it up from their scope, the way cdk8s constructs find their Chart.
 */
import type { IConstruct } from 'constructs';
import type { Variant } from './rules';

/** What an edge chart's constructs may ask of their surroundings. */
export interface AppScope {
  readonly variant: Variant;
}

const KEY = 'twinops:app-scope';

/** Attaches the app scope to a chart; call before adding any construct to it. */
export function attachAppScope(chart: IConstruct, scope: AppScope): void {
  chart.node.setContext(KEY, scope);
}

/** The variant a construct renders in; an error names the construct when there is none. */
export function variantOf(construct: IConstruct): Variant {
  const scope = construct.node.tryGetContext(KEY) as AppScope | undefined;
  if (scope === undefined) {
    throw new Error(`${construct.node.path} is not inside an app variant's edge chart (no variant attached)`);
  }
  return scope.variant;
}
