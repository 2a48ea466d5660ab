import { describe, expect, it } from 'vitest';
import { helmValuesFile, helmValuesMirrorName, helmValuesSchema } from '../../lib/imports/helm-values';

const POOL = { chart: 'pool', version: '1.2.3', url: 'https://example.org/charts/v1.2.3/pool/values.schema.json' };

describe('helmValuesFile / helmValuesMirrorName', () => {
  it('names the generated file and the mirror file by chart and version', () => {
    expect(helmValuesFile(POOL)).toBe('helm-values/pool-1.2.3.json');
    expect(helmValuesMirrorName(POOL)).toBe('helm-values/pool-1.2.3.values.schema.json');
  });
});

describe('helmValuesSchema', () => {
  const schemaOf = (schema: unknown) => helmValuesSchema(POOL, JSON.stringify(schema));

  it('drops annotations at schema positions only, keeps validation keywords, and sets $id and the canonical dialect', () => {
    expect(schemaOf({
      $schema: 'https://json-schema.org/draft-07/schema#',
      $id: 'https://example.org/pool.schema.json',
      title: 'Pool',
      description: 'The chart',
      type: 'object',
      additionalProperties: false,
      properties: {
        // values named like annotation keywords are fields, not annotations
        description: { type: 'string', description: 'A free text', default: '' },
        title: { $ref: '#/definitions/name' },
        mode: { enum: ['l2', 'bgp'], default: 'l2', examples: ['l2'] },
        peers: { type: 'array', items: { type: 'object', $comment: 'one per router', required: ['address'] } },
      },
      anyOf: [{ title: 'one', required: ['mode'] }, true],
      definitions: { name: { type: 'string', markdownDescription: '*name*', pattern: '^[a-z]+$' } },
    })).toEqual({
      $id: 'helm-values/pool-1.2.3.json',
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: {
        description: { type: 'string' },
        title: { $ref: '#/definitions/name' },
        mode: { enum: ['l2', 'bgp'] },
        peers: { type: 'array', items: { type: 'object', required: ['address'] } },
      },
      anyOf: [{ required: ['mode'] }, true],
      definitions: { name: { type: 'string', pattern: '^[a-z]+$' } },
    });
  });

  it('keeps 2020-12 and treats a schema naming no dialect as draft-07, as Helm does', () => {
    expect(schemaOf({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' })['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schemaOf({ type: 'object' })['$schema']).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('refuses another dialect, naming the chart, what is supported and what was given', () => {
    expect(() => schemaOf({ $schema: 'http://json-schema.org/draft-04/schema#' })).toThrow(
      'values schema of chart pool 1.2.3 (https://example.org/charts/v1.2.3/pool/values.schema.json): "$schema" must be JSON Schema draft-07 or 2020-12 ' +
        '(http://json-schema.org/draft-07/schema# or https://json-schema.org/draft/2020-12/schema), given "http://json-schema.org/draft-04/schema#"',
    );
  });

  it('refuses a reference to another document, which cannot be checked offline', () => {
    expect(() => schemaOf({ properties: { affinity: { $ref: 'https://example.org/k8s.json#/affinity' }, local: { $ref: '#/$defs/x' } } })).toThrow(
      'values schema of chart pool 1.2.3 (https://example.org/charts/v1.2.3/pool/values.schema.json): refers to other documents (https://example.org/k8s.json#/affinity); ' +
        'only references inside the schema ("#/...") can be checked offline',
    );
  });

  it('refuses text that is not a JSON object', () => {
    expect(() => helmValuesSchema(POOL, '{')).toThrow(/^values schema of chart pool 1\.2\.3 \(.*\): invalid JSON: /);
    expect(() => helmValuesSchema(POOL, '[]')).toThrow('values schema of chart pool 1.2.3 (https://example.org/charts/v1.2.3/pool/values.schema.json): expected a JSON Schema object, given a list');
  });
});
