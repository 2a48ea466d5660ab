import { describe, expect, it } from 'vitest';
import { parseImportSources } from '../../lib/imports/config';
import { postProcess } from '../../lib/imports/constructs';
import { crdBundle, groupCrds, parseCrds } from '../../lib/imports/crds';
import { stableStringify } from '../../lib/imports/stable-json';

describe('parseImportSources', () => {
  it('reads the CRD URLs (dropping a cdk8s NAME:= prefix) and the Kubernetes definitions', () => {
    expect(parseImportSources([
      'language: typescript',
      'imports:',
      '  - https://example.com/a/example.com_widgets.yaml',
      '  - gadgets:=https://example.com/b/example.com_gadgets.yaml',
      'twinops:',
      '  kubernetesDefinitions: https://example.com/v1.28.0/_definitions.json',
    ].join('\n'))).toEqual({
      crds: ['https://example.com/a/example.com_widgets.yaml', 'https://example.com/b/example.com_gadgets.yaml'],
      kubernetesDefinitions: 'https://example.com/v1.28.0/_definitions.json',
      helmValues: [],
    });
  });

  it('reads the charts of twinops.helmValues in order', () => {
    expect(parseImportSources([
      'imports: [https://example.com/a/example.com_widgets.yaml]',
      'twinops:',
      '  kubernetesDefinitions: https://example.com/v1.28.0/_definitions.json',
      '  helmValues:',
      '    - { chart: traefik, version: 41.3.0, url: https://example.com/traefik/v41.3.0/values.schema.json }',
      '    - { chart: cert-manager, version: v1.21.1, url: https://example.com/cert-manager/v1.21.1/values.schema.json }',
    ].join('\n')).helmValues).toEqual([
      { chart: 'traefik', version: '41.3.0', url: 'https://example.com/traefik/v41.3.0/values.schema.json' },
      { chart: 'cert-manager', version: 'v1.21.1', url: 'https://example.com/cert-manager/v1.21.1/values.schema.json' },
    ]);
  });

  it('reports every problem of twinops.helmValues at once, naming the entry and field', () => {
    const config = (entries: string[]) => ['imports: [a.yaml]', 'twinops:', '  kubernetesDefinitions: k.json', '  helmValues:', ...entries].join('\n');
    expect(() => parseImportSources(config([
      '    - { chart: Traefik, version: 41.3.0, url: u1 }',
      '    - { chart: traefik, version: 41.x, verison: 41.3.0 }',
      '    - { chart: pool, version: 1.0.0, url: u2 }',
      '    - { chart: pool, version: 1.0.0, url: u3 }',
      '    - pool',
    ]))).toThrow([
      'cdk8s.yaml: twinops.helmValues[0].chart: expected a chart name (lower case letters, digits, dashes), given "Traefik"',
      'cdk8s.yaml: twinops.helmValues[1]: unknown field "verison" (expected chart, version, url)',
      'cdk8s.yaml: twinops.helmValues[1].version: expected an exact chart version such as 41.3.0, given "41.x"',
      'cdk8s.yaml: twinops.helmValues[1].url: expected the URL of the chart\'s values.schema.json, given nothing',
      'cdk8s.yaml: twinops.helmValues[3]: chart pool version 1.0.0 is listed twice',
      'cdk8s.yaml: twinops.helmValues[4]: expected a mapping with chart, version and url, given "pool"',
    ].join('\n'));
    expect(() => parseImportSources(config(['    chart: traefik']))).toThrow('cdk8s.yaml: twinops.helmValues: expected a list of {chart, version, url}, given a mapping');
  });

  it('says what is missing', () => {
    expect(() => parseImportSources('imports: []\n')).toThrow('cdk8s.yaml: "imports" must be a non-empty list of CRD URLs');
    expect(() => parseImportSources('imports: [a.yaml]\n')).toThrow(
      'cdk8s.yaml: "twinops.kubernetesDefinitions" must be the URL of the Kubernetes _definitions.json',
    );
  });
});

const crd = (group: string, kind: string, versions: { name: string; served: boolean }[]) =>
  JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: {
      group,
      names: { kind, plural: `${kind.toLowerCase()}s` },
      scope: 'Namespaced',
      versions: versions.map(v => ({ ...v, storage: v.served, schema: { openAPIV3Schema: { type: 'object' } } })),
    },
  });

describe('parseCrds / groupCrds / crdBundle', () => {
  it('keeps the served versions only', () => {
    const [widget] = parseCrds(crd('example.com', 'Widget', [{ name: 'v1', served: true }, { name: 'v1beta1', served: false }]), 'u');
    expect(widget?.versions.map(v => v.name)).toEqual(['v1']);
    expect((widget?.manifest['spec'] as { versions: unknown[] }).versions).toHaveLength(1);
  });

  it('bundles every CRD, grouped by API group, in one multi-document file', () => {
    const crds = [
      ...parseCrds(`${crd('b.example.com', 'Zed', [{ name: 'v1', served: true }])}\n---\n${crd('a.example.com', 'Widget', [{ name: 'v1', served: true }])}`, 'one'),
      ...parseCrds(crd('b.example.com', 'Gadget', [{ name: 'v2', served: true }]), 'two'),
    ];
    expect([...groupCrds(crds)].map(([group, list]) => `${group}: ${list.map(c => c.kind).join(', ')}`)).toEqual([
      'a.example.com: Widget',
      'b.example.com: Gadget, Zed',
    ]);
    expect(crdBundle(crds).split('\n').filter(l => l === '---')).toHaveLength(3);
  });

  it('rejects documents that are not CRDs and kinds defined twice', () => {
    expect(() => parseCrds('kind: ConfigMap\n', 'u')).toThrow('u (document 1): expected a CustomResourceDefinition');
    const twice = parseCrds(`${crd('a.io', 'W', [{ name: 'v1', served: true }])}\n---\n${crd('a.io', 'W', [{ name: 'v2', served: true }])}`, 'u');
    expect(() => groupCrds(twice)).toThrow('a.io/W is defined twice (u and u)');
  });
});

describe('postProcess (generated modules)', () => {
  it('puts our header first and imports the cdk8s types type-only', () => {
    const generated = "// generated by cdk8s\nimport { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';\nexport class A {}\n";
    expect(postProcess(generated, 'a.ts', 'generated: do not edit')).toBe(
      "// generated: do not edit\nimport { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';\nexport class A {}\n",
    );
    expect(() => postProcess('// other\n', 'a.ts', 'h')).toThrow('a.ts: unexpected cdk8s-cli output');
  });
});

describe('stableStringify', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(stableStringify({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
});
