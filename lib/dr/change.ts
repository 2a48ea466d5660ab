/**
 * A DR state change of one environment file, decided and checked but not written: the edited
 * text, the environment before and after (both loaded exactly as synth loads them), and what
 * changed. `dr plan` renders both sides; `dr activate|sync|standby` writes the text.
 */
import { appState, type Environment } from '../config/environment';
import { environmentName, parseEnvironment, readEnvironmentText, type LoadOptions } from '../config/load';
import type { DrState } from '../config/schema';
import { didYouMean } from '../config/wording';
import { UserError } from '../errors';
import { setAppState, setEnvironmentState, type StateChange } from './edit';

/** What a command asks for. */
export interface DrTarget {
  /** The state to set. */
  readonly state: DrState;
  /** One app, on every cluster that places it. Default: the environment-level `dr.state`. */
  readonly app?: string;
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
  /** After an environment-level change: the apps whose own `dr.state` still wins. Empty for `--app`. */
  readonly kept: readonly KeptState[];
}

/** The apps an environment places, sorted, each once. */
export function placedApps(env: Environment): string[] {
  return [...new Set(env.clusters.flatMap((cluster) => cluster.apps.map((placement) => placement.app)))].sort();
}

/** Decides the change of `file` to `target` and checks the result; reads the file, writes nothing. */
export function prepareStateChange(file: string, target: DrTarget, options: LoadOptions): StateChangePlan {
  const name = environmentName(file);
  const original = readEnvironmentText(file);
  const before = parseEnvironment(name, file, original, options);
  const { app, state } = target;
  if (app !== undefined && !placedApps(before).includes(app)) {
    const apps = placedApps(before);
    throw new UserError(`environment ${name}: unknown app${didYouMean(app, apps)}; expected one of the apps it places, ${apps.join(', ')}; given "${app}"`);
  }
  const edit = app === undefined ? setEnvironmentState(original, state) : setAppState(original, app, state, before.dr.state);
  // The edited text goes through the whole loader: a file synth would reject is never written.
  const after = edit.changes.length === 0 ? before : parseEnvironment(name, file, edit.text, options);
  const missed = after.clusters.flatMap((cluster) =>
    cluster.apps.filter((placement) => placement.app === app && appState(after, placement) !== state).map(() => cluster.name),
  );
  if ((app === undefined && after.dr.state !== state) || missed.length > 0) {
    throw new Error(`${file}: the edit did not set the DR state to ${state}; nothing was written (a bug in twinops)`);
  }
  const kept =
    app === undefined
      ? after.clusters.flatMap((cluster) =>
          cluster.apps
            .filter((placement) => placement.dr.enabled && placement.dr.state !== undefined && placement.dr.state !== state)
            .map((placement) => ({ cluster: cluster.name, app: placement.app, state: appState(after, placement) })),
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
