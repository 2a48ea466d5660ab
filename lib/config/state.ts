/**
 * The DR state as a value to change: for a preview (`TWINOPS_DR_STATE`), for `dr plan`, and to
 * know what `dr activate|sync|standby` will render. Pure: the file itself is edited elsewhere.
 */
import type { Environment } from './environment';
import type { DrState } from './schema';
import { DR_STATES } from './schema';

/** Parses a state name, or explains which ones exist. */
export function parseDrState(value: string, source: string): DrState {
  if ((DR_STATES as readonly string[]).includes(value)) return value as DrState;
  throw new Error(`${source}: expected one of ${DR_STATES.join(', ')}; given "${value}"`);
}

/** The environment with its own `dr.state` set; per-app states stay as written. */
export function withEnvironmentState(env: Environment, state: DrState): Environment {
  return { ...env, dr: { ...env.dr, state } };
}

/** The environment with app `app` in `state` on every cluster that places it. */
export function withAppState(env: Environment, app: string, state: DrState): Environment {
  const placed = env.clusters.some((cluster) => cluster.apps.some((placement) => placement.app === app));
  if (!placed) {
    const apps = [...new Set(env.clusters.flatMap((cluster) => cluster.apps.map((placement) => placement.app)))].sort();
    throw new Error(`environment ${env.name}: no app "${app}" is placed; expected one of ${apps.join(', ')}`);
  }
  return {
    ...env,
    clusters: env.clusters.map((cluster) => ({
      ...cluster,
      apps: cluster.apps.map((placement) => (placement.app === app ? { ...placement, dr: { ...placement.dr, state } } : placement)),
    })),
  };
}

/**
 * Every app of the environment in `state`, the one-run preview of `TWINOPS_DR_STATE`: the
 * environment's state is set and the apps' own states are dropped, so they all follow it.
 */
export function withStateEverywhere(env: Environment, state: DrState): Environment {
  const base = withEnvironmentState(env, state);
  return {
    ...base,
    clusters: base.clusters.map((cluster) => ({
      ...cluster,
      apps: cluster.apps.map((placement) => {
        const { state: _own, ...dr } = placement.dr;
        return { ...placement, dr };
      }),
    })),
  };
}
