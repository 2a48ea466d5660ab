/**
 * Folder stamps (lib/render/folder-stamps.ts) never change what a write does: after each kind of
 * hand edit of an output folder, a write with stamps writes, removes and leaves on disk exactly
 * what a write without them does in a copy of the folder edited the same way.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realOutputPath } from '../../lib/render/output-paths';
import { UnitCache } from '../../lib/render/unit-cache';
import { loadRenderCache, renderCacheFile, saveRenderCache } from '../../lib/render/unit-cache-file';
import { FileStamps, writeTree } from '../../lib/render/write';
import { snapshot } from '../support/snapshot';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-folder-stamps-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const files = new Map([
  ['home/RUNBOOK.md', '# Runbook\n'],
  ['home/home/apps/wordpress/prod/kustomization.yaml', 'resources:\n- service-wordpress.yaml\n'],
  ['home/home/apps/wordpress/prod/service-wordpress.yaml', 'kind: Service\n'],
  ['home/home/apps/wordpress/dr/kustomization.yaml', 'resources: []\n'],
]);

/** Waits past the racy window, so that the stamps of the last write are trusted (not read again). */
const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120);

/** Two output folders rendered alike: `stamped` written with stamps, `plain` without. */
function twoRenders() {
  const stamped = join(root, 'stamped');
  const plain = join(root, 'plain');
  const stamps = new FileStamps(realOutputPath(stamped));
  writeTree(stamped, files, { stamps });
  writeTree(plain, files);
  // A second write, past the racy window, stamps every folder as a render after a small change finds them.
  settle();
  writeTree(stamped, files, { stamps });
  const both = (edit: (dist: string) => void) => [stamped, plain].forEach(edit);
  const compare = (produced: ReadonlyMap<string, string> = files) => {
    const withStamps = writeTree(stamped, produced, { stamps });
    const without = writeTree(plain, produced);
    expect(withStamps).toEqual(without);
    expect(snapshot(stamped)).toEqual(snapshot(plain));
    return withStamps;
  };
  return { stamped, plain, stamps, both, compare };
}

describe('folder stamps', () => {
  it('reuse the files of the last tree, patched where a listing changed', () => {
    const { stamps, stamped } = twoRenders();
    expect([...stamps.folders.entries()].map(([folder]) => folder).sort()).toEqual(['', 'home', 'home/home', 'home/home/apps', 'home/home/apps/wordpress', 'home/home/apps/wordpress/dr', 'home/home/apps/wordpress/prod']);
    const first = stamps.folders.tree();
    const files = [...(first?.entries.keys() ?? [])].sort();
    expect(stamps.folders.tree()?.entries).toBe(first?.entries);
    writeFileSync(join(stamped, 'home/home/apps/wordpress/prod/orphan.yaml'), 'kind: ConfigMap\n');
    rmSync(join(stamped, 'home/home/apps/wordpress/dr'), { recursive: true });
    const patched = stamps.folders.tree();
    expect([...(patched?.entries.keys() ?? [])].sort()).toEqual(
      [...files.filter((path) => !path.startsWith('home/home/apps/wordpress/dr/')), 'home/home/apps/wordpress/prod/orphan.yaml'].sort(),
    );
    expect(patched?.folders).not.toContain('home/home/apps/wordpress/dr');
  });

  it('still see a file added by hand to a rendered folder, and remove it', () => {
    const { both, compare } = twoRenders();
    both((dist) => writeFileSync(join(dist, 'home/home/apps/wordpress/prod/orphan.yaml'), 'kind: ConfigMap\n'));
    expect(compare().removed).toEqual(['home/home/apps/wordpress/prod/orphan.yaml']);
  });

  it('still see a file added by hand right after a write (maybe in the same clock tick), and remove it', () => {
    const { stamped, stamps } = twoRenders();
    writeTree(stamped, new Map([...files, ['home/home/apps/wordpress/prod/new.yaml', 'kind: Secret\n']]), { stamps });
    writeFileSync(join(stamped, 'home/home/apps/wordpress/prod/orphan.yaml'), 'kind: ConfigMap\n');
    expect(writeTree(stamped, files, { stamps }).removed).toEqual(['home/home/apps/wordpress/prod/new.yaml', 'home/home/apps/wordpress/prod/orphan.yaml']);
  });

  it('still see a folder made by hand, and remove it with its files', () => {
    const { both, compare } = twoRenders();
    both((dist) => {
      mkdirSync(join(dist, 'home/home/apps/extra/prod'), { recursive: true });
      writeFileSync(join(dist, 'home/home/apps/extra/prod/kustomization.yaml'), 'resources: []\n');
      mkdirSync(join(dist, 'home/empty'));
    });
    expect(compare().removed).toEqual(['home/home/apps/extra/prod/kustomization.yaml']);
  });

  it('still see a file replaced by a folder, and by a link', () => {
    const { both, compare } = twoRenders();
    both((dist) => {
      rmSync(join(dist, 'home/RUNBOOK.md'));
      mkdirSync(join(dist, 'home/RUNBOOK.md'));
      writeFileSync(join(dist, 'home/RUNBOOK.md/inside.md'), 'hand made\n');
      rmSync(join(dist, 'home/home/apps/wordpress/dr/kustomization.yaml'));
      symlinkSync('../prod/kustomization.yaml', join(dist, 'home/home/apps/wordpress/dr/kustomization.yaml'));
    });
    expect(compare()).toEqual({ written: 2, unchanged: 3, removed: ['home/RUNBOOK.md/inside.md'] });
  });

  it('still see a folder the write no longer needs, and a produced file removed by hand', () => {
    const { both, compare } = twoRenders();
    both((dist) => rmSync(join(dist, 'home/home/apps/wordpress/prod/service-wordpress.yaml')));
    const fewer = new Map([...files].filter(([path]) => !path.includes('/prod/')));
    expect(compare(fewer).removed).toEqual(['home/home/apps/wordpress/prod/kustomization.yaml']);
    expect(compare()).toEqual({ written: 2, unchanged: 3, removed: [] });
  });

  it('survive the cache file, and still see a hand edit made between two runs', () => {
    const { stamped, plain, stamps } = twoRenders();
    const real = realOutputPath(stamped);
    const cache = new UnitCache('program');
    for (const [path, stamp] of stamps.entries()) cache.stamps(real).restore(path, stamp);
    for (const [folder, stamp] of stamps.folders.entries()) cache.stamps(real).folders.restore(folder, stamp);
    const file = renderCacheFile(join(root, 'cache'), real);
    saveRenderCache(file, cache, real);
    const loaded = loadRenderCache(file, 'program', real).stamps(real);
    expect([...loaded.folders.entries()].map(([folder]) => folder).sort()).toEqual([...stamps.folders.entries()].map(([folder]) => folder).sort());
    writeFileSync(join(stamped, 'home/orphan.md'), 'hand made\n');
    expect(writeTree(stamped, files, { stamps: loaded })).toEqual({ written: 0, unchanged: 5, removed: ['home/orphan.md'] });
    expect(snapshot(stamped)).toEqual(snapshot(plain));
  });
});
