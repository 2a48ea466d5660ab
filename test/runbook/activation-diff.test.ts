/**
 * "Activation renders this, and nothing else": for each app, the objects the runbook's
 * activation step says change are exactly the objects that change between the render in force
 * and the render with the app active, field by field as `dr plan` computes it.
 */
import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import { withStateEverywhere } from '../../lib/config/state';
import { diffRenders } from '../../lib/dr/diff';
import { renderRunbook } from '../../lib/runbook';
import { loadHome } from '../support/render';
import { section, tiny } from './support';

/** The object names (code spans, without a namespace) of the bullets of an app's activation step 3. */
function statedObjects(markdown: string, app: string): Set<string> {
  const text = section(markdown, `#### Activate ${app}`);
  const bullets = text.slice(text.indexOf('Activation renders this')).split('\n').filter((line) => line.trimStart().startsWith('- '));
  const names = bullets.flatMap((line) => [...line.matchAll(/`([^`]+)`/g)].map((match) => (match[1] ?? '').split('/').pop() ?? ''));
  return new Set(names);
}

const ESTATES: Record<string, () => Environment> = { home: loadHome, tiny: () => tiny() };

describe.each(Object.entries(ESTATES))('activation of every app of %s', (_name, load) => {
  const env = load();
  const before = composeEnvironment(env);
  const after = composeEnvironment(withStateEverywhere(env, 'active'));
  const markdown = renderRunbook(env, before);
  const diff = diffRenders(before, after);

  it('names every object whose render changes, in the activation step of its app', () => {
    for (const app of env.clusters.flatMap((cluster) => cluster.apps).filter((placement) => placement.dr.enabled)) {
      const stated = statedObjects(markdown, app.app);
      const owned = diff.changed.filter((object) => object.unit.includes(`/apps/${app.app}/`) || object.name.endsWith(`-${app.app}`) || object.name.startsWith(`${app.app}-`));
      for (const object of owned) expect([...stated], `${app.app}: ${object.kind}/${object.name} changes`).toContain(object.name);
    }
    expect(diff.changed.length).toBeGreaterThan(0);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
  });
});
