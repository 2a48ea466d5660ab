/**
 * `twinops import` end to end on a small fixture project and a local mirror folder: the real
 * cdk8s-cli generates the modules, so this spawns it (about a second per run).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../../lib/cli/import';
import { SchemaValidator } from '../../lib/render/validate';

const BASE = 'https://raw.githubusercontent.com/example';
const URLS = {
  widgets: `${BASE}/widgets/v1.0.0/config/crd/bases/example.com_widgets.yaml`,
  gadgets: `${BASE}/widgets/v1.0.0/config/crd/bases/example.com_gadgets.yaml`,
  pools: `${BASE}/pools/v2.0.0/crds/pools.example.org_pools.yaml`,
  kubernetes: `${BASE}/cdk8s/0123abc/kubernetes-schemas/v1.28.0/_definitions.json`,
  poolValues: `${BASE}/pools/v2.0.0/charts/pool/values.schema.json`,
};

function crd(group: string, kind: string, versions: Record<string, boolean>, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural: `${kind.toLowerCase()}s`, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: Object.entries(versions).map(([name, served]) => ({
        name,
        served,
        storage: served,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: { type: 'object', ...spec } },
          },
        },
      })),
    },
  });
}

const definitions = {
  definitions: {
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
      description: 'metadata',
      type: 'object',
      properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } },
    },
    'io.k8s.api.core.v1.ConfigMap': {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
        data: { type: 'object', additionalProperties: { type: 'string' } },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'ConfigMap', version: 'v1' }],
    },
  },
};

const mirror: Record<string, string> = {
  'widgets/example.com_widgets.yaml': crd('example.com', 'Widget', { v1: true, v1alpha1: false }, {
    required: ['size'],
    properties: { size: { type: 'integer', description: 'How big.' }, port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } },
  }),
  'widgets/example.com_gadgets.yaml': crd('example.com', 'Gadget', { v1: true }, { properties: { on: { type: 'boolean' } } }),
  'pools/pools.example.org_pools.yaml': crd('pools.example.org', 'Pool', { v1beta1: true, v1: true }, { properties: { cidr: { type: 'string' } } }),
  'k8s/v1.28.0/_definitions.json': JSON.stringify(definitions),
  // every chart's file is values.schema.json upstream: a mirror prefixes chart and version
  'helm-values/pool-2.0.0.values.schema.json': JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://example.org/pool.schema.json',
    type: 'object',
    additionalProperties: false,
    properties: { replicas: { type: 'integer', description: 'How many.', default: 1 } },
  }),
};

const cdk8sYaml = `language: typescript
imports:
  - ${URLS.widgets}
  - ${URLS.gadgets}
  - ${URLS.pools}
twinops:
  kubernetesDefinitions: ${URLS.kubernetes}
  helmValues:
    - { chart: pool, version: 2.0.0, url: ${URLS.poolValues} }
`;

const work = mkdtempSync(join(tmpdir(), 'twinops-import-'));
const project = join(work, 'project');
const crdDir = join(work, 'crds');
mkdirSync(project);
writeFileSync(join(project, 'cdk8s.yaml'), cdk8sYaml);
for (const [file, text] of Object.entries(mirror)) {
  mkdirSync(dirname(join(crdDir, file)), { recursive: true });
  writeFileSync(join(crdDir, file), text);
}
afterAll(() => rmSync(work, { recursive: true, force: true }));

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, env: {} } };
}

/** Every file of imports/, relative path → content. */
function snapshot(): Map<string, string> {
  const dir = join(project, 'imports');
  return new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter(e => e.isFile())
      .map(e => join(e.parentPath, e.name))
      .sort()
      .map(file => [file.slice(dir.length + 1), readFileSync(file, 'utf8')]),
  );
}

describe('twinops import (fixture project, offline)', () => {
  let first: Map<string, string>;

  it('generates one module per API group, schemas and an index', async () => {
    const { out, io } = capture();
    expect(await runImport(['--project', project, '--crd-dir', crdDir], io)).toBe(0);
    expect(out.stdout).toMatch(/^import: 5 sources → 2 modules, 4 CRD kinds \+ 1 Kubernetes 1\.28 kinds in imports\/ \(\d+\.\ds\)\n$/);
    expect(out.stderr.split('\n').filter(l => l.includes('←')).map(l => l.replace(/\(\d+\.\d KB\)$/, '(n KB)'))).toEqual([
      '  [1/5] example.com_widgets.yaml ← widgets/example.com_widgets.yaml (n KB)',
      '  [2/5] example.com_gadgets.yaml ← widgets/example.com_gadgets.yaml (n KB)',
      '  [3/5] pools.example.org_pools.yaml ← pools/pools.example.org_pools.yaml (n KB)',
      '  [4/5] _definitions.json ← k8s/v1.28.0/_definitions.json (n KB)',
      '  [5/5] values.schema.json ← helm-values/pool-2.0.0.values.schema.json (n KB)',
    ]);
    first = snapshot();
    expect([...first.keys()]).toEqual([
      'README.md',
      'cel/rules.json',
      'example.com.ts',
      'pools.example.org.ts',
      'schemas/example.com_v1_Gadget.json',
      'schemas/example.com_v1_Widget.json',
      'schemas/helm-values/pool-2.0.0.json',
      'schemas/index.json',
      'schemas/kubernetes-1.28.json',
      'schemas/pools.example.org_v1_Pool.json',
      'schemas/pools.example.org_v1beta1_Pool.json',
    ]);
    const module = first.get('example.com.ts') ?? '';
    expect(module).toMatch(/^\/\/ generated by cdk8s-cli [\d.]+ through `npm run import` from cdk8s\.yaml: do not edit\n/);
    expect(module).toContain('export class Widget extends ApiObject');
    expect(module).toContain('export class Gadget extends ApiObject');
    expect(module).not.toContain('V1Alpha1'); // unserved versions get no class
    expect(JSON.parse(first.get('schemas/index.json') ?? '')).toEqual({
      kinds: {
        'v1/ConfigMap': 'kubernetes-1.28.json#/definitions/io.k8s.api.core.v1.ConfigMap',
        'example.com/v1/Gadget': 'example.com_v1_Gadget.json',
        'example.com/v1/Widget': 'example.com_v1_Widget.json',
        'pools.example.org/v1/Pool': 'pools.example.org_v1_Pool.json',
        'pools.example.org/v1beta1/Pool': 'pools.example.org_v1beta1_Pool.json',
      },
      kubernetes: { version: '1.28', file: 'kubernetes-1.28.json', source: URLS.kubernetes },
      sources: {
        [URLS.widgets]: ['example.com/v1/Widget'],
        [URLS.gadgets]: ['example.com/v1/Gadget'],
        [URLS.pools]: ['pools.example.org/v1/Pool', 'pools.example.org/v1beta1/Pool'],
        [URLS.kubernetes]: ['v1/ConfigMap'],
      },
      helmValues: { pool: { '2.0.0': { file: 'helm-values/pool-2.0.0.json', source: URLS.poolValues } } },
    });
    // normalized, never a raw copy: stable keys, no annotations, $id = the generated file
    expect(first.get('schemas/helm-values/pool-2.0.0.json')).toBe(
      '{"$id":"helm-values/pool-2.0.0.json","$schema":"https://json-schema.org/draft/2020-12/schema","additionalProperties":false,' +
        '"properties":{"replicas":{"type":"integer"}},"type":"object"}\n',
    );
    expect(first.get('README.md')).toContain(`| pool | 2.0.0 | \`schemas/helm-values/pool-2.0.0.json\` | ${URLS.poolValues} |`);
    expect(first.get('schemas/example.com_v1_Widget.json')).toBe(
      '{"$id":"example.com_v1_Widget.json","additionalProperties":false,"properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},' +
        '"metadata":{"$ref":"kubernetes-1.28.json#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},' +
        '"spec":{"additionalProperties":false,"properties":{"port":{"type":["integer","string"]},"size":{"type":"integer"}},"required":["size"],"type":"object"}},' +
        '"type":"object"}\n',
    );
  });

  it('writes schemas that validate strictly', () => {
    const validator = new SchemaValidator(pathToFileURL(join(project, 'imports', 'schemas') + '/'));
    const widget = (spec: unknown, metadata: unknown = { name: 'w' }) =>
      ({ file: 'w.yaml', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata, spec } as never });
    expect(validator.validate([widget({ size: 1, port: 'http' }), widget({ size: 2, port: 80 })])).toEqual([]);
    expect(validator.validate([widget({ port: 'http', colour: 'red' }, { name: 'w', labelz: {} })]).map(p => `${p.path}: ${p.message}`)).toEqual([
      'metadata.labelz: unknown field "labelz"',
      'spec.colour: unknown field "colour"',
      'spec.size: missing required field "size"',
    ]);
  });

  it('is byte-identical when run again', async () => {
    const { io } = capture();
    expect(await runImport(['--project', project, '--crd-dir', crdDir], io)).toBe(0);
    expect(snapshot()).toEqual(first);
  });

  it('fails with one line and leaves imports/ untouched when a source has no local file', async () => {
    writeFileSync(join(project, 'cdk8s.yaml'), cdk8sYaml.replace('imports:\n', `imports:\n  - ${BASE}/x/example.com_missing.yaml\n`));
    const { out, io } = capture();
    expect(await runImport(['--project', project, '--crd-dir', crdDir], io)).toBe(1);
    expect(out.stderr).toBe(`twinops import: no file in ${crdDir} matches this source: ${BASE}/x/example.com_missing.yaml\n`);
    expect(out.stdout).toBe('');
    expect(snapshot()).toEqual(first);
    expect(readdirSync(project).sort()).toEqual(['cdk8s.yaml', 'imports']);
    writeFileSync(join(project, 'cdk8s.yaml'), cdk8sYaml);
  });

  it('rejects unknown arguments in one line that points at --help', async () => {
    const { out, io } = capture();
    expect(await runImport(['--frobnicate'], io)).toBe(2);
    expect(out.stderr).toBe('twinops import: unknown option "--frobnicate" (see twinops import --help)\n');
  });
});
