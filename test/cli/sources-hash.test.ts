/**
 * The launcher's sources hash answers from the files' stats when none changed since the last
 * hash (lib/build/sources-hash.mjs `stampedSourcesHash`), and hashes the files whenever one
 * changed, came, went, or changed too recently for its stat to be trusted.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOURCES_STAMPS_FILE, sourcesHash, stampedSourcesHash } from '../../lib/build/sources-hash.mjs';

let root: string;
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-sources-'));
  write('bin/program.ts', 'export const program = 1;\n');
  write('lib/render/yaml.ts', 'export const yaml = 1;\n');
  write('charts/apps/redis.json', '{ "port": 6379 }\n');
  write('tsconfig.json', '{}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const stampsFile = () => join(root, SOURCES_STAMPS_FILE);
/** The kept hash replaced by a marker: a hash answered from the stats gives the marker back. */
const mark = () => {
  const stamps = JSON.parse(readFileSync(stampsFile(), 'utf8'));
  writeFileSync(stampsFile(), JSON.stringify({ ...stamps, hash: 'answered-from-the-stats' }));
};
/** Past the window in which a file's stat is not trusted (50 ms). */
const settle = () => sleep(120);

describe('stampedSourcesHash', () => {
  it('is the hash of the files, and keeps it with their stats once they are older than the clock\'s grain', async () => {
    await settle();
    expect(stampedSourcesHash(root)).toBe(sourcesHash(root));
    expect(JSON.parse(readFileSync(stampsFile(), 'utf8')).hash).toBe(sourcesHash(root));
    mark();
    expect(stampedSourcesHash(root)).toBe('answered-from-the-stats');
  });

  it.each([
    ['a file edited to the same size', () => write('lib/render/yaml.ts', 'export const yaml = 2;\n')],
    ['a file added', () => write('charts/apps/cache.ts', 'export const cache = 1;\n')],
    ['a file removed', () => rmSync(join(root, 'charts/apps/redis.json'))],
    ['a settings file created', () => write('tsconfig.synth.json', '{}\n')],
  ])('hashes the files again after %s', async (_, change) => {
    await settle();
    stampedSourcesHash(root);
    mark();
    change();
    expect(stampedSourcesHash(root)).toBe(sourcesHash(root));
  });

  it('keeps no stats of a file changed too recently to be trusted, and keeps them once it is older', async () => {
    await settle();
    stampedSourcesHash(root);
    mark();
    write('lib/render/yaml.ts', 'export const yaml = 2;\n');
    // Hashed at once: the edit is within the clock's grain, so its stat is not kept.
    expect(stampedSourcesHash(root)).toBe(sourcesHash(root));
    expect(JSON.parse(readFileSync(stampsFile(), 'utf8')).hash).toBe('answered-from-the-stats');
    await settle();
    expect(stampedSourcesHash(root)).toBe(sourcesHash(root));
    expect(JSON.parse(readFileSync(stampsFile(), 'utf8')).hash).toBe(sourcesHash(root));
  });

  it('hashes the files when the kept stats cannot be read, and without a place to keep them', async () => {
    await settle();
    mkdirSync(dirname(stampsFile()), { recursive: true });
    writeFileSync(stampsFile(), '{ not json');
    expect(stampedSourcesHash(root)).toBe(sourcesHash(root));
    rmSync(join(root, 'node_modules'), { recursive: true });
    // node_modules a file: nothing can be kept below it.
    writeFileSync(join(root, 'node_modules'), '');
    expect(stampedSourcesHash(root)).toBe(sourcesHash(root));
    expect(existsSync(stampsFile())).toBe(false);
  });
});
