/**
 * DR transitions between the base and the working tree: which placed apps change DR state, and
 * whether the observed change of each is exactly its documented change set, that is, what the
 * flip alone changes: the working tree rendered with only that app set back to its base state,
 * compared with the working tree as it is.
 */
import { appState, type Environment } from '../config/environment';
import type { DrState } from '../config/schema';
import type { ObjectRef, RenderDiff } from '../dr/diff';
import type { RenderedEnvironment } from '../model';
import { LABEL, twinHome } from '../variant/rules';
import { changeLines, compareRenders, refKey, type ComparedEnvironment } from './compare';

/** One placed app whose DR state differs between the base and the working tree. */
export interface StateFlip {
  readonly environment: string;
  readonly app: string;
  /** The prod cluster, which places the app. */
  readonly cluster: string;
  /** The cluster its twin runs on (the prod cluster when DR is a node of it). */
  readonly twinCluster: string;
  readonly from: DrState;
  readonly to: DrState;
}

/** A flip checked against the diff. It is exactly the documented change set when both lists are empty. */
export interface Transition extends StateFlip {
  /** Changes of the app's objects the flip alone does not make, as `changeLines` words them. */
  readonly extra: readonly string[];
  /** Changes the flip makes that the diff lacks. */
  readonly missing: readonly string[];
}

/** The placements with a twin in `now` whose state differs from the same placement in `base`. */
export function stateFlips(base: Environment, now: Environment): StateFlip[] {
  // By name, the first of each as `find` gave: a scan per placement made a fleet's diff quadratic.
  const baseClusters = new Map([...base.clusters].reverse().map((cluster) => [cluster.name, cluster]));
  return now.clusters.flatMap((cluster) =>
    cluster.apps.flatMap((placement) => {
      const before = baseClusters.get(cluster.name)?.apps.find((each) => each.app === placement.app);
      if (!placement.dr.enabled || before === undefined || !before.dr.enabled) return [];
      const [from, to] = [appState(base, before), appState(now, placement)];
      if (from === to) return [];
      const twinCluster = twinHome(now, cluster, placement).name;
      return [{ environment: now.name, app: placement.app, cluster: cluster.name, twinCluster, from, to }];
    }),
  );
}

/** The environment with one placement (app `app` on cluster `cluster`) in `state`, all else as it is. */
export function withPlacementState(env: Environment, cluster: string, app: string, state: DrState): Environment {
  return {
    ...env,
    clusters: env.clusters.map((each) =>
      each.name !== cluster
        ? each
        : { ...each, apps: each.apps.map((placement) => (placement.app === app ? { ...placement, dr: { ...placement.dr, state } } : placement)) },
    ),
  };
}

/** Whether an object (either version) carries the app label of `app`. */
function belongsTo(compared: ComparedEnvironment, app: string): (ref: ObjectRef) => boolean {
  return (ref) => {
    const key = refKey(ref);
    return [compared.before.get(key), compared.after.get(key)].some((object) => object?.metadata.labels?.[LABEL.app] === app);
  };
}

/**
 * Each flip of one environment checked: `observed` is the base → working tree comparison,
 * `current` the working tree's render, `renderWith(env)` renders an environment as the
 * working tree's is rendered (same pipeline, same checks).
 */
export function checkFlips(
  flips: readonly StateFlip[],
  now: Environment,
  observed: ComparedEnvironment,
  current: RenderedEnvironment,
  renderWith: (env: Environment) => RenderedEnvironment,
): Transition[] {
  const flipDiffs = flips.map((flip) => compareRenders(renderWith(withPlacementState(now, flip.cluster, flip.app, flip.from)), current).diff);
  const observedAll = new Set(changeLines(observed.diff));
  return flips.map((flip, index) => {
    const flipDiff = flipDiffs[index] as RenderDiff;
    const own = changeLines(flipDiff);
    const ownLines = new Set(own);
    const others = new Set(flipDiffs.filter((_, i) => i !== index).flatMap((diff) => changeLines(diff)));
    const ownKeys = new Set([...flipDiff.added, ...flipDiff.removed, ...flipDiff.changed].map(refKey));
    const isApps = belongsTo(observed, flip.app);
    const inScope = (ref: ObjectRef) => ownKeys.has(refKey(ref)) || isApps(ref);
    // Another flip's changes are that flip's, not extras of this one.
    const extra = changeLines(observed.diff, inScope).filter((line) => !ownLines.has(line) && !others.has(line));
    const missing = own.filter((line) => !observedAll.has(line));
    return { ...flip, extra, missing };
  });
}
