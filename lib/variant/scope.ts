/**
 * How constructs find the variant they render without charts passing it around: the
 * composition root attaches it to each app chart, constructs look it up from their scope,
 * the way cdk8s constructs find their Chart.
 */
import type { IConstruct } from 'constructs';
import type { Variant } from './rules';

/** What an app chart's constructs may ask of their surroundings. */
export interface AppScope {
  readonly variant: Variant;
  /**
   * The in-cluster host name of `service` (a prod name) of app `app` as this variant sees it:
   * the same variant of that app, short when it shares the namespace.
   */
  serviceHost(app: string, service: string): string;
  /** Where credentials come from; absent when the environment declares no store. */
  readonly secretStore?: { readonly kind: string; readonly name: string; readonly refreshInterval: string };
}

const KEY = 'twinops:app-scope';

/** Attaches the app scope to a chart; call before adding any construct to it. */
export function attachAppScope(chart: IConstruct, scope: AppScope): void {
  chart.node.setContext(KEY, scope);
}

/** The app scope a construct renders in; an error names the construct when there is none. */
export function appScopeOf(construct: IConstruct): AppScope {
  const scope = construct.node.tryGetContext(KEY) as AppScope | undefined;
  if (scope === undefined) {
    throw new Error(`${construct.node.path} is not inside an app chart (no variant attached)`);
  }
  return scope;
}

/** The variant a construct renders in. */
export function variantOf(construct: IConstruct): Variant {
  return appScopeOf(construct).variant;
}
