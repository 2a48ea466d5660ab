/**
 * The render cache never changes the output (issue 11, goal 2): after each kind of change
 * (an environment value, a DR flip, chart code, a twinops upgrade, a deleted or edited dist/
 * file, a corrupt cache file), a render with the cache writes exactly the bytes a render without
 * it writes, and it re-renders only the units whose reads changed.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { ApiObject, type Chart } from 'cdk8s';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { APPS } from '../../charts/apps';
import { composeUnits } from '../../charts/estate';
import type { AppDefinition, AppRegistry } from '../../lib/app/definition';
import type { Io } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { loadEnvironment } from '../../lib/config/load';
import { folderNoteOf } from '../../lib/render/cache-prune';
import { loadRenderCache, readCacheFile, renderCacheFile, saveRenderCache, writeCacheFile } from '../../lib/render/unit-cache-file';
import type { ReadSet } from '../../lib/cache/reads';
import { realOutputPath } from '../../lib/render/output-paths';
import { objectsUnread } from '../../lib/render/restored-unit';
import { digestOf, type Stamp } from '../../lib/render/stamps';
import type { Content } from '../../lib/render/content';
import { UnitCache } from '../../lib/render/unit-cache';
import { environmentFiles, loadEnvironments, synthesize, type Compose } from '../../lib/synth';
import { ConfigError } from '../../lib/config/errors';
import { readTree, REPO, SEED_ENVIRONMENTS } from '../support/tree';
import type { ReadAhead } from '../../lib/build/read-ahead.mjs';

let root: string;
let environments: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-cache-'));
  environments = join(root, 'environments');
  cpSync(SEED_ENVIRONMENTS, environments, { recursive: true });
  // A Cluster API fleet with a twin on another cluster beside the home lab.
  cpSync(join(REPO, 'test/fixtures/fleet.yaml'), join(environments, 'fleet.yaml'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const edit = (file: string, from: string, to: string) => {
  const path = join(environments, file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
};

let fresh = 0;
/** What a render without any cache writes, into a folder of its own. */
function uncached(compose: Compose = composeUnits): Map<string, string> {
  const dist = join(root, `fresh-${fresh++}`);
  synthesize({ environmentsDir: environments, distDir: dist, compose, catalog: APP_CATALOG, projectDir: root });
  return readTree(dist);
}

describe('the render cache in memory', () => {
  const dist = () => join(root, 'dist');
  const cached = (cache: UnitCache, compose: Compose = composeUnits) => {
    synthesize({ environmentsDir: environments, distDir: dist(), compose, catalog: APP_CATALOG, projectDir: root, cache });
    return readTree(dist());
  };

  it('reuses every unit when nothing changed, and writes the same bytes as a render without it', () => {
    const cache = new UnitCache('program');
    expect(cached(cache)).toEqual(uncached());
    expect(cache.lastRendered).toHaveLength(39);
    expect(cached(cache)).toEqual(uncached());
    expect(cache.lastRendered).toEqual([]);
    expect(cache.lastReused).toBe(39);
  });

  it('loads an environment file that did not change as the data the last render kept, without parsing it again, and parses one that changed', () => {
    const cache = new UnitCache('program');
    cached(cache);
    const files = environmentFiles(environments);
    const kept = new Map(cache.sharedData());
    const again = loadEnvironments(files, APP_CATALOG, cache);
    for (const env of again) expect(env, env.name).toBe(kept.get(env.name));
    edit('home.yaml', 'host: blog.example.org', 'host: journal.example.org');
    const edited = loadEnvironments(files, APP_CATALOG, cache);
    const home = edited.find((env) => env.name === 'home');
    expect(home).not.toBe(kept.get('home'));
    expect(home).toEqual(loadEnvironment(join(environments, 'home.yaml'), { knownApps: APP_CATALOG }));
    // The others did not change: still the data kept.
    for (const env of edited.filter((env) => env.name !== 'home')) expect(env, env.name).toBe(kept.get(env.name));
  });

  it('parses again after a render with a DR state override: the data kept is not what the file says', () => {
    const cache = new UnitCache('program');
    synthesize({ environmentsDir: environments, distDir: dist(), compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache, stateOverride: 'active' });
    const kept = new Map(cache.sharedData());
    const loaded = loadEnvironments(environmentFiles(environments), APP_CATALOG, cache);
    for (const env of loaded) expect(env, env.name).not.toBe(kept.get(env.name));
    expect(cached(cache)).toEqual(uncached());
  });

  it('after an app host changes, re-renders only that app’s two units', () => {
    const cache = new UnitCache('program');
    cached(cache);
    edit('home.yaml', 'host: blog.example.org', 'host: journal.example.org');
    expect(cached(cache)).toEqual(uncached());
    expect(cache.lastRendered).toEqual(['home/home/apps/wordpress/prod', 'home/home/apps/wordpress/dr']);
  });

  it('keeps what planning read while it holds, without noting it again, and notes it anew once planning reads a change', () => {
    const cache = new UnitCache('program');
    cached(cache);
    const planned = cache.environments.get('home')?.global;
    expect(planned?.size).toBeGreaterThan(0);
    edit('home.yaml', 'host: blog.example.org', 'host: journal.example.org');
    expect(cached(cache)).toEqual(uncached());
    expect(cache.environments.get('home')?.global).toBe(planned);
    edit('home.yaml', 'state: standby', 'state: active');
    expect(cached(cache)).toEqual(uncached());
    expect(cache.environments.get('home')?.global).not.toBe(planned);
  });

  it('after a storage class parameter changes, re-renders what reads it and matches a render without it', () => {
    const cache = new UnitCache('program');
    const before = cached(cache);
    edit('home.yaml', 'poolname: backup/nas/k3s', 'poolname: backup/nas/k8s');
    const after = cached(cache);
    expect(after).toEqual(uncached());
    expect(after).not.toEqual(before);
    expect(cache.lastRendered.length).toBeGreaterThan(0);
    expect(cache.lastRendered.every((path) => path.startsWith('home/'))).toBe(true);
  });

  it('after a DR flip, matches a render without it', () => {
    const cache = new UnitCache('program');
    cached(cache);
    edit('home.yaml', 'state: standby', 'state: active');
    expect(cached(cache)).toEqual(uncached());
    expect(cache.lastRendered.every((path) => path.startsWith('home/'))).toBe(true);
  });

  it('hands a chart plain props: a chart that clones or freezes its secret store renders the same', () => {
    const cloning = new Map(APPS);
    const wordpress = cloning.get('wordpress') as AppDefinition;
    cloning.set('wordpress', {
      ...wordpress,
      chart: (scope, id, props) => {
        Object.freeze(structuredClone(props.secretStore));
        return wordpress.chart(scope, id, props);
      },
    });
    const compose: Compose = (env) => composeUnits(env, cloning);
    expect(cached(new UnitCache('program'), compose)).toEqual(uncached(compose));
  });

  it('after a dist/ file is deleted, or edited to the same size, writes it back', () => {
    const cache = new UnitCache('program');
    const expected = cached(cache);
    const deleted = 'home/home/apps/redis/prod/service-redis.yaml';
    const edited = 'home/home/apps/wordpress/prod/deployment-wordpress.yaml';
    rmSync(join(dist(), deleted));
    const path = join(dist(), edited);
    const text = readFileSync(path, 'utf8');
    const { mtime } = statSync(path);
    writeFileSync(path, text.replace('replicas: 1', 'replicas: 9'));
    // Even with the old modification time put back, the change time and size still give it away.
    utimesSync(path, mtime, mtime);
    expect(cached(cache)).toEqual(expected);
    expect(cache.lastRendered).toEqual([]);
  });
});

/** Twins on the next region's cluster (east's run on west, west's on uk, uk's on east), hosts apart from home's. */
function addRegions(): void {
  const text = readFileSync(join(REPO, 'test/fixtures/regions.yaml'), 'utf8');
  writeFileSync(join(environments, 'regions.yaml'), text.replaceAll('.example.org', '.regions.example.org'));
}

describe('the runbook\'s cluster blocks in the render cache', () => {
  const dist = () => join(root, 'dist');
  const cached = (cache: UnitCache) => {
    synthesize({ environmentsDir: environments, distDir: dist(), compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache });
    return readTree(dist());
  };
  const withRegions = () => addRegions();

  it('writes every block on the first render and none when nothing changed', () => {
    const cache = new UnitCache('program');
    cached(cache);
    const all = cache.lastBlocksWritten.length;
    expect(cache.lastBlocksReused).toBe(0);
    // home (1 cluster) and fleet (3): 8 sections per cluster, fleet's region loss and cross-cluster edges.
    expect(cache.lastBlocksWritten.filter((key) => key.endsWith('/home'))).toEqual(['state/home', 'resync/home', 'dns/home', 'certificates/home', 'procedures/home', 'nodes/home', 'diagram/home', 'diagram-edges/home', 'bootstrap/home']);
    expect(cached(cache)).toEqual(uncached());
    expect(cache.lastBlocksWritten).toEqual([]);
    expect(cache.lastBlocksReused).toBe(all);
  });

  it('after an app host changes, writes the blocks of its cluster again and reuses the others', () => {
    withRegions();
    const cache = new UnitCache('program');
    cached(cache);
    // keycloak runs on west, its twin on uk.
    edit('regions.yaml', 'host: keycloak.regions.example.org', 'host: sso.regions.example.org');
    const after = cached(cache);
    expect(after).toEqual(uncached());
    expect(after.get('regions/RUNBOOK.md')).toContain('sso.regions.example.org');
    expect(cache.lastBlocksWritten).toEqual([
      'region-loss/west',
      'state/west',
      'resync/west',
      'dns/west',
      'certificates/west',
      'procedures/west',
      'nodes/west',
      // uk draws west's twin inside its own subgraph.
      'diagram/west',
      'diagram/uk',
      'diagram-edges/west',
      'bootstrap/west',
    ]);
  });

  it('after a value only the runbook shows changes (a node address), renders no unit and writes only the blocks that show it', () => {
    withRegions();
    const cache = new UnitCache('program');
    const before = cached(cache);
    // uk-2 runs west's twins: west's resync copies to it.
    edit('regions.yaml', 'addresses: [192.0.2.32]', 'addresses: [192.0.2.99]');
    const after = cached(cache);
    expect(after).toEqual(uncached());
    expect(after.get('regions/RUNBOOK.md')).not.toEqual(before.get('regions/RUNBOOK.md'));
    expect(cache.lastRendered).toEqual([]);
    expect(cache.lastBlocksWritten).toEqual(['resync/west', 'resync/uk', 'nodes/uk']);
  });
});

/** A chart change: wordpress labels its objects with a revision. */
function withRevisedWordpress(): AppRegistry {
  const wordpress = APPS.get('wordpress') as AppDefinition;
  const revised: AppDefinition = {
    ...wordpress,
    chart: (scope, id, props) => {
      const chart: Chart = wordpress.chart(scope, id, props);
      for (const child of chart.node.findAll()) if (child instanceof ApiObject) child.metadata.addLabel('example.org/revision', '2');
      return chart;
    },
  };
  return new Map([...APPS].map(([name, definition]) => [name, name === 'wordpress' ? revised : definition]));
}

/** A set as text: its reads, then its includes' (depth first), so that a mix-up anywhere shows. */
function described(set: ReadSet, seen = new Set<ReadSet>()): string[] {
  if (seen.has(set)) return ['(again)'];
  seen.add(set);
  const own = [...set.reads()].map((read) => `${read.at.join('.')} ${read.op} ${read.key} = ${read.seen}`);
  return [...own, ...[...set.includes()].flatMap((included) => ['{', ...described(included, seen), '}'])];
}

/** Whether `loaded` holds every read set of `cache` as it was: each read, the sets it includes, the objects read. */
function expectSameReads(loaded: UnitCache, cache: UnitCache): void {
  const targets = (set: ReadSet) => set.packed().targets.map((target) => (target === undefined ? 'none' : 'object'));
  for (const [name, entry] of cache.environments) {
    const other = loaded.environments.get(name);
    expect(described(other?.global as ReadSet)).toEqual(described(entry.global));
    for (const [path, unit] of entry.units) {
      const back = other?.units.get(path);
      expect(described(back?.reads as ReadSet), path).toEqual(described(unit.reads));
      expect(targets(back?.reads as ReadSet)).toEqual(targets(unit.reads));
    }
    expect([...(other?.runbook.keys() ?? [])]).toEqual([...entry.runbook.keys()]);
    for (const [key, block] of entry.runbook) expect(described(other?.runbook.get(key)?.reads as ReadSet), key).toEqual(described(block.reads));
  }
}

describe('the render cache between runs (synth)', () => {
  const folder = () => join(root, 'cache');
  async function synth(code: string, compose: Compose = composeUnits, extra: string[] = [], readAhead?: ReadAhead) {
    const err: string[] = [];
    const io: Io = { stdout: { write: () => true }, stderr: { write: (text: string) => err.push(text) }, cwd: root, env: {} };
    const status = await main(['synth', ...extra], io, { compose, catalog: APP_CATALOG, renderCache: { folder: folder(), code, ...(readAhead ? { readAhead } : {}) } });
    expect(status, err.join('')).toBe(0);
    return { tree: readTree(join(root, 'dist')), progress: err.join('') };
  }

  it('keeps the units of one run for the next, and says how many it reused', async () => {
    await synth('program-1');
    const { tree, progress } = await synth('program-1');
    expect(tree).toEqual(uncached());
    expect(progress).toContain('home: 15 units, 107 objects (15 unchanged, from the render cache)');
  });

  it('removes the cache files of output folders that are gone, also on a run with nothing to save', async () => {
    await synth('program-1');
    const gone = renderCacheFile(folder(), join(root, 'removed-dist'));
    writeFileSync(gone, 'cache');
    writeFileSync(folderNoteOf(gone), join(root, 'removed-dist'));
    const { progress } = await synth('program-1');
    expect(progress).toContain('(15 unchanged, from the render cache)');
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(folderNoteOf(gone))).toBe(false);
    expect(readFileSync(folderNoteOf(renderCacheFile(folder(), realOutputPath(join(root, 'dist')))), 'utf8')).toBe(realOutputPath(join(root, 'dist')));
  });

  it('loads the bytes the launcher read ahead for its own cache file, and reads the file itself when they are another file\'s', async () => {
    await synth('program-1');
    const file = renderCacheFile(folder(), realOutputPath(join(root, 'dist')));
    const bytes = readFileSync(file);
    rmSync(file);
    // Only the bytes read ahead hold the cache now.
    const ahead = await synth('program-1', composeUnits, [], { file, bytes: Promise.resolve(bytes) });
    expect(ahead.progress).toContain('(15 unchanged, from the render cache)');
    expect(ahead.tree).toEqual(uncached());
    rmSync(file, { force: true });
    const other = await synth('program-1', composeUnits, [], { file: `${file}.other`, bytes: Promise.resolve(bytes) });
    expect(other.progress).not.toContain('from the render cache');
    // Bytes that could not be read whole: the file is read as without them.
    writeFileSync(file, bytes);
    const unread = await synth('program-1', composeUnits, [], { file, bytes: Promise.resolve(undefined) });
    expect(unread.progress).toContain('(15 unchanged, from the render cache)');
  });

  it('after chart code changes (another program), renders every unit with the new chart', async () => {
    await synth('program-1');
    const revised: Compose = (env) => composeUnits(env, withRevisedWordpress());
    const { tree, progress } = await synth('program-2', revised);
    expect(progress).not.toContain('from the render cache');
    expect(tree).toEqual(uncached(revised));
    expect(tree.get('home/home/apps/wordpress/prod/deployment-wordpress.yaml')).toContain('example.org/revision: "2"');
  });

  it('after a twinops upgrade (another program), ignores the old cache file', async () => {
    await synth('twinops-0.1.0');
    edit('home.yaml', 'host: blog.example.org', 'host: journal.example.org');
    const { tree, progress } = await synth('twinops-0.2.0');
    expect(progress).not.toContain('from the render cache');
    expect(tree).toEqual(uncached());
  });

  it.each([
    ['that does not parse (cut in half)', (length: number) => length >> 1],
    ['cut short in its units\' objects (the last 10 bytes)', (length: number) => length - 10],
  ])('renders fresh, and correctly, from a cache file %s', async (_, kept) => {
    await synth('program-1');
    const file = renderCacheFile(folder(), realOutputPath(join(root, 'dist')));
    const saved = readFileSync(file);
    writeFileSync(file, saved.subarray(0, kept(saved.length)));
    edit('home.yaml', 'host: blog.example.org', 'host: journal.example.org');
    const { tree, progress } = await synth('program-1');
    expect(progress).not.toContain('from the render cache');
    expect(tree).toEqual(uncached());
  });

  it('reads no loaded unit\'s objects when nothing changed, and after a one-app change only those of its cluster\'s units', async () => {
    await synth('program-1');
    const dist = join(root, 'dist');
    const real = realOutputPath(dist);
    const file = renderCacheFile(folder(), real);
    const render = () => {
      const cache = loadRenderCache(file, 'program-1', real);
      synthesize({ environmentsDir: environments, distDir: dist, compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache });
      return { cache, units: [...cache.environments.values()].flatMap((entry) => [...entry.units.values()].map((unit) => unit.unit)) };
    };
    // Past the first run's last clock tick, a run stamps the files it could not (a file too
    // recent to stamp is compared by its bytes, made from its unit's objects), and saves them.
    await new Promise((resolve) => setTimeout(resolve, 120));
    saveRenderCache(file, render().cache, real);

    const { units: untouched } = render();
    expect(untouched.length).toBeGreaterThan(15);
    expect(untouched.filter((unit) => !objectsUnread(unit)).map((unit) => unit.path)).toEqual([]);

    edit('home.yaml', 'host: blog.example.org', 'host: journal.example.org');
    const { units: changed } = render();
    // wordpress's two units are rendered again; the cluster's policies read the other units of
    // cluster home (its entry among them), and nothing reads another cluster's.
    const read = changed.filter((unit) => !objectsUnread(unit)).map((unit) => unit.path);
    expect(read).toContain('home/home/apps/wordpress/prod');
    const ofHome = (path: string) => path.startsWith('home/home/') || path === 'home/clusters/home';
    expect(read.filter((path) => !ofHome(path))).toEqual([]);
    expect(changed.filter((unit) => unit.path.startsWith('fleet/')).every(objectsUnread)).toBe(true);
    expect(readTree(dist)).toEqual(uncached());
  });

  it('removes the JSON cache file an earlier version kept for the same output folder', async () => {
    const file = renderCacheFile(folder(), realOutputPath(join(root, 'dist')));
    const earlier = file.replace(/\.v8$/, '.json');
    mkdirSync(folder(), { recursive: true });
    writeFileSync(earlier, '{"format": 3}');
    await synth('program-1');
    expect(existsSync(file)).toBe(true);
    expect(existsSync(earlier)).toBe(false);
  });

  it('ignores a cache file another V8 wrote (its serializer\'s format is its own)', async () => {
    await synth('program-1');
    const file = renderCacheFile(folder(), realOutputPath(join(root, 'dist')));
    const { saved, jsons } = readCacheFile(file);
    writeCacheFile(file, serialize({ ...saved, engine: '0.0.0' }), [jsons], jsons.length);
    const { tree, progress } = await synth('program-1');
    expect(progress).not.toContain('from the render cache');
    expect(tree).toEqual(uncached());
  });

  it('does not save the cache file again when a run changed nothing it keeps, and saves it when one did', async () => {
    const file = () => renderCacheFile(folder(), realOutputPath(join(root, 'dist')));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 120));
    await synth('program-1');
    const saved = statSync(file()).ino;
    // The files the first run wrote in its last clock tick (racy) are found unchanged by their
    // bytes and stamped again: a refresh, not worth a save.
    await settle();
    const { tree } = await synth('program-1');
    expect(tree).toEqual(uncached());
    expect(statSync(file()).ino).toBe(saved);
    await synth('program-1');
    expect(statSync(file()).ino).toBe(saved);
    edit('home.yaml', 'host: blog.example.org', 'host: journal.example.org');
    await synth('program-1');
    expect(statSync(file()).ino).not.toBe(saved);
  });

  it('with --no-cache renders every unit and leaves the cache file as it was', async () => {
    await synth('program-1');
    const file = renderCacheFile(folder(), realOutputPath(join(root, 'dist')));
    const saved = readFileSync(file, 'utf8');
    edit('home.yaml', 'host: blog.example.org', 'host: journal.example.org');
    const { tree, progress } = await synth('program-1', composeUnits, ['--no-cache']);
    expect(progress).not.toContain('from the render cache');
    expect(tree).toEqual(uncached());
    expect(readFileSync(file, 'utf8')).toBe(saved);
  });

  it('keeps the runbook\'s blocks for the next run, a block with no text included', async () => {
    addRegions();
    await synth('program-1');
    edit('regions.yaml', 'host: keycloak.regions.example.org', 'host: sso.regions.example.org');
    const real = realOutputPath(join(root, 'dist'));
    // Text beyond ASCII (the runbook's dashes) comes back as it was.
    expect(readTree(join(root, 'dist')).get('regions/RUNBOOK.md')).toContain('—');
    const cache = loadRenderCache(renderCacheFile(folder(), real), 'program-1', real);
    synthesize({ environmentsDir: environments, distDir: join(root, 'dist'), compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache });
    expect(readTree(join(root, 'dist'))).toEqual(uncached());
    // mgmt of fleet.yaml places no app: its region-loss block is empty, and stays so through the file.
    expect(cache.lastBlocksReused).toBeGreaterThan(0);
    expect(cache.lastBlocksWritten.every((key) => key.endsWith('/west') || key === 'diagram/uk')).toBe(true);
  });

  it('gives back every read set as it was saved: each read, the sets it includes, the objects read', () => {
    const cache = new UnitCache('program-1');
    const dist = join(root, 'dist');
    synthesize({ environmentsDir: environments, distDir: dist, compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache });
    const real = realOutputPath(dist);
    const file = join(root, 'cache-file.v8');
    saveRenderCache(file, cache, real);
    expectSameReads(loadRenderCache(file, 'program-1', real), cache);
  });

  it('saves a loaded set again as it was loaded, beside the sets rendered since', () => {
    const dist = join(root, 'dist');
    const real = realOutputPath(dist);
    const render = (cache: UnitCache) => synthesize({ environmentsDir: environments, distDir: dist, compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache });
    const first = new UnitCache('program-1');
    render(first);
    saveRenderCache(join(root, 'first.v8'), first, real);
    const loaded = loadRenderCache(join(root, 'first.v8'), 'program-1', real);
    // A host changes, and redis's twin goes: units rendered anew between loaded ones, and a gap.
    edit('home.yaml', 'host: blog.example.org', 'host: journal.example.org');
    edit('home.yaml', 'dr: true               # an independent copy', 'dr: false              # an independent copy');
    render(loaded);
    expect(loaded.lastRendered).toContain('home/home/apps/wordpress/prod');
    expect([...(loaded.environments.get('home')?.units.keys() ?? [])]).not.toContain('home/home/apps/redis/dr');
    saveRenderCache(join(root, 'second.v8'), loaded, real);
    const again = loadRenderCache(join(root, 'second.v8'), 'program-1', real);
    expectSameReads(again, loaded);
    // A unit gone from between two loaded ones: the sets after it are not its.
    const home = again.environments.get('home');
    const middle = [...(home?.units.keys() ?? [])][3] as string;
    home?.units.delete(middle);
    saveRenderCache(join(root, 'third.v8'), again, real);
    const third = loadRenderCache(join(root, 'third.v8'), 'program-1', real).environments.get('home');
    expect(third?.units.has(middle)).toBe(false);
    for (const [path, unit] of home?.units ?? []) expect(described(third?.units.get(path)?.reads as ReadSet), path).toEqual(described(unit.reads));
  });

  it('gives back each unit\'s objects as they were: plain data through JSON, anything JSON would change as it was', () => {
    const cache = new UnitCache('program-1');
    const dist = join(root, 'dist');
    synthesize({ environmentsDir: environments, distDir: dist, compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache });
    const real = realOutputPath(dist);
    const entry = cache.environments.get('home');
    const [path, unit] = [...(entry?.units ?? [])][0] ?? [];
    if (entry === undefined || path === undefined || unit === undefined) throw new Error('expected a unit of home');
    const odd = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'odd' }, data: { kept: undefined, zero: -0 } };
    entry.units.set(path, { ...unit, unit: { ...unit.unit, objects: [...unit.unit.objects, odd] } });
    const file = join(root, 'cache-file.v8');
    saveRenderCache(file, cache, real);
    const loaded = loadRenderCache(file, 'program-1', real);
    for (const [name, environment] of cache.environments) {
      for (const [unitPath, saved] of environment.units) expect(loaded.environments.get(name)?.units.get(unitPath)?.unit, unitPath).toStrictEqual(saved.unit);
    }
    const back = loaded.environments.get('home')?.units.get(path)?.unit.objects.at(-1) as unknown as typeof odd;
    expect('kept' in back.data).toBe(true);
    expect(Object.is(back.data.zero, -0)).toBe(true);
  });

  it('gives back every file stamp as it was (a unit file\'s with the content of its loaded layout, another\'s by its digest), and the paths that passed the checks', async () => {
    const cache = new UnitCache('program-1');
    const dist = join(root, 'dist');
    const render = () => synthesize({ environmentsDir: environments, distDir: dist, compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache });
    render();
    // Past the first render's last clock tick, the next stamps the files it could not.
    await new Promise((resolve) => setTimeout(resolve, 120));
    render();
    const real = realOutputPath(dist);
    const file = join(root, 'cache-file.v8');
    saveRenderCache(file, cache, real);
    const loaded = loadRenderCache(file, 'program-1', real);
    const loadedFiles = new Map([...loaded.environments.values()].flatMap((entry) => [...entry.units.values()].flatMap((unit) => unit.layout.placed.map((placed) => [placed.path, placed.content] as const))));
    const stats = (stamp: Stamp | undefined) => stamp && [stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, stamp.mode];
    const saved = [...cache.stamps(real).entries()];
    expect(saved.length).toBe(readTree(dist).size);
    for (const [path, stamp] of saved) {
      const back = loaded.stamps(real).stampOf(path);
      expect(stats(back), path).toEqual(stats(stamp));
      if (loadedFiles.has(path)) expect(back?.content, path).toBe(loadedFiles.get(path));
      else expect(back?.content, path).toEqual({ digest: digestOf(stamp.content as Content) });
    }
    expect([...loaded.stamps(real).entries()].length).toBe(saved.length);
    // And the paths that passed the writer's checks, with the folders they keep: a loaded run skips the checks of the same paths.
    const passed = cache.stamps(real).checked.saved();
    expect(passed?.paths.size).toBe(readTree(dist).size);
    expect(loaded.stamps(real).checked.saved()).toEqual(passed);
  });

  it('keeps the stat worker\'s list of paths and each file\'s and folder\'s place in it, so that a loaded run places no path', () => {
    const cache = new UnitCache('program-1');
    const dist = join(root, 'dist');
    synthesize({ environmentsDir: environments, distDir: dist, compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache });
    const real = realOutputPath(dist);
    const stamps = cache.stamps(real);
    // Enough stamps for a worker to be asked (5,000): the rendered files', and as many others as they need.
    for (let i = 0; [...stamps.entries()].length < 5_000; i += 1) stamps.restore(`elsewhere/file-${i}.yaml`, { content: 'kind: A\n', size: 8, mtimeMs: 1, ctimeMs: 1, ino: 1, mode: 0o100644 });
    stamps.prefetch();
    const placed = stamps.placedPaths();
    expect(placed?.all).toBe(5_000 + [...stamps.folders.entries()].length);
    const file = join(root, 'cache-file.v8');
    saveRenderCache(file, cache, real);
    const loaded = loadRenderCache(file, 'program-1', real).stamps(real);
    const back = loaded.placedPaths();
    expect(back && Buffer.from(back.bytes).equals(Buffer.from(placed?.bytes ?? []))).toBe(true);
    expect([back?.folders, back?.all]).toEqual([placed?.folders, placed?.all]);
    const slots = (entries: Iterable<[string, { readonly slot: number }]>) => [...entries].map(([path, stamp]) => [path, stamp.slot]).sort(([a], [b]) => String(a).localeCompare(String(b)));
    expect(slots(loaded.entries())).toEqual(slots(stamps.entries()));
    expect(slots(loaded.folders.entries())).toEqual(slots(stamps.folders.entries()));
    expect(slots(loaded.entries()).every(([, slot]) => slot !== -1)).toBe(true);
    loaded.prefetch();
    expect(loaded.placedPaths()).toBe(back);
  });

  it('keeps the order of each environment\'s files, so that a loaded run lays them out without checking every path again', () => {
    const cache = new UnitCache('program-1');
    const dist = join(root, 'dist');
    synthesize({ environmentsDir: environments, distDir: dist, compose: composeUnits, catalog: APP_CATALOG, projectDir: root, cache });
    const real = realOutputPath(dist);
    const file = join(root, 'cache-file.v8');
    saveRenderCache(file, cache, real);
    const loaded = loadRenderCache(file, 'program-1', real);
    for (const [name, entry] of cache.environments) {
      const back = loaded.environments.get(name);
      expect(entry.layout.order, name).toBeDefined();
      expect(back?.layout.order, name).toEqual(entry.layout.order);
      expect(back?.layout.documents, name).toEqual(['RUNBOOK.md'].map((document) => `${name}/${document}`));
      // The memo is of the loaded units' layouts, in their order.
      const layouts = [...(back?.units.values() ?? [])].map((unit) => unit.layout);
      expect(back?.layout.units.length, name).toBe(layouts.length);
      back?.layout.units.forEach((layout, i) => expect(layout).toBe(layouts[i]));
    }
  });

  it('keeps the environment it rendered, so that a loaded run settles the reads of unchanged parts by identity', async () => {
    await synth('program-1');
    const real = realOutputPath(join(root, 'dist'));
    const cache = loadRenderCache(renderCacheFile(folder(), real), 'program-1', real);
    const home = loadEnvironment(join(environments, 'home.yaml'), { knownApps: APP_CATALOG });
    const shared = cache.share(home);
    // The same file loads as the same data: the environment the cache file kept, frozen.
    expect(shared).not.toBe(home);
    expect(Object.isFrozen(shared.clusters[0])).toBe(true);
    const resolve = (path: readonly string[]) => path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], shared);
    let checked = 0;
    const units = [...(cache.environments.get('home')?.units.values() ?? [])];
    expect(units).toHaveLength(15);
    for (const unit of units) {
      expect(unit.reads.everyRead(resolve, () => ((checked += 1), false))).toBe(true);
    }
    expect(checked).toBe(0);
  });

  it('reports a problem across environments with the positions in every file, as without the cache', async () => {
    await synth('program-1');
    const real = realOutputPath(join(root, 'dist'));
    const cache = loadRenderCache(renderCacheFile(folder(), real), 'program-1', real);
    // A second lab publishing home's hosts: home is unchanged, so the loaded cache holds what it parsed to.
    writeFileSync(join(environments, 'lab.yaml'), readFileSync(join(environments, 'home.yaml')));
    const failure = (withCache: boolean) => {
      try {
        loadEnvironments(environmentFiles(environments), APP_CATALOG, withCache ? cache : undefined);
      } catch (error) {
        return error instanceof ConfigError ? error.problems : error;
      }
      return 'no problem';
    };
    const uncachedProblems = failure(false);
    expect(JSON.stringify(uncachedProblems)).toContain('(home.yaml:96:15, the host of wordpress)');
    expect(failure(true)).toEqual(uncachedProblems);
  });

  it('keeps what each environment file parses to, so that a loaded run does not parse an unchanged file again', async () => {
    await synth('program-1');
    const real = realOutputPath(join(root, 'dist'));
    const cache = loadRenderCache(renderCacheFile(folder(), real), 'program-1', real);
    const loaded = loadEnvironments(environmentFiles(environments), APP_CATALOG, cache);
    const kept = new Map(cache.sharedData());
    expect(loaded.map((env) => env.name).sort()).toEqual(['fleet', 'home']);
    for (const env of loaded) expect(env, env.name).toBe(kept.get(env.name));
  });

  it('keeps a digest, not the text, of each file no unit holds (the runbook), and still finds an edit of it', async () => {
    await synth('program-1');
    // Past the first run's last clock tick (its files were too recent to stamp), another
    // environment changes: the run saves, with the stamp of home's runbook.
    await new Promise((resolve) => setTimeout(resolve, 120));
    edit('fleet.yaml', 'state: standby', 'state: active');
    await synth('program-1');
    const real = realOutputPath(join(root, 'dist'));
    const file = renderCacheFile(folder(), real);
    const runbookFile = join(root, 'dist/home/RUNBOOK.md');
    const runbook = readFileSync(runbookFile, 'utf8');
    const { saved } = readCacheFile(file);
    const stamp = saved.stamps.find(([path]) => path === 'home/RUNBOOK.md');
    expect(stamp?.[1]).toBe(createHash('sha256').update(runbook).digest('base64'));
    expect(readFileSync(file).includes(Buffer.from(runbook.slice(0, 200)))).toBe(false);
    // Held by its digest and its stat: not written again.
    const written = statSync(runbookFile);
    await synth('program-1');
    expect(statSync(runbookFile).mtimeMs).toBe(written.mtimeMs);
    expect(statSync(runbookFile).ino).toBe(written.ino);
    // Edited to the same size: the next run finds it changed and writes it back.
    writeFileSync(runbookFile, runbook.replace('#', '%'));
    const { tree } = await synth('program-1');
    expect(tree.get('home/RUNBOOK.md')).toBe(runbook);
  });

  it('after an environment value and a deleted dist/ file, matches a render without it', async () => {
    await synth('program-1');
    edit('fleet.yaml', 'state: standby', 'state: active');
    rmSync(join(root, 'dist/home/RUNBOOK.md'));
    const { tree } = await synth('program-1');
    expect(tree).toEqual(uncached());
  });
});
