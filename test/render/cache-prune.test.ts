import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderNoteOf, noteOutputFolder, pruneRenderCaches, tidyRenderCaches } from '../../lib/render/cache-prune';
import { renderCacheFile, saveRenderCache } from '../../lib/render/unit-cache-file';
import { UnitCache } from '../../lib/render/unit-cache';

let root: string;
let caches: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-prune-'));
  caches = join(root, 'cache');
  mkdirSync(caches);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A pid no process has: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** A cache file for the output folder `outputFolder`, with its note unless `noted` is false. */
function cacheFor(outputFolder: string, noted = true): string {
  const file = renderCacheFile(caches, outputFolder);
  writeFileSync(file, 'cache');
  if (noted) noteOutputFolder(file, outputFolder);
  return file;
}

describe('pruneRenderCaches', () => {
  it('removes the cache files of output folders that are gone, those without a note and dead temporaries', () => {
    const live = join(root, 'dist');
    const other = join(root, 'other-dist');
    mkdirSync(live);
    mkdirSync(other);
    const kept = cacheFor(live);
    const otherFile = cacheFor(other);
    const goneFile = cacheFor(join(root, 'removed-dist'));
    const legacy = cacheFor(join(root, 'legacy-dist'), false);
    const legacyJson = legacy.replace(/\.v8$/, '.json');
    writeFileSync(legacyJson, '{}');
    const deadTemporary = `${otherFile}.${deadPid()}`;
    const liveTemporary = `${otherFile}.${process.pid}`;
    writeFileSync(deadTemporary, 'half');
    writeFileSync(liveTemporary, 'in progress');
    // The spares the saves keep: of a live output folder, kept; of a gone one, removed; a spare being kept by a dead save, removed.
    const keptSpare = `${kept}.spare`;
    const goneSpare = `${goneFile}.spare`;
    const deadSpareTemporary = `${otherFile}.spare.${deadPid()}`;
    for (const file of [keptSpare, goneSpare, deadSpareTemporary]) writeFileSync(file, 'cache');
    writeFileSync(join(caches, 'README.txt'), 'not ours');

    const removed = pruneRenderCaches(kept);

    const name = (file: string) => file.slice(caches.length + 1);
    expect(removed).toEqual([name(deadTemporary), name(deadSpareTemporary), name(goneFile), name(goneSpare), name(folderNoteOf(goneFile)), name(legacyJson), name(legacy)].sort());
    expect(readdirSync(caches).sort()).toEqual(
      [name(kept), name(keptSpare), name(folderNoteOf(kept)), name(otherFile), name(folderNoteOf(otherFile)), name(liveTemporary), 'README.txt'].sort(),
    );
  });

  it('keeps the file just saved even when its output folder is not there', () => {
    const kept = cacheFor(join(root, 'not-yet'));
    expect(pruneRenderCaches(kept)).toEqual([]);
    expect(existsSync(kept)).toBe(true);
  });

  it('is run by every save, which notes the output folder of the file it writes', () => {
    const live = join(root, 'dist');
    mkdirSync(live);
    const goneFile = cacheFor(join(root, 'removed-dist'));
    const file = renderCacheFile(caches, live);
    saveRenderCache(file, new UnitCache('code'), live);
    expect(readFileSync(folderNoteOf(file), 'utf8')).toBe(live);
    expect(existsSync(goneFile)).toBe(false);
    expect(existsSync(folderNoteOf(goneFile))).toBe(false);
  });

  it('tidying a cache folder that does not exist yet does nothing', () => {
    expect(() => tidyRenderCaches(join(root, 'no-cache-yet', 'abc.v8'))).not.toThrow();
    expect(existsSync(join(root, 'no-cache-yet'))).toBe(false);
  });
});
