/**
 * DR parity on an estate of its own (the corpus lab): names follow renames as whole tokens only,
 * and `dr.namespace: suffixed` renders twins in namespaces of their own that pass every policy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../../charts/catalog';
import { composeEnvironment } from '../../../charts/estate';
import { parseEnvironment } from '../../../lib/config/load';
import type { ApiObjectJson, RenderedUnit } from '../../../lib/model';
import { checkPolicies } from '../../../lib/render/policies';
import { drParity } from '../../../lib/render/policies/parity';
import { REPO } from '../../support/tree';

const LAB = readFileSync(join(REPO, 'test/fixtures/hostile/lab.yaml'), 'utf8');
const load = (text: string) => parseEnvironment('lab', 'environments/lab.yaml', text, { knownApps: APP_CATALOG });
const render = (text: string) => composeEnvironment(load(text)).units;
const WP_DR = 'lab/lab/apps/wordpress/dr';

type Container = { image: string; env?: { name: string; value?: string }[] };
const containers = (object: ApiObjectJson) => (object as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers;

/** The units with the first container of Deployment `name` in unit `path` changed. */
function withContainer(units: readonly RenderedUnit[], path: string, name: string, change: (container: Container) => void): RenderedUnit[] {
  return units.map((unit) => {
    if (unit.path !== path) return unit;
    const objects = structuredClone([...unit.objects]) as ApiObjectJson[];
    const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name);
    if (deployment === undefined) throw new Error(`no Deployment ${name} in ${path}`);
    change(containers(deployment)[0]!);
    return { ...unit, objects };
  });
}

describe('DR parity: renames are whole tokens of renamed names', () => {
  const units = render(LAB);

  it('passes on the lab as rendered', () => {
    expect(drParity(units, '-dr')).toEqual([]);
  });

  it('refuses a twin image that gained the suffix (app:1 is not app:1-dr)', () => {
    let image = '';
    const changed = withContainer(units, WP_DR, 'wordpress-dr', (container) => {
      image = container.image;
      container.image = `${container.image}-dr`;
    });
    expect(drParity(changed, '-dr')).toEqual([
      {
        file: WP_DR,
        kind: 'Deployment',
        name: 'wordpress-dr',
        path: 'spec.template.spec.containers[0].image',
        message: `differs from prod beyond the DR rules (prod ${JSON.stringify(image)}, dr ${JSON.stringify(`${image}-dr`)})`,
      },
    ]);
  });

  it("lets a hand-made twin (no transform record) reach another app's twin (redis → redis-dr) but not a name nothing renames", () => {
    const twin = units.find((unit) => unit.path === WP_DR)!.objects.find((object) => object.metadata.name === 'wordpress-dr')!;
    const index = containers(twin)[0]!.env!.findIndex((variable) => variable.value === 'redis-dr');
    expect(index).toBeGreaterThanOrEqual(0); // passes above: redis is a Service the twins rename
    // Without the record of what the transform changed, parity falls back to the closed list of DESIGN.md.
    const handMade = units.map(({ twin: _record, ...unit }) => unit);
    const unknown = withContainer(handMade, WP_DR, 'wordpress-dr', (container) => {
      container.env![index]!.value = 'redis-cache';
    });
    expect(drParity(unknown, '-dr').map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      `spec.template.spec.containers[0].env[${index}].value: differs from prod beyond the DR rules (prod "redis", dr "redis-cache")`,
    ]);
  });
});

describe('DR parity of a derived twin: exactly the fields the transform changed', () => {
  const units = render(LAB);
  const wordpressTwin = units.find((unit) => unit.path === WP_DR)!;

  it('records, per twin object, the fields the transform changed', () => {
    expect(wordpressTwin.twin?.prod).toBe('lab/lab/apps/wordpress/prod');
    expect(wordpressTwin.twin?.changed['ConfigMap/wordpress-identity-dr']).toEqual(['data.WP_HOME', 'data.WP_SITEURL', 'metadata.labels["app.kubernetes.io/instance"]', 'metadata.name']);
  });

  it('refuses a difference in a field the transform did not change (a probe added to the twin only)', () => {
    const changed = withContainer(units, WP_DR, 'wordpress-dr', (container) => {
      (container as Container & { args?: string[] }).args = ['--debug'];
    });
    expect(drParity(changed, '-dr').map((problem) => `${problem.name} ${problem.path}`)).toEqual(['wordpress-dr spec.template.spec.containers[0].args[0]']);
  });

  it('refuses a field the twin lacks even where the transform changed it (a transform never removes)', () => {
    const changed = withContainer(units, WP_DR, 'wordpress-dr', (container) => {
      const redis = container.env!.find((variable) => variable.value === 'redis-dr')!;
      delete redis.value;
    });
    expect(drParity(changed, '-dr').map((problem) => problem.message)).toEqual(['differs from prod beyond the DR rules (prod "redis", dr nothing)']);
  });
});

describe('dr.namespace: suffixed', () => {
  const suffixed = load(LAB.replace('dr:\n  state: standby\n', 'dr:\n  state: standby\n  namespace: suffixed\n'));
  const units = composeEnvironment(suffixed).units;
  const dr = units.find((unit) => unit.path === WP_DR)!;

  it('renders every twin in <namespace>-dr, credentials copied under the twin name, and passes every policy', () => {
    expect(checkPolicies(units, suffixed)).toEqual([]);
    expect([...new Set(dr.objects.filter((object) => object.kind !== 'IngressRoute' && !object.metadata.name.startsWith('edge-')).map((object) => object.metadata.namespace))]).toEqual(['wordpress-dr']);
    // The credentials are copied into the twin's namespace, renamed like every twin object, and pods follow.
    expect(dr.objects.filter((object) => object.kind === 'ExternalSecret').map((object) => `${object.metadata.namespace}/${object.metadata.name}`)).toEqual([
      'wordpress-dr/wordpress-db-credentials-dr',
    ]);
    const storage = units.find((unit) => unit.path === 'lab/lab/infrastructure/storage')!;
    expect(storage.objects.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name)).toEqual(
      expect.arrayContaining(['wordpress', 'wordpress-dr', 'keycloak', 'keycloak-dr']),
    );
  });
});
