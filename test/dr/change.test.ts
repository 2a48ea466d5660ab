import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { ConfigError } from '../../lib/config/errors';
import { describeChanges, describeKept, prepareStateChange } from '../../lib/dr/change';
import { setAppState } from '../../lib/dr/edit';
import { scratchProject } from '../support/tree';
import { lineOf } from '../support/cli';

let project: ReturnType<typeof scratchProject>;
afterEach(() => project?.cleanup());

const options = { knownApps: APP_CATALOG };

function home() {
  project = scratchProject();
  const file = join(project.environments, 'home.yaml');
  return { file, original: readFileSync(file, 'utf8') };
}

describe('prepareStateChange', () => {
  it('returns the edited text and both environments, and writes nothing', () => {
    const { file, original } = home();
    const plan = prepareStateChange(file, { state: 'active' }, options);
    expect(plan.before.dr.state).toBe('standby');
    expect(plan.after.dr.state).toBe('active');
    expect(plan.original).toBe(original);
    expect(plan.text).not.toBe(original);
    expect(describeChanges('environments/home.yaml', plan.changes)).toBe(
      `environments/home.yaml:${lineOf(original, '  state: standby')} dr.state: standby → active`,
    );
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('returns the same environment and no change when the state is in force', () => {
    const { file, original } = home();
    const plan = prepareStateChange(file, { state: 'standby', app: 'wordpress' }, options);
    expect(plan.changes).toEqual([]);
    expect(plan.text).toBe(original);
    expect(plan.after).toBe(plan.before);
  });

  it('names the apps that keep a state of their own after an environment-level change', () => {
    const { file, original } = home();
    writeFileSync(file, setAppState(original, 'keycloak', 'syncing', 'standby').text);
    const plan = prepareStateChange(file, { state: 'active' }, options);
    expect(describeKept(plan.kept)).toEqual(['keycloak on home keeps its own state syncing']);
    expect(prepareStateChange(file, { state: 'syncing' }, options).kept).toEqual([]);
  });

  it('names the placed apps when the app is not placed', () => {
    const { file } = home();
    expect(() => prepareStateChange(file, { state: 'active', app: 'wordpres' }, options)).toThrow(
      'environment home: unknown app (did you mean "wordpress"?); expected one of the apps it places, keycloak, nextcloud, redis, wordpress; given "wordpres"',
    );
  });

  it('reports a broken environment file as the loader does', () => {
    const { file, original } = home();
    writeFileSync(file, original.replace('state: standby', 'state: warm'));
    let error: unknown;
    try {
      prepareStateChange(file, { state: 'active' }, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => `${problem.line} ${problem.path}`)).toEqual([
      `${lineOf(original, '  state: standby')} dr.state`,
    ]);
  });
});
