/** Shared by the config tests: a small fake app catalog and a way to see a file's problems. */
import { appCatalog, type AppCatalogEntry } from '../../lib/config/catalog';
import { ConfigError, formatConfigError } from '../../lib/config/errors';
import { parseEnvironment } from '../../lib/config/load';

const entry = (name: string, traits: Partial<AppCatalogEntry> = {}): AppCatalogEntry => ({
  name,
  needsHost: false,
  storageRoles: [],
  needsSecrets: false,
  dependsOn: [],
  ...traits,
});

const ROLES = ['database', 'files'];

export const knownApps = appCatalog([
  entry('wordpress', { needsHost: true, storageRoles: ROLES, needsSecrets: true, dependsOn: ['redis'] }),
  entry('redis'),
  entry('keycloak', { needsHost: true, needsSecrets: true }),
  entry('nextcloud', { needsHost: true, storageRoles: ROLES, needsSecrets: true }),
]);

export const FILE = 'environments/test.yaml';

/** Removes the indentation of a template literal so YAML fixtures can be indented in tests. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indent = Math.min(...text.split('\n').filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0));
  return text
    .split('\n')
    .map((line) => line.slice(indent))
    .join('\n')
    .replace(/[ \t]+$/, '');
}

/** The thrown ConfigError (fails if none is thrown). */
export function configError(text: string, name = 'test'): ConfigError {
  try {
    parseEnvironment(name, FILE, text, { knownApps });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** The formatted problem lines of a file that must not load. */
export function problems(text: string, name = 'test'): string[] {
  return formatConfigError(configError(text, name)).split('\n');
}
