import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError } from '../../lib/config/errors';
import { withDefaults } from '../../lib/config/environment';
import { checkEstate } from '../../lib/config/semantic-estate';
import { loadEnvironments } from '../../lib/synth';
import { LAB, lab, load } from './lab';
import { knownApps } from './support';

/** A second estate publishing `host` for its keycloak. */
const other = (host: string) => `secrets: { name: vault }
clusters:
  - name: edge
    nodes: [{ name: node-1 }]
    apps:
      - app: keycloak
        host: ${host}
`;

describe('checks across environments', () => {
  it('refuses a host two environments publish, naming both files and lines', () => {
    const home = load(LAB, 'home', 'environments/home.yaml');
    const office = load(other('www.example.org'), 'office', 'environments/office.yaml');
    expect(checkEstate([home, office]).map((problem) => [problem.file, problem.line, problem.column, problem.path, problem.message])).toEqual([
      [
        'environments/office.yaml', 7, 15, 'clusters[0].apps[0].host',
        'host name "www.example.org" (the host of keycloak) is also published by environment "home" (home.yaml:34:15, the host of wordpress); expected a host name no other environment publishes',
      ],
    ]);
  });

  it('counts the DR hosts the twins derive', () => {
    const home = load(LAB, 'home', 'environments/home.yaml');
    const office = load(other('www-dr.example.org'), 'office', 'environments/office.yaml');
    expect(checkEstate([home, office]).map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.message}`)).toEqual([
      'environments/office.yaml:7:15 host name "www-dr.example.org" (the host of keycloak) is also published by environment "home" (home.yaml:35:13, the DR host derived for wordpress); expected a host name no other environment publishes',
    ]);
  });

  it('accepts environments with hosts of their own, and one built without the loader', () => {
    const home = load(LAB, 'home');
    expect(checkEstate([home, load(other('id.example.org'), 'office')])).toEqual([]);
    const built = withDefaults('built', 'environments/built.yaml', { clusters: [{ name: 'x', nodes: [{ name: 'n' }], apps: [{ app: 'redis' }] }] });
    expect(checkEstate([home, built])).toEqual([]);
  });

  it('runs when synth loads the environments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinops-estate-'));
    writeFileSync(join(dir, 'home.yaml'), lab());
    writeFileSync(join(dir, 'office.yaml'), other('www.example.org'));
    let error: unknown;
    try {
      loadEnvironments([join(dir, 'home.yaml'), join(dir, 'office.yaml')], knownApps);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(formatConfigError(error as ConfigError)).toBe(
      `${join(dir, 'office.yaml')}:7:15 clusters[0].apps[0].host: host name "www.example.org" (the host of keycloak) is also published by environment "home" (home.yaml:34:15, the host of wordpress); expected a host name no other environment publishes`,
    );
  });
});
