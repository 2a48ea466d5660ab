/** `twinops dr`: show, plan and change the DR state of an environment. */
import { resolve } from 'node:path';
import { environmentName } from '../config/load';
import { DR_STATES, type DrState } from '../config/schema';
import { didYouMean } from '../config/wording';
import { UserError } from '../errors';
import { clusterNamed, describeChanges, describeKept, type DrTarget, type StateChangePlan } from '../dr/change';
import { formatDiff, isEmptyDiff, summarizeDiff } from '../dr/diff';
import { flipState, RestoredError } from '../dr/flip';
import { planState } from '../dr/plan';
import { environmentStatus, formatStatus, summarizeStatus } from '../dr/status';
import { environmentFiles, loadEnvironments } from '../synth';
import { parseCommandLine, usageOf, UsageError, type CommandSpec, type OptionSpec } from './args';
import { reportError, shownPath } from './errors';
import type { Io } from './io';
import { LiveProgress } from './live-progress';
import { checkedOutputFolder, FOLDER_OPTIONS, STATE_OVERRIDE_VARIABLE, synthSummaryLine, type RenderDeps } from './synth';

const DR: CommandSpec<typeof FOLDER_OPTIONS & { readonly app: OptionSpec; readonly cluster: OptionSpec }> = {
  name: 'dr',
  synopsis: '<command> <environment> [options]',
  description: `commands:
  status <env>                  the DR state of every twin: state, identity, replicas, hosts
  plan <env> <state>            what setting <state> would change in the render; writes nothing
  activate <env>                set active in environments/<env>.yaml, then render like synth
  sync <env>                    set syncing (twins held at zero replicas), then render
  standby <env>                 set standby, then render

scope: the environment's dr.state by default; --app A sets A's own state on every cluster
placing it, --cluster C the own state of every app with a twin on C, both only A on C.
status shows only C's twins with --cluster C.

states: ${DR_STATES.join(', ')}`,
  options: {
    app: { type: 'string', placeholder: 'APP', description: 'one app, on every cluster that places it (default: every app with a twin)' },
    cluster: { type: 'string', placeholder: 'C', description: 'one cluster, its twins only (default: every cluster)' },
    ...FOLDER_OPTIONS,
  },
  maxPositionals: 3,
};

/** The commands that write the file, and the state each one sets. */
const FLIPS: ReadonlyMap<string, DrState> = new Map([
  ['activate', 'active'],
  ['sync', 'syncing'],
  ['standby', 'standby'],
]);

/** `home` → `<dir>/home.yaml`, or an error listing the environments that exist. */
function environmentFile(dir: string, name: string): string {
  const files = environmentFiles(dir);
  const file = files.find((candidate) => environmentName(candidate) === name);
  if (file !== undefined) return file;
  const names = files.map(environmentName);
  throw new UserError(`unknown environment${didYouMean(name, names)}; expected one of ${names.join(', ')}; given "${name}"`);
}

function stateNamed(value: string): DrState {
  if ((DR_STATES as readonly string[]).includes(value)) return value as DrState;
  throw new UserError(`unknown state${didYouMean(value, DR_STATES)}; expected one of ${DR_STATES.join(', ')}; given "${value}"`);
}

/** What makes a command line meaningless (exit 2), if anything. */
function usageProblem(command?: string, name?: string, state?: string, app?: string): string | undefined {
  if (command === undefined) return 'missing command (one of status, plan, activate, sync, standby)';
  if (command !== 'status' && command !== 'plan' && !FLIPS.has(command)) return `unknown command "${command}"`;
  if (name === undefined) return `${command}: missing environment name`;
  if (command === 'plan' && state === undefined) return `plan: missing state (one of ${DR_STATES.join(', ')})`;
  if (command !== 'plan' && state !== undefined) return `${command}: unexpected argument "${state}"`;
  if (command === 'status' && app !== undefined) return 'status: --app is not an option of status';
  return undefined;
}

export function runDr(argv: readonly string[], io: Io, deps: RenderDeps): number {
  let [label, verbose] = ['dr', argv.includes('--verbose')];
  try {
    const { values, positionals, help, ...line } = parseCommandLine(DR, argv);
    verbose = line.verbose;
    const [command, name, stateArg] = positionals;
    if (help || command === 'help') {
      io.stdout.write(usageOf(DR));
      return 0;
    }
    const misuse = usageProblem(command, name, stateArg, values.app);
    if (misuse !== undefined || command === undefined || name === undefined) throw new UsageError('dr', misuse ?? 'missing command');
    label = `dr ${command}`;
    if (io.env[STATE_OVERRIDE_VARIABLE]) {
      io.stderr.write(`twinops ${label}: note: ${STATE_OVERRIDE_VARIABLE} is ignored; dr reads and writes the environment files\n`);
    }
    const environmentsDir = resolve(io.cwd, values.environments);
    const context: Context = {
      io,
      deps,
      name,
      app: values.app,
      cluster: values.cluster,
      environmentsDir,
      // Only the commands that render need an output folder twinops may replace.
      distDir: FLIPS.has(command) ? checkedOutputFolder(io, values.out, environmentsDir) : resolve(io.cwd, values.out),
      shown: (path) => shownPath(io.cwd, path),
    };
    const file = environmentFile(context.environmentsDir, name);
    if (command === 'status') return runStatus(context, file);
    if (command === 'plan') return runPlan(context, file, stateNamed(stateArg ?? ''));
    return runFlip(context, file, command, FLIPS.get(command) as DrState);
  } catch (error) {
    if (error instanceof RestoredError) {
      io.stderr.write(`twinops ${label}: the render failed; ${shownPath(io.cwd, error.file)} was restored to its original content\n`);
      return reportError(io, label, error.cause, verbose);
    }
    return reportError(io, label, error, verbose);
  }
}

/** What the subcommands share. */
interface Context {
  readonly io: Io;
  readonly deps: RenderDeps;
  /** The environment name as given. */
  readonly name: string;
  readonly app: string | undefined;
  /** `--cluster`: the one cluster the command reads or changes. */
  readonly cluster: string | undefined;
  readonly environmentsDir: string;
  readonly distDir: string;
  /** A path as the user reads it: relative to the working directory. */
  readonly shown: (path: string) => string;
}

function runStatus({ io, deps, shown, cluster }: Context, file: string): number {
  const [env] = loadEnvironments([file], deps.catalog);
  if (env === undefined) throw new Error(`${shown(file)} did not load`); // never: loadEnvironments throws instead
  if (cluster !== undefined) clusterNamed(env, cluster);
  const status = environmentStatus(env, cluster);
  const lines = [`${env.name}: dr.state ${env.dr.state} (${shown(file)})`, ...formatStatus(status), `status: ${summarizeStatus(status)}`];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** The first line of plan and flips: what changes in the file, or that nothing does. */
function fileChange({ shown }: Context, file: string, state: DrState, change: StateChangePlan): string[] {
  const head = change.changes.length === 0 ? `${state} is already in force; ${shown(file)} unchanged` : describeChanges(shown(file), change.changes);
  return [head, ...describeKept(change.kept).map((line) => `  note: ${line}`)];
}

/** ` --app A --cluster C`, the options as the command line gave them. */
const scopeOptions = ({ app, cluster }: Context) => `${app === undefined ? '' : ` --app ${app}`}${cluster === undefined ? '' : ` --cluster ${cluster}`}`;
const targetOf = (state: DrState, { app, cluster }: Context): DrTarget => ({
  state,
  ...(app === undefined ? {} : { app }),
  ...(cluster === undefined ? {} : { cluster }),
});

function runPlan(context: Context, file: string, state: DrState): number {
  const { io, deps, name, distDir } = context;
  const { change, diff } = planState({ file, target: targetOf(state, context), compose: deps.compose, catalog: deps.catalog, distDir });
  const [head, ...notes] = fileChange(context, file, state, change);
  const lines = [`dr plan ${name} ${state}${scopeOptions(context)}: ${head}`, ...notes];
  lines.push(...(isEmptyDiff(diff) ? ['no change to the render'] : formatDiff(diff)), `plan: ${summarizeDiff(diff)}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function runFlip(context: Context, file: string, command: string, state: DrState): number {
  const { io, deps, name, environmentsDir, distDir } = context;
  const start = performance.now();
  deps.typecheck?.(io, `dr ${command}`).settle();
  const live = new LiveProgress(io);
  const say = (line: string) => {
    live.clear();
    io.stderr.write(line);
  };
  let flipped: ReturnType<typeof flipState>;
  try {
    flipped = flipState({
      file,
      target: targetOf(state, context),
      environmentsDir,
      distDir,
      compose: deps.compose,
      catalog: deps.catalog,
      onProgress: (line) => say(`  ${line}\n`),
      onUnit: (environment, done, total) => live.units(environment, done, total),
      onNotice: (notice) => say(`twinops dr ${command}: ${notice}\n`),
      beforeWrite: () => live.step(`writing ${shownPath(io.cwd, distDir)}/…`),
      projectDir: io.cwd,
    });
  } finally {
    live.clear();
  }
  const { change, summary } = flipped;
  const [head, ...notes] = fileChange(context, file, state, change);
  const lines = [`dr ${command} ${name}${scopeOptions(context)}: ${head}`, ...notes, synthSummaryLine(summary, start)];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
