/**
 * The caches that make `npm run synth` start fast: the esbuild bundle of the program that
 * bin/twinops.mjs runs (lib/build/program-cache.mjs) and the compiled schema validators
 * (lib/render/validator-cache.ts). Neither may change what is rendered or reported, and a type
 * error in a chart must still stop the render.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { bundleFile, cachedProgram, PROGRAM_CACHE_DIR } from '../../lib/build/program-cache.mjs';
import { sourcesHash } from '../../lib/build/sources-hash.mjs';
import { NOT_TYPE_CHECKED } from '../../lib/cli/typecheck';
import type { ApiObjectJson } from '../../lib/model';
import { CEL_RULES_URL } from '../../lib/render/cel/validator';
import { SCHEMAS_DIR, SchemaValidator, type ObjectToValidate } from '../../lib/render/validate';
import { CompiledValidatorCache, validatorCacheFolder } from '../../lib/render/validator-cache';
import { readTree, REPO } from '../support/tree';
import { loadHome } from '../support/render';
import { APP_CATALOG } from '../../charts/catalog';
import { composeEnvironment } from '../../charts/estate';
import { loadEnvironment } from '../../lib/config/load';

const COPIED = ['bin', 'charts', 'lib', 'imports', 'tsconfig.json', 'tsconfig.synth.json', 'package.json', 'package-lock.json'];
/** Engine tests render their own fixtures, never the user's environments: the frozen 002 home and the fleet. */
const FIXTURES = ['seed-002/home.yaml', 'fleet.yaml'];
const CHART = 'charts/apps/redis.ts';
const TYPE_ERROR = "export const typeErrorForTest: number = 'a';\n";
const PROGRESS = 'type-checking charts/ and lib/ (changed since the last check)…';

const temps: string[] = [];
const temp = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach(dir => rmSync(dir, { recursive: true, force: true })));

/** A copy of the program; node_modules is a folder of links to each package, so its .cache is the copy's own. */
function copyOfProgram(): string {
  const root = temp('twinops-build-cache-');
  for (const path of COPIED) cpSync(join(REPO, path), join(root, path), { recursive: true });
  mkdirSync(join(root, 'environments'));
  for (const fixture of FIXTURES) cpSync(join(REPO, 'test/fixtures', fixture), join(root, 'environments', fixture.replace(/^.*\//, '')));
  mkdirSync(join(root, 'node_modules'));
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '.cache') symlinkSync(join(REPO, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  return root;
}

/** The bundles in the copy's cache folder. */
const bundles = (root: string): string[] => readdirSync(join(root, PROGRAM_CACHE_DIR)).filter(name => name.endsWith('.cjs')).sort();

describe('npm run synth through bin/twinops.mjs and its cached build', () => {
  let root = '';
  let original = '';
  /** Runs `<command...> synth` in the copy after removing its dist/. */
  const synth = (command: string[]) => {
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    const [program = '', ...args] = command;
    const run = spawnSync(program, [...args, 'synth'], { cwd: root, encoding: 'utf8', env: { ...process.env, TWINOPS_DR_STATE: '' } });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr, dist: readTree(join(root, 'dist')) };
  };
  const launcher = () => synth([process.execPath, 'bin/twinops.mjs']);

  beforeAll(() => {
    root = copyOfProgram();
    original = readFileSync(join(root, CHART), 'utf8');
  });

  it('builds the bundle once, runs it from the cache next time, and renders what tsx renders', () => {
    const cold = launcher();
    expect(cold.code).toBe(0);
    expect(cold.stderr.split('\n')[0]).toBe(PROGRESS);
    const bundle = bundleFile(root, sourcesHash(root));
    expect(bundles(root)).toEqual([bundle.slice(bundle.lastIndexOf('/') + 1)]);
    const builtAt = statSync(bundle).mtimeMs;

    const warm = launcher();
    expect(warm.code).toBe(0);
    // The same progress lines, without the type check and without a build, every unit from the render cache.
    const fromCache = cold.stderr.slice(`${PROGRESS}\n`.length).replace(/^( {2}\w+: (\d+) units, \d+ objects)$/gm, '$1 ($2 unchanged, from the render cache)');
    expect(warm.stderr).toBe(fromCache);
    expect(warm.stderr).toMatch(/^ {2}fleet: \d+ units, \d+ objects \(\d+ unchanged, from the render cache\)\n/);
    expect(statSync(bundle).mtimeMs).toBe(builtAt);
    expect(warm.dist).toEqual(cold.dist);

    // The warm run compiled the bundle with the V8 code cache the cold run left beside it; a
    // cache V8 rejects (another Node, or damaged) costs a compile, renders the same, and is made again.
    const codeCache = `${bundle}.v8`;
    expect(statSync(codeCache).size).toBeGreaterThan(100_000);
    writeFileSync(codeCache, 'not a code cache');
    const rejected = launcher();
    expect(rejected.code).toBe(0);
    expect(rejected.stderr).toBe(warm.stderr);
    expect(rejected.dist).toEqual(cold.dist);
    expect(statSync(codeCache).size).toBeGreaterThan(100_000);
    // Accepted by V8 the next time: not written again.
    const madeAt = statSync(codeCache).mtimeMs;
    expect(launcher().dist).toEqual(cold.dist);
    expect(statSync(codeCache).mtimeMs).toBe(madeAt);

    const uncached = synth([join(root, 'node_modules/.bin/tsx'), 'bin/twinops.ts']);
    expect(uncached.code).toBe(0);
    expect(uncached.dist.size).toBeGreaterThan(100);
    expect(uncached.dist).toEqual(cold.dist);
    expect(uncached.stdout.replace(/in \d+\.\d\ds/, '')).toBe(warm.stdout.replace(/in \d+\.\d\ds/, ''));
  }, 300_000);

  it('rebuilds after a source change, and a type error still stops the render', () => {
    const before = bundles(root);
    appendFileSync(join(root, CHART), TYPE_ERROR);
    const broken = launcher();
    expect(broken.code).toBe(1);
    const lines = broken.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(PROGRESS);
    expect(lines).toContain(`${CHART}(${original.split('\n').length},14): error TS2322: Type 'string' is not assignable to type 'number'.`);
    expect(lines.at(-1)).toBe(`twinops synth: ${NOT_TYPE_CHECKED}`);
    expect(broken.dist.size).toBe(0);
    // The bundle of the changed sources replaced the old one.
    const rebuilt = bundleFile(root, sourcesHash(root));
    expect(bundles(root)).toEqual([rebuilt.slice(rebuilt.lastIndexOf('/') + 1)]);
    expect(bundles(root)).not.toEqual(before);

    // Back to the sources that passed: their stamp still holds, so no tsc; the bundle is built again.
    writeFileSync(join(root, CHART), original);
    const fixed = launcher();
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).not.toContain(PROGRESS);
    expect(bundles(root)).toEqual(before);
  }, 300_000);

  it('reports a chart that throws as its module loads in one line, no stack trace, and writes nothing', () => {
    writeFileSync(join(root, CHART), `${original}throw new Error('redis chart cannot load');\n`);
    const broken = launcher();
    writeFileSync(join(root, CHART), original);
    expect(broken.code).toBe(1);
    // The sources type-check: tsc's verdict was awaited, and it is the error itself that is shown.
    expect(broken.stderr).toBe(
      'twinops: the program stopped as it loaded (a module of bin/, lib/, charts/ or imports/ threw at its top level); nothing was written:\nredis chart cannot load\n',
    );
    expect(broken.dist.size).toBe(0);
  }, 300_000);

  it('reports a source that does not build, and writes nothing', () => {
    writeFileSync(join(root, CHART), `${original}export const = ;\n`);
    const broken = launcher();
    writeFileSync(join(root, CHART), original);
    expect(broken.code).toBe(1);
    expect(broken.stderr.split('\n')[0]).toBe('twinops: cannot build the program from bin/, lib/, charts/ and imports/:');
    expect(broken.stderr).toContain(`${CHART}:${original.split('\n').length}:13: ERROR: Expected identifier but found "="`);
    expect(broken.dist.size).toBe(0);
  }, 300_000);
});

describe('cachedProgram', () => {
  it('answers "unwritable" when the cache folder cannot be created, so the launcher falls back to tsx', async () => {
    const root = copyOfProgram();
    writeFileSync(join(root, 'node_modules/.cache'), 'a file where the cache folder would be\n');
    expect(await cachedProgram(root, sourcesHash(root))).toEqual({
      status: 'unwritable',
      reason: `ENOTDIR on ${join(root, PROGRAM_CACHE_DIR)}`,
    });
  }, 120_000);

  it('keys the bundle on the sources and the project folder', () => {
    expect(bundleFile('/p', 'a')).toMatch(/^\/p\/node_modules\/\.cache\/twinops\/program-[0-9a-f]{16}\.cjs$/);
    expect(bundleFile('/p', 'a')).not.toBe(bundleFile('/p', 'b'));
    expect(bundleFile('/p', 'a').slice(-27)).not.toBe(bundleFile('/q', 'a').slice(-27));
  });
});

describe('the compiled validators cache', () => {
  /** Every object of the fixture estates' render, plus broken ones: schema errors, values errors, an unknown kind. */
  function objectsToValidate(): ObjectToValidate[] {
    const items: ObjectToValidate[] = [loadHome(), loadEnvironment(join(REPO, 'test/fixtures/fleet.yaml'), { knownApps: APP_CATALOG })].flatMap((env) =>
      composeEnvironment(env).units.flatMap((unit) => unit.objects.map((object) => ({ file: `${unit.path}/${object.kind.toLowerCase()}-${object.metadata.name}.yaml`, object }))),
    );
    const deployment = items.find(({ object }) => object.kind === 'Deployment');
    const release = items.find(({ object }) => object.kind === 'HelmRelease' && JSON.stringify(object).includes('"chart":"traefik"'));
    if (deployment === undefined || release === undefined) throw new Error('the fixture render has no Deployment or no Traefik HelmRelease');
    const broken = (item: ObjectToValidate, edit: (object: Record<string, any>) => void): ObjectToValidate => {
      const object = structuredClone(item.object) as Record<string, any>;
      edit(object);
      return { file: `broken-${item.file}`, object: object as ApiObjectJson };
    };
    items.push(
      broken(deployment, o => {
        o['spec'].replicas = 'two';
        o['spec'].template.spec.containers[0].imagePullPolicyy = 'Always';
        delete o['spec'].selector;
      }),
      broken(release, o => {
        o['spec'].values.ports = { web: { port: 'eighty' } };
      }),
      broken(deployment, o => {
        o['apiVersion'] = 'apps/v2';
      }),
    );
    return items;
  }

  it('reports exactly what compiling in the process reports, cold and warm, and loads what it saved', () => {
    const items = objectsToValidate();
    const expected = new SchemaValidator(SCHEMAS_DIR, CEL_RULES_URL).validate(items);
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.map(p => p.file).filter(f => f.startsWith('broken-')).length).toBe(expected.length);

    const parent = temp('twinops-validators-');
    const cacheDir = pathToFileURL(`${parent}/`);
    expect(new SchemaValidator(SCHEMAS_DIR, CEL_RULES_URL, cacheDir).validate(items)).toEqual(expected);
    const folders = readdirSync(parent);
    expect(folders).toHaveLength(1);
    const folder = join(parent, folders[0] ?? '');
    const saved = readdirSync(folder).sort();
    const kinds = new Set(items.map(({ object }) => `${object.apiVersion}/${object.kind}`));
    expect(saved.length).toBeGreaterThan(10);
    expect(saved.length).toBeLessThanOrEqual(kinds.size + 1); // one per kind's schema, one per values schema

    expect(new SchemaValidator(SCHEMAS_DIR, CEL_RULES_URL, cacheDir).validate(items)).toEqual(expected);
    expect(readdirSync(folder).sort()).toEqual(saved);

    // The warm validator runs the saved files: one replaced by a validator that refuses everything shows.
    for (const name of saved) writeFileSync(join(folder, name), 'module.exports = function v(d) { v.errors = [{ keyword: "cached", instancePath: "", schemaPath: "#", params: {}, message: "from the cache" }]; return false; };\n');
    const fromCache = new SchemaValidator(SCHEMAS_DIR, CEL_RULES_URL, cacheDir).validate(items.slice(0, 1));
    expect(fromCache.map(p => `${p.path}: ${p.message}`)).toEqual(['(root): from the cache, given an object']);
  });

  it('keys its folder on the schemas and the options, and keeps only the current folder', () => {
    const schemas = temp('twinops-schemas-');
    writeFileSync(join(schemas, 'index.json'), '{"kinds":{}}\n');
    const parent = temp('twinops-validators-');
    const options = { strict: false };
    const first = validatorCacheFolder(parent, schemas, options);
    expect(validatorCacheFolder(parent, schemas, options)).toBe(first);
    mkdirSync(join(schemas, 'helm-values'));
    writeFileSync(join(schemas, 'helm-values', 'x.json'), '{}\n');
    const second = validatorCacheFolder(parent, schemas, options);
    expect(second).not.toBe(first);
    expect(validatorCacheFolder(parent, schemas, { strict: true })).not.toBe(second);

    const ajv = new Ajv({ code: { source: true } });
    const validate = ajv.compile({ type: 'object', required: ['a'] });
    new CompiledValidatorCache(first).save('kind x', ajv, validate);
    new CompiledValidatorCache(second).save('kind x', ajv, validate);
    expect(existsSync(first)).toBe(false);
    const loaded = new CompiledValidatorCache(second).load('kind x');
    expect(loaded?.({ a: 1 })).toBe(true);
    expect(loaded?.({})).toBe(false);
    expect(loaded?.errors?.map(e => e.message)).toEqual(["must have required property 'a'"]);
    expect(new CompiledValidatorCache(second).load('kind y')).toBeUndefined();
  });
});
