/**
 * The unit policies whose problems are one object's alone, checked once per object a render
 * shares (lib/render/policies/scoped.ts `CleanObjects`): the same problems, in the same order,
 * as checking every unit, each in the unit that holds the object.
 */
import { describe, expect, it } from 'vitest';
import type { ApiObjectJson, RenderedUnit } from '../../../lib/model';
import { unitPolicyProblems, type CleanObjects } from '../../../lib/render/policies/scoped';
import { SubtreeTable } from '../../../lib/render/shared-subtrees';
import { loadHome, renderHome, unit } from '../../support/render';

const env = loadHome();
const wordpress = unit(renderHome(), 'home/home/apps/wordpress/prod');

/** WordPress's prod unit with a Deployment that breaks every object policy, and a plaintext Secret. */
function brokenUnit(path: string, table: SubtreeTable): RenderedUnit {
  const objects = structuredClone([...wordpress.objects]) as ApiObjectJson[];
  const deployment = objects.find((object) => object.kind === 'Deployment') as Record<string, any>;
  deployment['metadata'].labels = { ...deployment['metadata'].labels, 'bad key!': 'x' };
  deployment['metadata'].annotations = { 'twinops.dev/waive-nothing': 'because' };
  const container = deployment['spec'].template.spec.containers[0];
  container.image = 'wordpress';
  delete container.resources;
  delete container.readinessProbe;
  container.securityContext = { privileged: true };
  objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'wordpress' }, stringData: { password: 'x' } } as ApiObjectJson);
  return { ...wordpress, path, objects: objects.map((object) => table.share(object)) };
}

describe('object policies, with the objects a render checked', () => {
  it('find the same problems in the same order as without, in each unit that holds the objects', () => {
    const table = new SubtreeTable();
    const first = brokenUnit('home/home/apps/wordpress/prod', table);
    const second = brokenUnit('home/other/apps/wordpress/prod', table);
    expect(second.objects.every((object, i) => object === first.objects[i])).toBe(true);
    const clean: CleanObjects = new WeakMap();
    const expected = unitPolicyProblems(first, env);
    for (const policy of ['names', 'secrets', 'images', 'resources', 'probes', 'privileges', 'waivers'] as const) expect(expected[policy], policy).not.toEqual([]);
    expect(unitPolicyProblems(first, env, clean)).toEqual(expected);
    const inSecond = unitPolicyProblems(second, env, clean);
    expect(inSecond).toEqual(unitPolicyProblems(second, env));
    expect(inSecond.names.every((problem) => problem.file.startsWith('home/other/apps/wordpress/prod'))).toBe(true);
  });

  it('mark an object clean of each policy it passed, and do not check it again', () => {
    const table = new SubtreeTable();
    const broken = brokenUnit('home/home/apps/wordpress/prod', table);
    const clean: CleanObjects = new WeakMap();
    unitPolicyProblems({ ...wordpress, objects: wordpress.objects.map((object) => table.share(object)) }, env, clean);
    const service = table.share(wordpress.objects.find((object) => object.kind === 'Service'));
    expect(clean.get(service as object)).toBe(0b1111111);
    // Every object of the broken unit taken for clean: none of its problems is looked for.
    for (const object of broken.objects) clean.set(object, 0b1111111);
    const problems = unitPolicyProblems(broken, env, clean);
    for (const policy of ['names', 'secrets', 'images', 'resources', 'probes', 'privileges', 'waivers'] as const) expect(problems[policy], policy).toEqual([]);
  });
});
