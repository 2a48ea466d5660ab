/**
 * imports/cel/rules.json: what extraction writes from a CRD (paths, fields, transition rules,
 * rules in junctors, defaults), that the committed file is what the pinned CRDs give, that its
 * counts are what the loader finds (the README's numbers come from here), and that the user's
 * environments render with no CEL problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeEnvironment } from '../../charts/estate';
import { buildCelRules } from '../../lib/imports/cel-rules';
import { readImportSources } from '../../lib/imports/config';
import { parseCrds, type Crd } from '../../lib/imports/crds';
import { obtainSources } from '../../lib/imports/obtain';
import { celReport } from '../../lib/render/cel/report';
import { TRANSITION_REASON, type CelRulesFile } from '../../lib/render/cel/rules-file';
import { CelValidator } from '../../lib/render/cel/validator';
import { loadEnvironments } from '../../lib/synth';
import { REPO } from '../support/tree';

const committedText = readFileSync(join(REPO, 'imports/cel/rules.json'), 'utf8');
const committed = JSON.parse(committedText) as CelRulesFile;
const SHARED_CRDS = join(REPO, '../shared/crds');

function crd(schema: Record<string, unknown>): Crd {
  return { source: 'https://example.org/widgets.yaml', group: 'example.org', kind: 'Widget', versions: [{ name: 'v1', schema }], manifest: {} };
}

describe('buildCelRules', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [
          { rule: 'has(self.a) || has(self.b)', message: 'a or b', reason: 'FieldValueRequired', fieldPath: '.a' },
          { rule: "self.mode == oldSelf.mode || 'oldSelf' == ''", messageExpression: "'mode is immutable'" },
        ],
        properties: {
          mode: { type: 'string', default: 'fast' },
          ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer', default: 80 } }, 'x-kubernetes-validations': [{ rule: 'self.port > 0' }] } },
          labels: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: 'isSorted(self)' }] } },
          'odd.name': { type: 'object', properties: { size: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.size < 3' }] },
          either: { oneOf: [{ 'x-kubernetes-validations': [{ rule: 'true' }] }] },
        },
      },
    },
  };

  it('extracts every rule with its node path, fields, transition flag and why it is not evaluated, sorted by path', () => {
    const { file } = buildCelRules([crd(schema)]);
    expect(file.kinds['example.org/v1/Widget']?.rules).toEqual([
      { path: 'spec', rule: 'has(self.a) || has(self.b)', message: 'a or b', reason: 'FieldValueRequired', fieldPath: '.a', transition: false },
      { path: 'spec', rule: "self.mode == oldSelf.mode || 'oldSelf' == ''", messageExpression: "'mode is immutable'", transition: true, notEvaluated: TRANSITION_REASON },
      { path: 'spec.either', rule: 'true', transition: false, notEvaluated: 'inside allOf/anyOf/oneOf/not: twinops evaluates rules on the structural schema only' },
      { path: 'spec.labels[*]', rule: 'isSorted(self)', transition: false, notEvaluated: `calls isSorted, not in ${file.implementation}` },
      { path: 'spec.ports[*]', rule: 'self.port > 0', transition: false },
      { path: 'spec["odd.name"]', rule: 'self.size < 3', transition: false },
    ]);
    expect(file.kinds['example.org/v1/Widget']?.defaults).toEqual([
      { path: 'spec', field: 'mode', value: 'fast' },
      { path: 'spec.ports[*]', field: 'port', value: 80 },
    ]);
    expect(file.summary).toEqual({
      rules: 6,
      evaluated: 3,
      notEvaluated: 3,
      reasons: {
        'inside allOf/anyOf/oneOf/not: twinops evaluates rules on the structural schema only': 1,
        [TRANSITION_REASON]: 1,
        [`calls isSorted, not in ${file.implementation}`]: 1,
      },
    });
  });

  it('writes the same text whatever order the schema lists its keys in', () => {
    const reversed = JSON.parse(JSON.stringify(schema, (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value)) as Record<string, unknown>;
    expect(buildCelRules([crd(reversed)]).text).toBe(buildCelRules([crd(schema)]).text);
  });

  it('leaves out kinds without rules', () => {
    expect(buildCelRules([crd({ type: 'object', properties: { spec: { type: 'object' } } })]).file.kinds).toEqual({});
  });
});

describe('the committed imports/cel/rules.json', () => {
  it.skipIf(!existsSync(SHARED_CRDS))('is what the pinned CRDs of cdk8s.yaml give (regenerate with npm run import)', async () => {
    const { crds: urls } = await readImportSources(REPO);
    const sources = await obtainSources(urls, { localFolder: SHARED_CRDS });
    expect(buildCelRules(sources.flatMap(source => parseCrds(source.text, source.url))).text).toBe(committedText);
  });

  it('counts 69 rules: 60 evaluated, 9 transition rules not, as the loader classifies them too', () => {
    expect(committed.summary).toEqual({ rules: 69, evaluated: 60, notEvaluated: 9, reasons: { [TRANSITION_REASON]: 9 } });
    expect(CelValidator.load().summary).toEqual(committed.summary);
  });

  it('gives the README its numbers, function use and the list of rules not evaluated', () => {
    const report = celReport(committed).split('\n');
    expect(report.slice(0, 5)).toEqual([
      'The imported CRDs carry 69 CEL rules in 18 kind versions; 60 are evaluated at synth (@marcbachmann/cel-js@8.0.0), 9 are not.',
      '',
      '| not evaluated because | rules |',
      '| --- | --- |',
      `| ${TRANSITION_REASON} | 9 |`,
    ]);
    expect(report[6]).toBe('Functions and macros the rules call (rules calling each): `has` 43, `all` 12, `exists_one` 12, `size` 6, `matches` 4, `exists` 2, `filter` 2, `contains` 1, `startsWith` 1.');
    expect(report.filter(line => line.startsWith('| snapshot.storage.k8s.io/v1/VolumeSnapshot |'))).toHaveLength(4);
    expect(report.filter(line => / \| `.*` \|$/.test(line))).toHaveLength(9);
    // The README shows this report as it is, so its numbers cannot drift from the rules.
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain(celReport(committed).trim());
  });
});

describe('the example estates (the frozen 002 home, the fleet and the three regions of test/fixtures)', () => {
  it('render with no CEL problem, the Flux rules evaluated on every Kustomization, HelmRelease and GitRepository', () => {
    const cel = CelValidator.load();
    const fixtures = ['seed-002/home.yaml', 'fleet.yaml', 'regions.yaml'].map((file) => join(REPO, 'test/fixtures', file));
    // One at a time: the fixtures share host names, which one estate would refuse.
    const environments = fixtures.flatMap((file) => loadEnvironments([file], APP_CATALOG));
    const evaluatedPerKind = new Map<string, number>();
    const problems: string[] = [];
    for (const env of environments) {
      for (const object of composeEnvironment(env).units.flatMap(unit => unit.objects)) {
        const before = cel.evaluations;
        problems.push(...cel.check(object).map(p => `${env.name}: ${object.kind}/${object.metadata.name}: ${p.path}: ${p.message}`));
        const kind = `${object.apiVersion}/${object.kind}`;
        evaluatedPerKind.set(kind, (evaluatedPerKind.get(kind) ?? 0) + cel.evaluations - before);
      }
    }
    expect(environments.map(env => env.name)).toEqual(['home', 'fleet', 'regions']);
    expect(problems).toEqual([]);
    for (const kind of ['kustomize.toolkit.fluxcd.io/v1/Kustomization', 'helm.toolkit.fluxcd.io/v2/HelmRelease', 'source.toolkit.fluxcd.io/v1/GitRepository']) {
      expect(evaluatedPerKind.get(kind), kind).toBeGreaterThan(0);
    }
  });
});
