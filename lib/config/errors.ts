/**
 * What the loader reports when an environment file is wrong: every problem at once, each with
 * the file, the line and column, the field path, what was expected and what was given.
 */

/** A field path inside the document: property names and array indices, outermost first. */
export type ConfigPath = readonly (string | number)[];

/** One thing wrong with an environment file. */
export interface ConfigProblem {
  /** The environment file, as given to the loader. */
  readonly file: string;
  /** 1-based line of the offending node; 0 when the problem concerns the file as a whole. */
  readonly line: number;
  /** 1-based column of the offending node; 0 when the problem concerns the file as a whole. */
  readonly column: number;
  /** Field path such as `clusters[0].apps[2].dr.state`; empty for the document itself. */
  readonly path: string;
  /** What a valid file has there, in words: `one of standby, syncing, active`. */
  readonly expected: string;
  /** What the file has there: a JSON literal such as `"warm"`, or words such as `nothing`. */
  readonly given: string;
  /** The whole sentence shown to the user, usually `expected …; given …`. */
  readonly message: string;
}

/** An environment file that cannot be loaded. Carries every problem found, in report order. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], options?: { readonly cause?: unknown }) {
    super(problems.map(formatProblem).join('\n'), options);
    this.problems = problems;
  }
}

/** Renders a path the way a user reads it: `clusters[0].nodes[1].labels["kubernetes.io/hostname"]`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `environments/home.yaml:41:16 clusters[0].apps[2].dr.state: expected …; given "warm"` */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  return problem.path === '' ? `${where} ${problem.message}` : `${where} ${problem.path}: ${problem.message}`;
}

/** One line per problem, in the order the error carries them. */
export function formatConfigError(err: ConfigError): string {
  return err.problems.map(formatProblem).join('\n');
}

/** The usual sentence: `expected X; given Y`, optionally led by what is wrong. */
export function expectedGiven(expected: string, given: string, lead?: string): string {
  const tail = `expected ${expected}; given ${given}`;
  return lead === undefined ? tail : `${lead}; ${tail}`;
}
