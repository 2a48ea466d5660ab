/** `twinops dr`: show, plan and change the DR state of an environment. */
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { environmentName } from '../config/load';
import { DR_STATES, type DrState } from '../config/schema';
import { didYouMean } from '../config/wording';
import { describeChanges, describeKept, type DrTarget, type StateChangePlan } from '../dr/change';
import { formatDiff, isEmptyDiff, summarizeDiff } from '../dr/diff';
import { flipState, RestoredError } from '../dr/flip';
import { planState } from '../dr/plan';
import { environmentStatus, formatStatus, summarizeStatus } from '../dr/status';
import { environmentFiles, loadEnvironments } from '../synth';
import { reportError } from './errors';
import type { Io } from './io';
import { STATE_OVERRIDE_VARIABLE, synthSummaryLine, type RenderDeps } from './synth';

export const DR_USAGE = `usage: twinops dr <command> <environment> [options]

commands:
  status <env>                  the DR state of every twin: state, identity, replicas, hosts
  plan <env> <state> [--app A]  what setting <state> would change in the render; writes nothing
  activate <env> [--app A]      set active in environments/<env>.yaml, then render like synth
  sync <env> [--app A]          set syncing (twins held at zero replicas), then render
  standby <env> [--app A]       set standby, then render

states: ${DR_STATES.join(', ')}
options:
  --app APP             one app, on every cluster that places it (default: the whole environment)
  --environments DIR    folder of the environment files (default: environments)
  --out DIR             the rendered tree (default: dist)
  --verbose             stack traces on errors
`;

/** The commands that write the file, and the state each one sets. */
const FLIPS: ReadonlyMap<string, DrState> = new Map([
  ['activate', 'active'],
  ['sync', 'syncing'],
  ['standby', 'standby'],
]);

function usageError(io: Io, message: string): number {
  io.stderr.write(`twinops dr: ${message}\n${DR_USAGE}`);
  return 2;
}

function parse(argv: readonly string[], io: Io) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      app: { type: 'string' },
      environments: { type: 'string', default: 'environments' },
      out: { type: 'string', default: io.env.CDK8S_OUTDIR ?? 'dist' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
}

/** `home` → `<dir>/home.yaml`, or an error listing the environments that exist. */
function environmentFile(dir: string, name: string): string {
  const files = environmentFiles(dir);
  const file = files.find((candidate) => environmentName(candidate) === name);
  if (file !== undefined) return file;
  const names = files.map(environmentName);
  throw new Error(`unknown environment${didYouMean(name, names)}; expected one of ${names.join(', ')}; given "${name}"`);
}

function stateNamed(value: string): DrState {
  if ((DR_STATES as readonly string[]).includes(value)) return value as DrState;
  throw new Error(`unknown state${didYouMean(value, DR_STATES)}; expected one of ${DR_STATES.join(', ')}; given "${value}"`);
}

/** What makes a command line meaningless (exit 2 with the usage), if anything. */
function usageProblem(command?: string, name?: string, state?: string, extra: readonly string[] = [], app?: string): string | undefined {
  if (command === undefined) return 'missing command';
  if (command !== 'status' && command !== 'plan' && !FLIPS.has(command)) return `unknown command "${command}"`;
  if (name === undefined) return `${command}: missing environment name`;
  if (command === 'plan' && state === undefined) return `plan: missing state (one of ${DR_STATES.join(', ')})`;
  const unexpected = command === 'plan' ? extra : [state, ...extra].filter((arg) => arg !== undefined);
  if (unexpected.length > 0) return `${command}: unexpected argument "${unexpected[0]}"`;
  if (command === 'status' && app !== undefined) return 'status: --app is not an option of status';
  return undefined;
}

export function runDr(argv: readonly string[], io: Io, deps: RenderDeps): number {
  let parsed;
  try {
    parsed = parse(argv, io);
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, name, stateArg, ...extra] = positionals;
  if (values.help || command === 'help') {
    io.stdout.write(DR_USAGE);
    return 0;
  }
  const misuse = usageProblem(command, name, stateArg, extra, values.app);
  if (misuse !== undefined || command === undefined || name === undefined) return usageError(io, misuse ?? 'missing command');
  const label = `dr ${command}`;
  if (io.env[STATE_OVERRIDE_VARIABLE]) {
    io.stderr.write(`twinops ${label}: note: ${STATE_OVERRIDE_VARIABLE} is ignored; dr reads and writes the environment files\n`);
  }
  const context: Context = {
    io,
    deps,
    name,
    app: values.app,
    environmentsDir: join(io.cwd, values.environments),
    distDir: join(io.cwd, values.out),
    shown: (path) => relative(io.cwd, path) || path,
  };
  try {
    const file = environmentFile(context.environmentsDir, name);
    if (command === 'status') return runStatus(context, file);
    if (command === 'plan') return runPlan(context, file, stateNamed(stateArg ?? ''));
    return runFlip(context, file, command, FLIPS.get(command) as DrState);
  } catch (error) {
    if (error instanceof RestoredError) {
      io.stderr.write(`twinops ${label}: the render failed; ${context.shown(error.file)} was restored to its original content\n`);
      return reportError(io, label, error.cause, values.verbose);
    }
    return reportError(io, label, error, values.verbose);
  }
}

/** What the subcommands share. */
interface Context {
  readonly io: Io;
  readonly deps: RenderDeps;
  /** The environment name as given. */
  readonly name: string;
  readonly app: string | undefined;
  readonly environmentsDir: string;
  readonly distDir: string;
  /** A path as the user reads it: relative to the working directory. */
  readonly shown: (path: string) => string;
}

function runStatus({ io, deps, shown }: Context, file: string): number {
  const [env] = loadEnvironments([file], deps.catalog);
  if (env === undefined) throw new Error(`${shown(file)} did not load`);
  const status = environmentStatus(env);
  const lines = [`${env.name}: dr.state ${env.dr.state} (${shown(file)})`, ...formatStatus(status), `status: ${summarizeStatus(status)}`];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** The first line of plan and flips: what changes in the file, or that nothing does. */
function fileChange({ shown }: Context, file: string, state: DrState, change: StateChangePlan): string[] {
  const head = change.changes.length === 0 ? `${state} is already in force; ${shown(file)} unchanged` : describeChanges(shown(file), change.changes);
  return [head, ...describeKept(change.kept).map((line) => `  note: ${line}`)];
}

const appOption = (app: string | undefined) => (app === undefined ? '' : ` --app ${app}`);
const targetOf = (state: DrState, app: string | undefined): DrTarget => (app === undefined ? { state } : { state, app });

function runPlan(context: Context, file: string, state: DrState): number {
  const { io, deps, name, app, distDir } = context;
  const { change, diff } = planState({ file, target: targetOf(state, app), compose: deps.compose, catalog: deps.catalog, distDir });
  const [head, ...notes] = fileChange(context, file, state, change);
  const lines = [`dr plan ${name} ${state}${appOption(app)}: ${head}`, ...notes];
  lines.push(...(isEmptyDiff(diff) ? ['no change to the render'] : formatDiff(diff)), `plan: ${summarizeDiff(diff)}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function runFlip(context: Context, file: string, command: string, state: DrState): number {
  const { io, deps, name, app, environmentsDir, distDir } = context;
  const start = performance.now();
  const { change, summary } = flipState({
    file,
    target: targetOf(state, app),
    environmentsDir,
    distDir,
    compose: deps.compose,
    catalog: deps.catalog,
    onProgress: (line) => io.stderr.write(`  ${line}\n`),
  });
  const [head, ...notes] = fileChange(context, file, state, change);
  const lines = [`dr ${command} ${name}${appOption(app)}: ${head}`, ...notes, synthSummaryLine(summary, start)];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
