/**
 * `twinops diff` end to end, nothing written: the working tree's environments rendered in memory
 * through synth's pipeline (schemas and policies included), the base's `dist/` and environment
 * files read through git, both sides compared, DR flips checked against their documented change
 * sets.
 */
import { basename, relative } from 'node:path';
import type { AppCatalog } from '../config/catalog';
import { ConfigError } from '../config/errors';
import type { Environment } from '../config/environment';
import { parseEnvironment } from '../config/load';
import type { RenderedEnvironment } from '../model';
import { environmentFiles, loadEnvironments, renderFiles, type Compose } from '../synth';
import { compareRenders, type ComparedEnvironment } from './compare';
import { filesAt, resolveCommit } from './git';
import { buildReport, type DiffReport } from './report';
import { checkFlips, stateFlips, type Transition } from './transitions';
import { emptyRender, readRenders } from './tree';

export interface DiffOptions {
  /** The project folder; git runs here. */
  readonly cwd: string;
  /** Folder of the environment files (absolute). */
  readonly environmentsDir: string;
  /** The rendered tree (absolute): read at the base through git, and on disk only for `flux-system` folders. */
  readonly distDir: string;
  /** The git ref to compare with. */
  readonly base: string;
  readonly compose: Compose;
  readonly catalog: AppCatalog;
  /** Add a unified YAML diff per changed object. Default: false. */
  readonly unified?: boolean;
}

/** A path relative to the project, with `/`, as git takes it. */
const gitPath = (cwd: string, path: string) => relative(cwd, path).split('\\').join('/') || '.';

/** The base's environment files that load; a note for each one that does not any more. */
function baseEnvironments(options: DiffOptions, commit: string, notes: string[]): Map<string, Environment> {
  const folder = gitPath(options.cwd, options.environmentsDir);
  const environments = new Map<string, Environment>();
  for (const [path, text] of filesAt(options.cwd, commit, folder)) {
    if (path.includes('/') || !path.endsWith('.yaml')) continue;
    const name = basename(path, '.yaml');
    const shown = `${options.base}:${folder}/${path}`;
    try {
      environments.set(name, parseEnvironment(name, shown, text, { knownApps: options.catalog }));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const first = error.problems[0];
      notes.push(`${shown} does not load with the working tree's twinops (${first?.path ? `${first.path}: ` : ''}${first?.message ?? 'invalid'}): DR transitions of ${name} not checked`);
    }
  }
  return environments;
}

/** Renders environments as synth does and reads the files back as objects. */
function renderTree(environments: readonly Environment[], options: DiffOptions): Map<string, RenderedEnvironment> {
  return readRenders(renderFiles(environments, options.compose, options.distDir).files);
}

export function semanticDiff(options: DiffOptions): DiffReport {
  const commit = resolveCommit(options.cwd, options.base);
  const environments = loadEnvironments(environmentFiles(options.environmentsDir), options.catalog);
  const current = renderTree(environments, options);
  const based = readRenders(filesAt(options.cwd, commit, gitPath(options.cwd, options.distDir)));
  const notes: string[] = [];
  const baseEnvs = baseEnvironments(options, commit, notes);

  const compared: ComparedEnvironment[] = [];
  const transitions: Transition[] = [];
  for (const name of [...new Set([...based.keys(), ...current.keys()])].sort()) {
    const now = current.get(name) ?? emptyRender(name);
    const observed = compareRenders(based.get(name) ?? emptyRender(name), now);
    compared.push(observed);
    const [env, baseEnv] = [environments.find((each) => each.name === name), baseEnvs.get(name)];
    if (env === undefined || baseEnv === undefined) continue;
    const renderWith = (variant: Environment) => renderTree([variant], options).get(name) ?? emptyRender(name);
    transitions.push(...checkFlips(stateFlips(baseEnv, env), env, observed, now, renderWith));
  }
  return buildReport({ base: { ref: options.base, commit }, compared, transitions, notes, unified: options.unified ?? false });
}
