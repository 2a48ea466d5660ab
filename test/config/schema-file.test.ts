import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderSchemaFile } from '../../lib/config/schema-file';

const committed = () => readFileSync('environments/schema.json', 'utf8');

describe('environments/schema.json', () => {
  it('is exactly what renderSchemaFile produces (regenerate it when the schema changes)', () => {
    expect(committed()).toBe(renderSchemaFile());
  });

  it('declares draft-07, which editors and ajv understand', () => {
    expect(JSON.parse(committed())).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', required: ['clusters'] });
  });

  it('accepts the home example with a fresh validator, as an editor would', () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(committed()) as object);
    expect(validate(parse(readFileSync('test/fixtures/seed-002/home.yaml', 'utf8')))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('rejects what the loader rejects', () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(committed()) as object);
    expect(validate({ clusters: [{ name: 'home', nodes: [{ name: 'hassio' }], apps: [{ app: 'redis', dr: { state: 'warm' } }] }] })).toBe(false);
  });
});
