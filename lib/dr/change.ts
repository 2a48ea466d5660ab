/**
 * A DR state change of one environment file, decided and checked but not written: the edited
 * text, the environment before and after (both loaded exactly as synth loads them), and what
 * changed. `dr plan` renders both sides; `dr activate|sync|standby` writes the text.
 */
import { appState, type AppPlacement, type Cluster, type Environment } from '../config/environment';
import { environmentName, parseEnvironment, readEnvironmentText, type LoadOptions } from '../config/load';
import type { DrState } from '../config/schema';
import { didYouMean } from '../config/wording';
import { UserError } from '../errors';
import { setEnvironmentState, setPlacementState, type StateChange } from './edit';

/** What a command asks for. */
export interface DrTarget {
  /** The state to set. */
  readonly state: DrState;
  /** One app, on every cluster that places it (or on `cluster` only). Default: every app with a twin. */
  readonly app?: string;
  /**
   * One cluster: the state is set on each placement of the cluster (of `app` only, if given).
   * Default: every cluster. With neither `app` nor `cluster`, the environment-level `dr.state` is set.
   */
  readonly cluster?: string;
}

/** An app that keeps a state of its own after an environment-level change. */
export interface KeptState {
  readonly cluster: string;
  readonly app: string;
  readonly state: DrState;
}

export interface StateChangePlan {
  readonly file: string;
  /** The file's bytes as read. */
  readonly original: string;
  /** The file's bytes with the change; equal to `original` when the state is in force already. */
  readonly text: string;
  readonly changes: readonly StateChange[];
  readonly before: Environment;
  readonly after: Environment;
  /** After an environment-level change: the apps whose own `dr.state` still wins. Empty for `--app` and `--cluster`. */
  readonly kept: readonly KeptState[];
}

/** The apps an environment places, sorted, each once. */
export function placedApps(env: Environment): string[] {
  return [...new Set(env.clusters.flatMap((cluster) => cluster.apps.map((placement) => placement.app)))].sort();
}

/** The names of the clusters of `env`, in file order. */
export function clusterNames(env: Environment): string[] {
  return env.clusters.map((cluster) => cluster.name);
}

/** The cluster of `env` named `name`, or an error naming the clusters it has. */
export function clusterNamed(env: Environment, name: string): Cluster {
  const cluster = env.clusters.find((candidate) => candidate.name === name);
  if (cluster !== undefined) return cluster;
  const names = clusterNames(env);
  throw new UserError(`environment ${env.name}: unknown cluster${didYouMean(name, names)}; expected one of its clusters, ${names.join(', ')}; given "${name}"`);
}

const twinnedApps = (cluster: Cluster) => cluster.apps.filter((placement) => placement.dr.enabled).map((placement) => placement.app);
const listOrNone = (names: readonly string[]) => (names.length === 0 ? '(none)' : names.join(', '));

/** Refuses a target that names an app or a cluster the environment does not have, or a twinless one. */
function checkTarget(env: Environment, { app, cluster: clusterName }: DrTarget): void {
  if (clusterName === undefined) {
    const apps = placedApps(env);
    if (app !== undefined && !apps.includes(app)) {
      throw new UserError(`environment ${env.name}: unknown app${didYouMean(app, apps)}; expected one of the apps it places, ${apps.join(', ')}; given "${app}"`);
    }
    return;
  }
  const cluster = clusterNamed(env, clusterName);
  const twinned = twinnedApps(cluster);
  if (app === undefined) {
    if (twinned.length > 0) return;
    const withTwins = env.clusters.filter((candidate) => twinnedApps(candidate).length > 0).map((candidate) => candidate.name);
    throw new UserError(
      `environment ${env.name}: cluster ${clusterName} places no app with a DR twin; expected one of the clusters with twins, ${listOrNone(withTwins)}; given "${clusterName}"`,
    );
  }
  const placed = cluster.apps.map((placement) => placement.app);
  if (!placed.includes(app)) {
    throw new UserError(
      `environment ${env.name}: app not placed on cluster ${clusterName}${didYouMean(app, placed)}; expected one of the apps it places there, ${listOrNone(placed)}; given "${app}"`,
    );
  }
  if (!twinned.includes(app)) {
    throw new UserError(
      `environment ${env.name}: ${app} has no DR twin on cluster ${clusterName}; expected one of the apps with a twin there, ${listOrNone(twinned)}; given "${app}"`,
    );
  }
}

/** Whether `target` (an app, a cluster or both) sets the state of `placement` on `cluster`. */
function inScope(target: DrTarget, cluster: Cluster, placement: AppPlacement): boolean {
  if (target.cluster !== undefined && cluster.name !== target.cluster) return false;
  return target.app === undefined ? placement.dr.enabled : placement.app === target.app;
}

/** Decides the change of `file` to `target` and checks the result; reads the file, writes nothing. */
export function prepareStateChange(file: string, target: DrTarget, options: LoadOptions): StateChangePlan {
  const name = environmentName(file);
  const original = readEnvironmentText(file);
  const before = parseEnvironment(name, file, original, options);
  checkTarget(before, target);
  const { app, cluster, state } = target;
  const wholeEnvironment = app === undefined && cluster === undefined;
  const scope = { ...(app === undefined ? {} : { app }), ...(cluster === undefined ? {} : { cluster }) };
  const edit = wholeEnvironment ? setEnvironmentState(original, state) : setPlacementState(original, scope, state, before.dr.state);
  // The edited text goes through the whole loader: a file synth would reject is never written.
  const after = edit.changes.length === 0 ? before : parseEnvironment(name, file, edit.text, options);
  const missed = wholeEnvironment
    ? []
    : after.clusters.flatMap((each) => each.apps.filter((placement) => inScope(target, each, placement) && appState(after, placement) !== state));
  if ((wholeEnvironment && after.dr.state !== state) || missed.length > 0) {
    throw new Error(`${file}: the edit did not set the DR state to ${state}; nothing was written (a bug in twinops)`);
  }
  const kept = wholeEnvironment
    ? after.clusters.flatMap((each) =>
        each.apps
          .filter((placement) => placement.dr.enabled && placement.dr.state !== undefined && placement.dr.state !== state)
          .map((placement) => ({ cluster: each.name, app: placement.app, state: appState(after, placement) })),
      )
    : [];
  return { file, original, text: edit.text, changes: edit.changes, before, after, kept };
}

/** `environments/home.yaml:13 dr.state: standby → active`; several changes joined by `; `. */
export function describeChanges(file: string, changes: readonly StateChange[]): string {
  return changes
    .map((change) => `${file}:${change.line} ${change.path}: ${change.before ?? '(not set)'} → ${change.after ?? '(not set)'}`)
    .join('; ');
}

/** `wordpress on home keeps its own state standby`, one per kept app. */
export function describeKept(kept: readonly KeptState[]): string[] {
  return kept.map((entry) => `${entry.app} on ${entry.cluster} keeps its own state ${entry.state}`);
}
