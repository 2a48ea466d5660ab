/**
 * Checks across the environments of an estate, run once all of them have loaded: no two
 * environments publish the same DNS host name (a prod host or a twin's DR host), since
 * external-dns of one would overwrite the records of the other.
 *
 * Problems point into the files, so the estate check needs each environment's positions. They
 * are kept beside the Environment object the loader returns (a WeakMap filled by the semantic
 * checks), which leaves the Environment model plain data that every later stage and test
 * compares whole.
 */
import { dirname, relative } from 'node:path';
import type { Environment } from './environment';
import { formatPath, type ConfigProblem } from './errors';
import { hostUses, type HostUse } from './semantic-apps';
import { quote } from './semantic-context';
import type { Locator, Position } from './source';

const locators = new WeakMap<Environment, Locator>();

/** Records where the values of a loaded environment are; called by the semantic checks. */
export function rememberPositions(env: Environment, locate: Locator): void {
  locators.set(env, locate);
}

/** Where a value of the environment is; 0:0 (the file as a whole) for one built without the loader. */
function positionIn(env: Environment, use: HostUse): Position {
  return locators.get(env)?.(use.path) ?? { line: 0, column: 0 };
}

interface Published extends HostUse {
  readonly env: Environment;
  readonly at: Position;
}

/** Every problem across environments, in the order of the environments, then of their files. */
export function checkEstate(environments: readonly Environment[]): ConfigProblem[] {
  // Positions order the report, and locating costs each file a full YAML parse: only when some
  // host is published by two environments.
  if (!sharesAHost(environments)) return [];
  const problems: ConfigProblem[] = [];
  const first = new Map<string, Published>();
  for (const env of environments) {
    const uses = hostUses(env)
      .map((use): Published => ({ ...use, env, at: positionIn(env, use) }))
      .sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
    for (const use of uses) {
      const earlier = first.get(use.host);
      if (earlier === undefined) first.set(use.host, use);
      // Twice in one environment is that environment's own problem, reported by its checks.
      if (earlier === undefined || earlier.env === env) continue;
      const where = `${relative(dirname(env.file), earlier.env.file)}:${earlier.at.line}:${earlier.at.column}`;
      const expected = 'a host name no other environment publishes';
      problems.push({
        file: env.file,
        ...use.at,
        path: formatPath(use.path),
        expected,
        given: quote(use.host),
        message: `host name ${quote(use.host)} (${use.what}) is also published by environment ${quote(earlier.env.name)} (${where}, ${earlier.what}); expected ${expected}`,
      });
    }
  }
  return problems;
}

/** Whether two environments publish a host name in common. */
function sharesAHost(environments: readonly Environment[]): boolean {
  const publisher = new Map<string, Environment>();
  for (const env of environments) {
    for (const { host } of hostUses(env)) {
      const earlier = publisher.get(host);
      if (earlier === undefined) publisher.set(host, env);
      else if (earlier !== env) return true;
    }
  }
  return false;
}
