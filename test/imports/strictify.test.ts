import { describe, expect, it } from 'vitest';
import { crdSchema } from '../../lib/imports/schemas';
import { strictify } from '../../lib/imports/strictify';

describe('strictify', () => {
  it('closes objects that list properties, and drops what does not validate', () => {
    expect(
      strictify({
        description: 'A thing.',
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', description: 'Its name.', minLength: 1, format: 'hostname' },
          // a field named like a keyword is a field
          description: { type: 'string' },
          nested: { type: 'object', properties: { deep: { type: 'boolean', default: false } } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          items: { type: 'array', items: { type: 'object', properties: { a: { type: 'integer', format: 'int32' } } } },
        },
        'x-kubernetes-validations': [{ rule: 'self.name != ""' }],
      }),
    ).toEqual({
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        description: { type: 'string' },
        nested: { type: 'object', properties: { deep: { type: 'boolean' } }, additionalProperties: false },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        items: { type: 'array', items: { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false } },
      },
      additionalProperties: false,
    });
  });

  it('leaves objects open that preserve unknown fields or list no properties', () => {
    expect(
      strictify({
        type: 'object',
        properties: {
          values: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          patched: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
          metadata: { type: 'object' },
          open: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        values: { type: 'object' },
        patched: { type: 'object', properties: { a: { type: 'string' } } },
        metadata: { type: 'object' },
        open: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true },
      },
      additionalProperties: false,
    });
  });

  it('makes int-or-string accept integer or string', () => {
    expect(strictify({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^[0-9]+$' }))
      .toEqual({ type: ['integer', 'string'], pattern: '^[0-9]+$' });
    expect(strictify({ type: 'string', format: 'int-or-string' })).toEqual({ type: ['integer', 'string'] });
    expect(strictify({ oneOf: [{ type: 'string' }, { type: 'number' }] })).toEqual({ type: ['number', 'string'] });
  });

  it('does not close objects inside allOf/anyOf/oneOf/not, which only constrain values', () => {
    expect(
      strictify({
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string' } },
        oneOf: [{ properties: { a: { minLength: 2 } }, required: ['a'] }, { required: ['b'] }],
        not: { properties: { a: { enum: ['x'] } } },
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      oneOf: [{ properties: { a: { minLength: 2 } }, required: ['a'] }, { required: ['b'] }],
      not: { properties: { a: { enum: ['x'] } } },
      additionalProperties: false,
    });
  });

  it('translates OpenAPI nullable and draft-4 exclusive bounds, and drops patterns JavaScript cannot compile', () => {
    expect(strictify({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] });
    expect(strictify({ type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false }))
      .toEqual({ type: 'integer', exclusiveMinimum: 0, maximum: 9 });
    expect(strictify({ type: 'string', pattern: '(?i)^abc$' })).toEqual({ type: 'string' });
  });

  it('keeps $ref, definitions and their siblings, and does not modify its input', () => {
    const input = {
      $id: 'k.json',
      definitions: {
        Pod: { description: 'd', type: 'object', properties: { spec: { $ref: '#/definitions/Spec', description: 'the spec' } } },
        Spec: { type: 'object', properties: { x: { type: 'string' } } },
      },
    };
    const copy = structuredClone(input);
    expect(strictify(input)).toEqual({
      $id: 'k.json',
      definitions: {
        Pod: { type: 'object', properties: { spec: { $ref: '#/definitions/Spec' } }, additionalProperties: false },
        Spec: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: false },
      },
    });
    expect(input).toEqual(copy);
  });
});

describe('crdSchema', () => {
  const objectMeta = { $ref: 'kubernetes-1.28.json#/definitions/ObjectMeta' };

  it('validates metadata as the Kubernetes ObjectMeta', () => {
    expect(crdSchema('a.json', { type: 'object', properties: { metadata: { type: 'object' }, spec: { type: 'object', properties: {} } } }, objectMeta))
      .toEqual({
        $id: 'a.json',
        type: 'object',
        properties: { metadata: objectMeta, spec: { type: 'object', properties: {}, additionalProperties: false } },
        additionalProperties: false,
      });
  });

  it('keeps a CRD’s own metadata constraints next to ObjectMeta, without closing them', () => {
    const schema = { type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 63 } } } } };
    expect(crdSchema('b.json', schema, objectMeta).properties).toEqual({
      metadata: { allOf: [objectMeta, { type: 'object', properties: { name: { type: 'string', maxLength: 63 } } }] },
    });
  });
});
