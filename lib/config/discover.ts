/**
 * Which files of `environments/` are environments: every regular file named `<name>.yaml`.
 * A near miss (`.yml`, `.YAML`) is refused rather than skipped, because skipping it would render
 * the estate without that environment and delete its tree from `dist/`. Anything that is not a
 * regular file is refused without being opened (reading a named pipe would hang). Every problem
 * of the folder is reported at once, worded like the loader's.
 */
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { isSystemError, systemReason } from '../errors';
import { ConfigError, type ConfigProblem } from './errors';

/** The only extension of an environment file, lower case. */
export const ENVIRONMENT_EXTENSION = '.yaml';

export interface Discovery {
  /** The environment files (`dir` joined with each name), in name order. */
  readonly files: readonly string[];
  /** Files skipped that might have been meant as environments (`home.json`): worth a note. */
  readonly ignored: readonly string[];
}

/** Near misses: any other spelling of a YAML extension. */
const YAML_LIKE = /\.ya?ml$/i;

/**
 * Files that are clearly not environments, skipped without a word: hidden files (editors' swap
 * files, `.gitkeep`, twinops' own temporary files), the editors' schema, documentation.
 */
function isUnrelated(name: string): boolean {
  return name.startsWith('.') || name === 'schema.json' || /\.(md|txt)$/i.test(name) || /^(readme|license|notice)\b/i.test(name);
}

/** What a directory entry that is not a regular file is, in words: `a named pipe (FIFO)`. */
export function describeNonFile(stats: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const fileProblem = (file: string, expected: string, given: string, tail = ''): ConfigProblem => ({
  file,
  line: 0,
  column: 0,
  path: '',
  expected,
  given,
  message: `expected ${expected}; given ${given}${tail}`,
});

/** Why `entry` cannot be read as an environment, or undefined for a regular file (or a link to one). */
function notAFile(dir: string, entry: Dirent): string | undefined {
  if (entry.isFile()) return undefined;
  if (!entry.isSymbolicLink()) return describeNonFile(entry);
  let target: Stats;
  try {
    target = statSync(join(dir, entry.name));
  } catch (error) {
    return `a symbolic link to nothing (${systemReason(error)})`;
  }
  return target.isFile() ? undefined : `a symbolic link to ${describeNonFile(target)}`;
}

function readFolder(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (cause) {
    const code = isSystemError(cause) ? cause.code : undefined;
    const given = code === 'ENOENT' ? 'nothing (it does not exist)' : code === 'ENOTDIR' ? 'a file' : systemReason(cause);
    throw new ConfigError([fileProblem(dir, `a folder of <name>${ENVIRONMENT_EXTENSION} environment files`, given)], { cause });
  }
}

/** The environments of `dir`; throws one ConfigError listing every problem of the folder. */
export function discoverEnvironments(dir: string): Discovery {
  const entries = readFolder(dir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  const ignored: string[] = [];
  const problems: ConfigProblem[] = [];
  for (const entry of entries) {
    const file = join(dir, entry.name);
    if (isUnrelated(entry.name)) continue;
    if (!entry.name.endsWith(ENVIRONMENT_EXTENSION) && YAML_LIKE.test(entry.name)) {
      const renamed = entry.name.replace(YAML_LIKE, ENVIRONMENT_EXTENSION);
      problems.push(fileProblem(file, `a file name ending in ${ENVIRONMENT_EXTENSION}`, JSON.stringify(entry.name), ` (rename it to ${renamed})`));
      continue;
    }
    if (!entry.name.endsWith(ENVIRONMENT_EXTENSION)) {
      ignored.push(file);
      continue;
    }
    const kind = notAFile(dir, entry);
    if (kind === undefined) files.push(file);
    else problems.push(fileProblem(file, 'a regular file', kind, '; it was not read'));
  }
  if (problems.length === 0 && files.length === 0) {
    problems.push(fileProblem(dir, `at least one <name>${ENVIRONMENT_EXTENSION} environment file in the folder`, 'none'));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { files, ignored };
}
