import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeChanges, WriteError, writeTree } from '../../lib/render/write';

let root: string;
let dist: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-write-'));
  dist = join(root, 'dist');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Every file below `folder` (relative path → content) and every folder, sorted. */
function snapshot(folder: string): { files: Record<string, string>; folders: string[] } {
  const files: Record<string, string> = {};
  const folders: string[] = [];
  const visit = (path: string, prefix: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const relative = prefix + entry.name;
      if (entry.isDirectory()) {
        folders.push(relative);
        visit(join(path, entry.name), `${relative}/`);
      } else {
        files[relative] = readFileSync(join(path, entry.name), 'utf8');
      }
    }
  };
  visit(folder, '');
  return { files, folders: folders.sort() };
}

const tree = new Map([
  ['home/RUNBOOK.md', '# Runbook\n'],
  ['home/home/apps/wordpress/prod/kustomization.yaml', 'resources:\n- service-wordpress.yaml\n'],
  ['home/home/apps/wordpress/prod/service-wordpress.yaml', 'kind: Service\n'],
  ['home/home/apps/wordpress/dr/kustomization.yaml', 'resources: []\n'],
]);

const fluxOwned = (path: string): boolean => path.startsWith('home/clusters/home/flux-system/');

describe('writeTree', () => {
  it('creates every file, with its exact content and mode 0644, and its missing parent folders', () => {
    const nested = join(root, 'a', 'b', 'dist');
    const result = writeTree(nested, tree);

    expect(result).toEqual({ written: 4, unchanged: 0, removed: [] });
    expect(snapshot(nested).files).toEqual(Object.fromEntries(tree));
    expect(statSync(join(nested, 'home/RUNBOOK.md')).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('reports nothing written when the tree is already there', () => {
    writeTree(dist, tree);

    expect(writeTree(dist, tree)).toEqual({ written: 0, unchanged: 4, removed: [] });
    expect(snapshot(dist).files).toEqual(Object.fromEntries(tree));
  });

  it('counts changed bytes as written', () => {
    writeTree(dist, tree);
    const next = new Map(tree).set('home/RUNBOOK.md', '# Runbook, again\n');

    expect(writeTree(dist, next)).toEqual({ written: 1, unchanged: 3, removed: [] });
    expect(readFileSync(join(dist, 'home/RUNBOOK.md'), 'utf8')).toBe('# Runbook, again\n');
  });

  it('rewrites a file with the same bytes that was made executable', () => {
    writeTree(dist, tree);
    chmodSync(join(dist, 'home/RUNBOOK.md'), 0o755);

    expect(writeTree(dist, tree)).toEqual({ written: 1, unchanged: 3, removed: [] });
    expect(statSync(join(dist, 'home/RUNBOOK.md')).mode & 0o111).toBe(0);
  });

  it('removes files no longer produced, reports them sorted, and leaves no empty folder', () => {
    writeTree(dist, tree);
    writeFileSync(join(dist, 'home/stray.txt'), 'left by hand\n');
    const next = new Map(tree);
    next.delete('home/home/apps/wordpress/dr/kustomization.yaml');
    next.delete('home/home/apps/wordpress/prod/service-wordpress.yaml');

    expect(writeTree(dist, next)).toEqual({
      written: 0,
      unchanged: 2,
      removed: ['home/home/apps/wordpress/dr/kustomization.yaml', 'home/home/apps/wordpress/prod/service-wordpress.yaml', 'home/stray.txt'],
    });
    const after = snapshot(dist);
    expect(after.files).toEqual(Object.fromEntries(next));
    expect(after.folders).toEqual(['home', 'home/home', 'home/home/apps', 'home/home/apps/wordpress', 'home/home/apps/wordpress/prod']);
  });

  it('keeps preserved files as they are and never reports them', () => {
    mkdirSync(join(dist, 'home/clusters/home/flux-system'), { recursive: true });
    writeFileSync(join(dist, 'home/clusters/home/flux-system/gotk-sync.yaml'), 'written by flux bootstrap\n');

    expect(writeTree(dist, tree, { preserve: fluxOwned })).toEqual({ written: 4, unchanged: 0, removed: [] });
    expect(writeTree(dist, tree, { preserve: fluxOwned })).toEqual({ written: 0, unchanged: 4, removed: [] });
    expect(readFileSync(join(dist, 'home/clusters/home/flux-system/gotk-sync.yaml'), 'utf8')).toBe('written by flux bootstrap\n');
  });

  it('refuses to produce a preserved file and writes nothing', () => {
    writeTree(dist, tree);
    mkdirSync(join(dist, 'home/clusters/home/flux-system'), { recursive: true });
    writeFileSync(join(dist, 'home/clusters/home/flux-system/gotk-sync.yaml'), 'flux\n');
    const before = snapshot(dist);
    const next = new Map(tree).set('home/clusters/home/flux-system/gotk-sync.yaml', 'twinops\n');

    expect(() => writeTree(dist, next, { preserve: fluxOwned })).toThrow(
      'home/clusters/home/flux-system/gotk-sync.yaml is produced but preserved as someone else\'s file',
    );
    expect(snapshot(dist)).toEqual(before);
  });

  it('leaves the previous tree byte-identical and no temporary folder when it fails before the swap', () => {
    writeTree(dist, tree);
    mkdirSync(join(dist, 'home/clusters/home/flux-system'), { recursive: true });
    writeFileSync(join(dist, 'home/clusters/home/flux-system/gotk-sync.yaml'), 'flux\n');
    const before = snapshot(dist);
    // The render wants a file where a preserved file needs a folder: fails while copying.
    const clash = new Map(tree).set('home/clusters/home/flux-system', 'not a folder\n');

    expect(() => writeTree(dist, clash, { preserve: fluxOwned })).toThrow(WriteError);
    expect(snapshot(dist)).toEqual(before);
    expect(readdirSync(root)).toEqual(['dist']);

    const changed = new Map(tree).set('home/RUNBOOK.md', 'new\n');
    expect(() =>
      writeTree(dist, changed, {
        onProgress: () => {
          throw new Error('interrupted');
        },
      }),
    ).toThrow(/^cannot write .*dist: interrupted; dist is unchanged$/);
    expect(snapshot(dist)).toEqual(before);
    expect(readdirSync(root)).toEqual(['dist']);
  });

  it('rejects bad paths and files that other paths need as folders, writing nothing', () => {
    const bad = new Map([
      ['../escape.yaml', ''],
      ['/abs.yaml', ''],
      ['a', ''],
      ['a/b.yaml', ''],
    ]);

    expect(() => writeTree(dist, bad)).toThrow(
      [
        `cannot write ${dist}:`,
        '  "../escape.yaml" has a ".." segment',
        '  "/abs.yaml" is absolute; expected a path relative to dist/',
        '  a is a file but a/b.yaml needs it as a folder',
      ].join('\n'),
    );
    expect(existsSync(dist)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it('reports progress over produced and preserved files, ending at the total', () => {
    mkdirSync(join(dist, 'home/clusters/home/flux-system'), { recursive: true });
    writeFileSync(join(dist, 'home/clusters/home/flux-system/gotk-sync.yaml'), 'flux\n');
    const calls: [number, number][] = [];

    writeTree(dist, tree, { preserve: fluxOwned, onProgress: (done, total) => calls.push([done, total]) });

    expect(calls).toEqual([[5, 5]]);
  });

  it('leaves no .twinops-* folder behind after success', () => {
    writeTree(dist, tree);
    writeTree(dist, new Map(tree).set('home/new.md', 'x\n'));
    writeTree(dist, new Map());

    expect(readdirSync(root)).toEqual(['dist']);
    expect(readdirSync(dist)).toEqual([]);
  });
});

describe('computeChanges', () => {
  it('lists added, changed, removed and unchanged paths, sorted, without writing', () => {
    writeTree(dist, tree);
    mkdirSync(join(dist, 'home/clusters/home/flux-system'), { recursive: true });
    writeFileSync(join(dist, 'home/clusters/home/flux-system/gotk-sync.yaml'), 'flux\n');
    const before = snapshot(dist);
    const next = new Map(tree)
      .set('home/RUNBOOK.md', 'changed\n')
      .set('home/b.md', 'new\n')
      .set('home/a.md', 'new\n');
    next.delete('home/home/apps/wordpress/dr/kustomization.yaml');

    expect(computeChanges(dist, next, fluxOwned)).toEqual({
      added: ['home/a.md', 'home/b.md'],
      changed: ['home/RUNBOOK.md'],
      removed: ['home/home/apps/wordpress/dr/kustomization.yaml'],
      unchanged: ['home/home/apps/wordpress/prod/kustomization.yaml', 'home/home/apps/wordpress/prod/service-wordpress.yaml'],
    });
    expect(snapshot(dist)).toEqual(before);
  });

  it('treats a missing folder as empty', () => {
    expect(computeChanges(dist, tree)).toEqual({ added: [...tree.keys()].sort(), changed: [], removed: [], unchanged: [] });
  });
});
