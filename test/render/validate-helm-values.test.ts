/**
 * A HelmRelease's `spec.values` checked against its chart version's values schema: the Traefik
 * 41.3.0 schema `npm run import` generated in imports/schemas/helm-values/, and a small fixture
 * folder for the dialect (draft-07) and the rule on required fields Helm's defaults may supply.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiObjectJson } from '../../lib/model';
import { SchemaValidator, validateObjects } from '../../lib/render/validate';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APP_CATALOG } from '../../charts/catalog';
import { composeEnvironment } from '../../charts/estate';
import { parseEnvironment } from '../../lib/config/load';
import { withEdges } from '../support/regions';
import { renderHome } from '../support/render';

const REGIONS = fileURLToPath(new URL('../fixtures/regions.yaml', import.meta.url));

const problemsOf = (objects: readonly ApiObjectJson[]) =>
  validateObjects(objects.map((object) => ({ file: 'helmrelease.yaml', object }))).map((p) => `${p.name}: ${p.path}: ${p.message}`);

const homeReleases = renderHome().units.flatMap((unit) => unit.objects).filter((object) => object.kind === 'HelmRelease' && String((object['spec'] as { chart: { spec: { chart: string } } }).chart.spec.chart) === 'traefik');

/** A copy of the home estate's prod Traefik release with `values` changed by `edit`. */
function traefikWith(edit: (values: Record<string, unknown> & { ports?: Record<string, Record<string, unknown>> }) => void, chart = { chart: 'traefik', version: '41.3.0' }): ApiObjectJson {
  const release = structuredClone(homeReleases.find((object) => object.metadata.name === 'traefik-external'));
  if (release === undefined) throw new Error('no HelmRelease traefik-external in the home render');
  const spec = release['spec'] as { chart: { spec: Record<string, unknown> }; values: Record<string, unknown> };
  Object.assign(spec.chart.spec, chart);
  edit(spec.values);
  return release;
}

describe('HelmRelease values against the generated Traefik 41.3.0 values schema', () => {
  it('passes the home estate render: both Traefik releases pin the schema\'s chart version', () => {
    expect(homeReleases.map((object) => `${object.metadata.name} ${JSON.stringify((object['spec'] as { chart: unknown }).chart)}`)).toEqual([
      'traefik-external {"spec":{"chart":"traefik","sourceRef":{"kind":"HelmRepository","name":"traefik"},"version":"41.3.0"}}',
      'traefik-dr {"spec":{"chart":"traefik","sourceRef":{"kind":"HelmRepository","name":"traefik"},"version":"41.3.0"}}',
    ]);
    expect(problemsOf(homeReleases)).toEqual([]);
  });

  it('reports a misspelt values key with its path under spec.values, at any depth', () => {
    const release = traefikWith((values) => {
      values['envv'] = [];
      (values.ports?.['websecure'] as Record<string, unknown>)['tlss'] = {};
    });
    expect(problemsOf([release])).toEqual([
      'traefik-external: spec.values.envv: unknown field "envv"',
      'traefik-external: spec.values.ports.websecure.tlss: unknown field "tlss"',
    ]);
  });

  it('reports a value of the wrong type with what was given', () => {
    const release = traefikWith((values) => {
      (values.ports?.['web'] as Record<string, unknown>)['port'] = '8000';
    });
    expect(problemsOf([release])).toEqual(['traefik-external: spec.values.ports.web.port: must be integer, given "8000"']);
  });

  it('reports the values problems next to the CRD\'s own, sorted by path', () => {
    const release = traefikWith((values) => {
      values['envv'] = [];
    });
    (release['spec'] as Record<string, unknown>)['intervall'] = '1m';
    expect(problemsOf([release])).toEqual([
      'traefik-external: spec.intervall: unknown field "intervall"',
      'traefik-external: spec.values.envv: unknown field "envv"',
    ]);
  });

  it('does not check a chart, or a version of a known chart, that has no values schema', () => {
    const misspelt = (values: Record<string, unknown>) => {
      values['envv'] = [];
    };
    expect(problemsOf([
      traefikWith(misspelt, { chart: 'example-app', version: '41.3.0' }),
      traefikWith(misspelt, { chart: 'traefik', version: '41.2.0' }),
      traefikWith(misspelt, { chart: 'traefik', version: '41.x' }),
    ])).toEqual([]);
  });
});

describe('values schema rules (fixture schemas folder)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'twinops-values-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const files: Record<string, unknown> = {
    'index.json': {
      kinds: { 'helm.toolkit.fluxcd.io/v2/HelmRelease': 'helmrelease.json' },
      kubernetes: { version: '1.28', file: 'kubernetes.json', source: 'https://example.org/_definitions.json' },
      sources: {},
      helmValues: {
        pool: {
          '1.0.0': { file: 'helm-values/pool-1.0.0.json', source: 'https://example.org/pool/1.0.0/values.schema.json' },
          '2.0.0': { file: 'helm-values/pool-2.0.0.json', source: 'https://example.org/pool/2.0.0/values.schema.json' },
        },
      },
    },
    'kubernetes.json': { $id: 'kubernetes.json', definitions: {} },
    'helmrelease.json': { $id: 'helmrelease.json', type: 'object' },
    // draft-07: required at the root (the chart's defaults supply it) and in list items (they do
    // not); a tuple is `items: [...]`, which 2020-12 spells `prefixItems`.
    'helm-values/pool-1.0.0.json': {
      $id: 'helm-values/pool-1.0.0.json',
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['controller'],
      additionalProperties: false,
      properties: {
        controller: { type: 'object', required: ['image'], properties: { image: { type: 'string' } } },
        addresses: { type: 'array', items: { type: 'object', required: ['cidr'], properties: { cidr: { type: 'string' } } } },
        tags: { type: 'array', items: [{ type: 'string' }] },
      },
    },
    'helm-values/pool-2.0.0.json': {
      $id: 'helm-values/pool-2.0.0.json',
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { tags: { type: 'array', prefixItems: [{ type: 'string' }] } },
    },
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(folder, file, '..'), { recursive: true });
    writeFileSync(join(folder, file), JSON.stringify(content));
  }
  const validator = new SchemaValidator(pathToFileURL(`${folder}/`));
  const release = (values: unknown, version = '1.0.0') => ({
    file: 'pool.yaml',
    object: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'pool' },
      spec: { chart: { spec: { chart: 'pool', version } }, values },
    } as ApiObjectJson,
  });
  const problems = (values: unknown, version?: string) => validator.validate([release(values, version)]).map((p) => `${p.path}: ${p.message}`);

  it('leaves a required field of a mapping to the chart\'s defaults, but not one of a list item', () => {
    expect(problems({ controller: {} })).toEqual([]);
    expect(problems({ addresses: [{ cidr: '192.0.2.0/24' }, {}] })).toEqual(['spec.values.addresses[1].cidr: missing required field "cidr"']);
  });

  it('reports a wrong type and an unknown field of a draft-07 schema', () => {
    expect(problems({ controller: { image: 7 }, speaker: {} })).toEqual([
      'spec.values.controller.image: must be string, given 7',
      'spec.values.speaker: unknown field "speaker"',
    ]);
  });

  it('runs each schema in its own dialect: a tuple is items in draft-07, prefixItems in 2020-12', () => {
    expect(problems({ tags: [7] }, '1.0.0')).toEqual(['spec.values.tags[0]: must be string, given 7']);
    expect(problems({ tags: [7] }, '2.0.0')).toEqual(['spec.values.tags[0]: must be string, given 7']);
    expect(problems({ tags: ['blue', 7] }, '2.0.0')).toEqual([]);
  });

  it('leaves absent values to the chart\'s defaults', () => {
    expect(problems(undefined)).toEqual([]);
  });
});

describe('the add-on releases against their vendored values schemas (external-dns 1.21.1, External Secrets 2.9.0)', () => {
  // The three regions with an edge and public DNS: external-dns is rendered there with its settings.
  const regions = parseEnvironment('regions', 'environments/regions.yaml', withEdges(readFileSync(REGIONS, 'utf8')), { knownApps: APP_CATALOG });
  const releases = composeEnvironment(regions).units.filter((unit) => unit.path.startsWith('regions/east/addons/')).flatMap((unit) => unit.objects).filter((object) => object.kind === 'HelmRelease');
  const named = (name: string) => {
    const release = releases.find((object) => object.metadata.name === name);
    if (release === undefined) throw new Error(`no HelmRelease ${name} in the home render; have ${releases.map((r) => r.metadata.name).join(', ')}`);
    return structuredClone(release);
  };
  const values = (release: ApiObjectJson) => (release['spec'] as { values: Record<string, unknown> }).values;

  it('passes the render of an estate with public DNS', () => {
    expect(problemsOf([named('external-dns'), named('external-secrets')])).toEqual([]);
  });

  it("refuses a value external-dns's chart does not allow", () => {
    const release = named('external-dns');
    values(release)['policy'] = 'delete-everything';
    expect(problemsOf([release])).toEqual(['external-dns: spec.values.policy: must be one of "create-only", "sync", "upsert-only", given "delete-everything"']);
  });

  it("refuses a value of the wrong type for External Secrets' chart", () => {
    const release = named('external-secrets');
    values(release)['installCRDs'] = 'yes';
    expect(problemsOf([release])).toEqual(['external-secrets: spec.values.installCRDs: must be boolean, given "yes"']);
  });
});
