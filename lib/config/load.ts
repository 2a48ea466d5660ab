/**
 * Loads one environment file: YAML with source positions, the JSON Schema, the documented
 * defaults, then the semantic checks. Either returns the typed Environment or throws one
 * ConfigError carrying every problem found, each with its line, column and field path.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { systemReason } from '../errors';
import type { AppCatalog } from './catalog';
import { withDefaults, type Environment } from './environment';
import { ConfigError, type ConfigProblem } from './errors';
import type { EnvironmentSpec } from './schema';
import { checkSchema } from './schema-check';
import { checkSemantics } from './semantic';
import { describeNonFile } from './discover';
import { decodeText, readYaml } from './source';
import { A_DNS_LABEL } from './wording';

export interface LoadOptions {
  /** The charts placements may name (the real catalog, or a small fake one in tests). */
  readonly knownApps: AppCatalog;
  /** Environments parsed before (the render cache): one parsed from the same file and text is not parsed again. */
  readonly parsed?: ParsedEnvironments;
}

/**
 * What the render cache knows of the environments the last render parsed: the environment named
 * `name` as parsing the source `source` (`sourceOf`) gave it, if it kept it. Parsing is a pure
 * function of the file's path and text (and of the program, which the cache belongs to), so the
 * same source gives the same environment: a CLI synth of the bench fleet with nothing to change
 * skips 150-190 ms of parsing and checking its 284 KB file (measured).
 */
export interface ParsedEnvironments {
  parsedFrom(name: string, source: string): Environment | undefined;
}

/** The source digest of each environment loaded with `parsed` (the render cache keeps it with the environment). */
const sources = new WeakMap<Environment, string>();

/** The digest of the file path and text `env` was loaded from, when it was loaded for a render cache. */
export function sourceOf(env: Environment): string | undefined {
  return sources.get(env);
}

const EXTENSION = '.yaml';
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `environments/home.yaml` → `home`. */
export function environmentName(file: string): string {
  return basename(file, EXTENSION);
}

/** Reads and checks an environment file; the environment is named after the file. */
export function loadEnvironment(file: string, options: LoadOptions): Environment {
  if (!file.endsWith(EXTENSION)) {
    const [expected, given] = [`a file name ending in ${EXTENSION}`, JSON.stringify(basename(file))];
    throw new ConfigError([{ file, line: 0, column: 0, path: '', expected, given, message: `expected ${expected}; given ${given}` }]);
  }
  const text = readEnvironmentText(file);
  const name = environmentName(file);
  if (options.parsed === undefined) return parseEnvironment(name, file, text, options);
  const source = createHash('sha256').update(file).update('\0').update(text).digest('base64');
  const environment = options.parsed.parsedFrom(name, source) ?? parseEnvironment(name, file, text, options);
  sources.set(environment, source);
  return environment;
}

/**
 * The text of an environment file, checked to be UTF-8. The file is opened without blocking and
 * checked to be a regular file before a byte is read: a named pipe would otherwise hang the run.
 */
export function readEnvironmentText(file: string): string {
  const fileProblem = (expected: string, given: string, message: string) =>
    ({ file, line: 0, column: 0, path: '', expected, given, message }) satisfies ConfigProblem;
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const kind = describeNonFile(stats);
      throw new ConfigError([fileProblem('a regular file', kind, `expected a regular file; given ${kind}; it was not read`)]);
    }
    bytes = readFileSync(fd);
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    const reason = systemReason(cause);
    throw new ConfigError([fileProblem('a readable file', reason, `cannot read the environment file: ${reason}`)], { cause });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return decodeText(file, bytes);
}

/** Checks an environment given as text; pure: `file` only names it in problems. */
export function parseEnvironment(name: string, file: string, text: string, options: LoadOptions): Environment {
  const fileProblems = checkName(name, file);
  const source = readYaml(file, text);
  const documentProblems = [...source.problems];
  let semanticProblems: ConfigProblem[] = [];
  let environment: Environment | undefined;
  if (source.usable) {
    const schema = checkSchema(source.data, file, source.locate);
    documentProblems.push(...schema.problems);
    if (schema.usable) {
      environment = withDefaults(name, file, source.data as EnvironmentSpec);
      const reported = documentProblems.map((problem) => problem.path);
      semanticProblems = checkSemantics(environment, options, source.locate).filter(
        (problem) => !reported.some((path) => within(problem.path, path)),
      );
    }
  }
  // Schema problems are found first; the user reads all of them in file order (a stable sort:
  // on one node the schema's problem comes before a semantic one).
  const problems = [...fileProblems, ...inFileOrder([...documentProblems, ...semanticProblems])];
  if (problems.length > 0 || environment === undefined) {
    throw new ConfigError(problems, source.cause === undefined ? undefined : { cause: source.cause });
  }
  return environment;
}

/** The environment name becomes a folder and Kubernetes names: it must be a DNS-1123 label. */
function checkName(name: string, file: string): ConfigProblem[] {
  if (LABEL.test(name) && name.length <= 63) return [];
  const [expected, given] = [`an environment name (the file name without ${EXTENSION}) that is ${A_DNS_LABEL}`, JSON.stringify(name)];
  return [{ file, line: 0, column: 0, path: '', expected, given, message: `expected ${expected}; given ${given}` }];
}

/** Whether `path` is `ancestor` or lies inside it (`a.b[0]` is within `a.b`). */
function within(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}

function inFileOrder(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
