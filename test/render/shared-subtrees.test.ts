/** SubtreeTable: each distinct part of the rendered objects held once, frozen, the objects' JSON unchanged. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { fleetYaml } from '../../lib/bench/fleet';
import type { RenderedUnit } from '../../lib/model';
import type { KustomizationYaml } from '../../lib/render/layout';
import { SubtreeTable } from '../../lib/render/shared-subtrees';
import { UnitCache } from '../../lib/render/unit-cache';
import { environmentFiles, loadEnvironments, renderFiles } from '../../lib/synth';
import { retainedBytes } from '../support/heap';

/** An app's Deployment as two clusters render it: equal but for the host. */
const deployment = (host: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'keycloak', namespace: 'keycloak', labels: { 'app.kubernetes.io/name': 'keycloak' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'keycloak' } },
    template: {
      spec: {
        containers: [{ name: 'keycloak', image: 'quay.io/keycloak/keycloak:26.0', env: [{ name: 'KC_HOSTNAME', value: host }], ports: [{ containerPort: 8080 }] }],
      },
    },
  },
});

describe('SubtreeTable', () => {
  it('gives two equal objects one part, and two objects equal but for a host every part but the path to the host', () => {
    const table = new SubtreeTable();
    const a = table.share(deployment('sso.site-1.example.org'));
    const again = table.share(deployment('sso.site-1.example.org'));
    const b = table.share(deployment('sso.site-2.example.org'));
    expect(again).toBe(a);
    expect(b).not.toBe(a);
    expect(b.metadata).toBe(a.metadata);
    expect(b.spec.selector).toBe(a.spec.selector);
    expect(b.spec.template.spec.containers[0]?.ports).toBe(a.spec.template.spec.containers[0]?.ports);
    expect(b.spec.template.spec.containers[0]?.env).not.toBe(a.spec.template.spec.containers[0]?.env);
    expect(b.spec.template.spec.containers[0]?.env[0]?.value).toBe('sso.site-2.example.org');
    // Equal maps inside one object are one part too.
    expect(a.spec.selector.matchLabels).toBe(a.metadata.labels);
  });

  it('returns what serializes exactly as what it was given, and leaves that as it was', () => {
    const given = deployment('sso.example.org');
    const before = JSON.stringify(given);
    const shared = new SubtreeTable().share(given);
    expect(shared).not.toBe(given);
    expect(JSON.stringify(shared)).toBe(before);
    expect(Object.isFrozen(given)).toBe(false);
    expect(Object.isFrozen(given.spec.template.spec.containers)).toBe(false);
  });

  it('freezes every part, so a change to one object can never reach another that shares it', () => {
    const shared = new SubtreeTable().share(deployment('sso.example.org'));
    expect(Object.isFrozen(shared)).toBe(true);
    expect(Object.isFrozen(shared.metadata.labels)).toBe(true);
    expect(Object.isFrozen(shared.spec.template.spec.containers)).toBe(true);
    expect(() => {
      (shared.metadata.labels as Record<string, string>)['app.kubernetes.io/name'] = 'other';
    }).toThrow(TypeError);
  });

  it('tells apart what JSON would not: key order, -0 and 0, an array and a map of the same entries, a missing key and one set to undefined', () => {
    const table = new SubtreeTable();
    const ab = table.share({ a: 1, b: 2 });
    const ba = table.share({ b: 2, a: 1 });
    expect(ba).not.toBe(ab);
    expect(Object.keys(ba)).toEqual(['b', 'a']);
    expect(Object.is(table.share({ n: -0 }).n, -0)).toBe(true);
    expect(Object.is(table.share({ n: 0 }).n, 0)).toBe(true);
    expect(table.share(['x'])).not.toBe(table.share({ 0: 'x' }));
    expect(Array.isArray(table.share(['x']))).toBe(true);
    const withUndefined = table.share({ a: 1, b: undefined });
    expect(table.share({ a: 1 })).not.toBe(withUndefined);
    expect(Object.keys(withUndefined)).toEqual(['a', 'b']);
    expect(table.share([1, 2])).not.toBe(table.share([1, 2, undefined]));
    expect(table.share({ a: '1' })).not.toBe(table.share({ a: 1 }));
    expect(table.share({ a: null })).not.toBe(table.share({ a: undefined }));
  });

  it('keeps apart long strings that differ only where their hash does not look (the middle)', () => {
    const table = new SubtreeTable();
    const script = (middle: string) => `#!/bin/sh\nset -eu\n${'echo start\n'.repeat(10)}${middle}${'echo end\n'.repeat(10)}`;
    const first = table.share({ data: { 'run.sh': script('backup --all\n') } });
    const second = table.share({ data: { 'run.sh': script('restore --all\n') } });
    const third = table.share({ data: { 'run.sh': script('backup --all\n') } });
    expect(second).not.toBe(first);
    expect(second.data['run.sh']).toContain('restore --all');
    expect(third).toBe(first);
  });

  it('returns scalars and objects that are not plain data as they are', () => {
    const table = new SubtreeTable();
    const when = new Date(0);
    class Port {
      public constructor(public readonly port: number) {}
    }
    const port = new Port(80);
    const shared = table.share({ when, port, text: 'x', count: 2, yes: true, none: null });
    expect(shared.when).toBe(when);
    expect(shared.port).toBe(port);
    expect(table.share('x')).toBe('x');
    expect(table.share(null)).toBe(null);
  });

  it('keeps distinct objects made as the generated classes make them in far less heap than they take themselves', () => {
    // Objects that no two are equal: what sharing saves here is only each object's hidden class.
    const COUNT = 20_000;
    const GVK = { apiVersion: 'v1', kind: 'Namespace' } as const;
    // As the classes cdk8s-cli and cdk8s-plus-28 generate make an object's JSON: `{ ...GVK, ...props }`.
    const made = (seed: number) => ({ ...GVK, ...{ metadata: { name: `ns-${seed}` } } });
    const own = retainedBytes(() => Array.from({ length: COUNT }, (_, seed) => made(seed))) / COUNT;
    const shared = retainedBytes(() => {
      const table = new SubtreeTable();
      return Array.from({ length: COUNT }, (_, seed) => table.share(made(seed)));
    }) / COUNT;
    // Measured: 312 bytes each as made, 147 as shared copies (the object, its metadata, the name
    // and the list's slot). Each generated object has a hidden class of its own, how many V8
    // shares depending on its inline caches' state (a CI run once measured 70 bytes less of them
    // than a quiet run), hence the margin.
    expect(shared).toBeLessThan(170);
    expect(own - shared).toBeGreaterThan(80);
  });
});

describe('a render', () => {
  // Two clusters of the bench's fleet: the same apps, other names and hosts.
  const root = mkdtempSync(join(tmpdir(), 'twinops-subtrees-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const render = (cache?: UnitCache) => {
    const environments = join(root, 'environments');
    mkdirSync(environments, { recursive: true });
    writeFileSync(join(environments, 'fleet.yaml'), fleetYaml(2, [...APP_CATALOG.keys()].sort()));
    const [env] = renderFiles(loadEnvironments(environmentFiles(environments), APP_CATALOG, cache), composeUnits, join(root, 'dist'), undefined, cache).rendered;
    return new Map((env?.units ?? []).map((unit) => [unit.path, unit]));
  };
  const deploymentOf = (units: ReadonlyMap<string, RenderedUnit>, path: string) => {
    const deployment = units.get(path)?.objects.find((object) => object.kind === 'Deployment') as { metadata: object; spec: { selector: object; template: object } } | undefined;
    expect(deployment, path).toBeDefined();
    return deployment as NonNullable<typeof deployment>;
  };

  it.each([
    ['without a render cache', () => render()],
    ['with one', () => render(new UnitCache('test'))],
  ])('%s, gives the same app on two clusters one part wherever their objects agree, and freezes every object', (_, rendered) => {
    const units = rendered();
    const paths = [...units.keys()];
    const prod = paths.filter((path) => /\/apps\/keycloak\/prod$/.test(path));
    expect(prod).toEqual(['fleet/site-1/apps/keycloak/prod', 'fleet/site-2/apps/keycloak/prod']);
    const [one, two] = prod.map((path) => deploymentOf(units, path));
    expect(two?.spec.selector).toBe(one?.spec.selector);
    expect(two?.metadata).toBe(one?.metadata);
    for (const unit of units.values()) for (const object of unit.objects) expect(Object.isFrozen(object), `${unit.path} ${object.kind}/${object.metadata.name}`).toBe(true);
  });

  it('keeps once in the render cache what two clusters\' units have alike: the twin\'s changed paths, the file lists, the policy answers, the lists of reads', () => {
    const cache = new UnitCache('test');
    render(cache);
    const entries = cache.environments.get('fleet')?.units;
    const entryOf = (path: string) => {
      const entry = entries?.get(path);
      expect(entry, path).toBeDefined();
      return entry as NonNullable<typeof entry>;
    };
    const [one, two] = ['fleet/site-1/apps/keycloak/dr', 'fleet/site-2/apps/keycloak/dr'].map(entryOf) as [ReturnType<typeof entryOf>, ReturnType<typeof entryOf>];
    expect(two.unit.twin?.prod).toBe('fleet/site-2/apps/keycloak/prod');
    expect(two.unit.twin?.changed).toBe(one.unit.twin?.changed);
    const kustomization = (entry: typeof one) => entry.layout.placed.find((file) => file.path.endsWith('/kustomization.yaml'))?.content;
    expect((kustomization(two) as KustomizationYaml).resources).toBe((kustomization(one) as KustomizationYaml).resources);
    expect(two.policies).toBe(one.policies);
    expect(two.reads.packed().keys).toBe(one.reads.packed().keys);
    const blocks = cache.environments.get('fleet')?.runbook;
    const [first, second] = ['procedures\u0000site-1', 'procedures\u0000site-2'].map((key) => blocks?.get(key)?.reads.packed());
    expect(first).toBeDefined();
    expect(second?.keys).toBe(first?.keys);
  });
});
