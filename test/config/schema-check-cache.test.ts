/** The environment validator loaded from its cache reports exactly what a fresh compile reports. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { compileEnvironmentValidator } from '../../lib/config/schema-check';
import { environmentJsonSchema } from '../../lib/config/schema-file';
import { CompiledValidatorCache } from '../../lib/render/validator-cache';
import { SEED_ENVIRONMENTS } from '../support/tree';

const folder = mkdtempSync(join(tmpdir(), 'twinops-env-validator-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the cached environment validator', () => {
  it('gives the same verdict and the same verbose errors as a fresh compile', () => {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, code: { source: true } });
    const cache = new CompiledValidatorCache(folder);
    cache.save('environment', ajv, ajv.compile(environmentJsonSchema()));
    const cached = cache.load('environment');
    const fresh = compileEnvironmentValidator();
    expect(cached).toBeDefined();
    const home = parse(readFileSync(join(SEED_ENVIRONMENTS, 'home.yaml'), 'utf8')) as Record<string, unknown>;
    const broken = [
      home,
      { ...home, dr: { state: 'warm' } },
      { ...home, colour: 'blue' },
      { ...home, clusters: 'home' },
      { ...home, clusters: [{ name: 'Not A Name', nodes: [] }] },
    ];
    const verdicts = broken.map((document) => {
      const freshOk = fresh(document);
      const cachedOk = cached?.(document);
      expect(cached?.errors ?? null).toEqual(fresh.errors ?? null);
      return [freshOk, cachedOk];
    });
    expect(verdicts).toEqual([[true, true], [false, false], [false, false], [false, false], [false, false]]);
  });
});
