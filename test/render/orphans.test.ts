import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrphanedBootstraps, orphanedBootstrapWarning } from '../../lib/render/orphans';
import { twinops } from '../support/cli';
import { readTree, scratchProject } from '../support/tree';

let project: ReturnType<typeof scratchProject>;
afterEach(() => project?.cleanup());

/** What `flux bootstrap` commits into an entry folder (content abridged, bytes are what matter). */
const BOOTSTRAP_FILES = {
  'gotk-components.yaml': '# Flux components, written by flux bootstrap\n',
  'gotk-sync.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  path: ./dist/home/clusters/home\n',
  'kustomization.yaml': 'resources:\n- gotk-components.yaml\n- gotk-sync.yaml\n',
};

function bootstrap(entry: string): void {
  mkdirSync(join(project.dist, entry, 'flux-system'), { recursive: true });
  for (const [name, content] of Object.entries(BOOTSTRAP_FILES)) writeFileSync(join(project.dist, entry, 'flux-system', name), content);
}

const filesUnder = (folder: string) => [...readTree(join(project.dist, folder)).entries()];

const renameCluster = (from: string, to: string) => {
  const file = join(project.environments, 'home.yaml');
  const text = readFileSync(file, 'utf8');
  const renamed = text.replace(`  - name: ${from}\n`, `  - name: ${to}\n`);
  expect(renamed).not.toBe(text);
  writeFileSync(file, renamed);
};

const WARNING_HOME =
  "twinops synth: warning: dist/home/clusters/home/ holds flux-system/ but no environment renders that cluster entry any more " +
  '(environment or cluster renamed or removed); flux-system/ was kept, the rest removed. Do not push this as it is: Flux on ' +
  'that cluster still reads this folder and would prune every unit. Renamed: git mv dist/home/clusters/home/flux-system into ' +
  'the new entry folder, run npm run synth again, push, then re-run flux bootstrap with --path at the new entry. Removed: run ' +
  "flux uninstall on that cluster first, then delete dist/home/clusters/home/ by hand. See README \"Bootstrap Flux at a cluster's entry folder\".\n";

describe('findOrphanedBootstraps', () => {
  it('lists entry folders holding a flux-system folder that no rendered cluster has, sorted', () => {
    project = scratchProject();
    for (const entry of ['home/clusters/home', 'home/clusters/old', 'gone/clusters/b', 'gone/clusters/a']) bootstrap(entry);
    mkdirSync(join(project.dist, 'home/clusters/never-bootstrapped'), { recursive: true });
    mkdirSync(join(project.dist, 'odd/clusters/file'), { recursive: true });
    writeFileSync(join(project.dist, 'odd/clusters/file/flux-system'), 'a file, not the folder flux bootstrap writes\n');
    expect(findOrphanedBootstraps(project.dist, new Set(['home/clusters/home']))).toEqual(['gone/clusters/a', 'gone/clusters/b', 'home/clusters/old']);
  });

  it('finds nothing in a missing output folder', () => {
    project = scratchProject();
    expect(findOrphanedBootstraps(join(project.dist, 'absent'), new Set())).toEqual([]);
  });
});

describe('orphanedBootstrapWarning', () => {
  it('names the folder, the danger, and what to do for a rename and a removal', () => {
    expect(`twinops synth: ${orphanedBootstrapWarning('dist/home/clusters/home')}\n`).toBe(WARNING_HOME);
  });
});

describe('synth with a flux-system folder left behind', () => {
  it('keeps the old flux-system files byte for byte after a cluster rename, warns, and exits 0', async () => {
    project = scratchProject();
    expect((await twinops(project.root, ['synth'])).code).toBe(0);
    bootstrap('home/clusters/home');
    const lists = await twinops(project.root, ['synth']);
    expect(lists.stderr).not.toContain('warning');
    expect(readFileSync(join(project.dist, 'home/clusters/home/kustomization.yaml'), 'utf8')).toContain('\n- flux-system\n');
    const before = filesUnder('home/clusters/home/flux-system');

    renameCluster('home', 'house');
    const renamed = await twinops(project.root, ['synth']);
    expect(renamed.code).toBe(0);
    expect(renamed.stderr.split('\n').filter((line) => line.includes('warning'))).toEqual([WARNING_HOME.trimEnd()]);
    expect(filesUnder('home/clusters/home/flux-system')).toEqual(before);
    // Everything twinops wrote in the old entry is gone; only flux bootstrap's folder is left.
    expect(filesUnder('home/clusters/home').map(([path]) => path)).toEqual(Object.keys(BOOTSTRAP_FILES).map((name) => join('flux-system', name)));
    expect(readFileSync(join(project.dist, 'home/clusters/house/kustomization.yaml'), 'utf8')).not.toContain('flux-system');

    // The warning stays until the folder is dealt with; moving it (as the warning says) ends it.
    expect((await twinops(project.root, ['synth'])).stderr).toContain(WARNING_HOME);
    renameSync(join(project.dist, 'home/clusters/home/flux-system'), join(project.dist, 'home/clusters/house/flux-system'));
    const moved = await twinops(project.root, ['synth']);
    expect(moved.code).toBe(0);
    expect(moved.stderr).not.toContain('warning');
    expect(readFileSync(join(project.dist, 'home/clusters/house/kustomization.yaml'), 'utf8')).toContain('\n- flux-system\n');
    expect(filesUnder('home/clusters/house/flux-system')).toEqual(before);
  });

  it('keeps the flux-system folder of a removed environment and names it', async () => {
    project = scratchProject();
    bootstrap('home/clusters/home');
    expect((await twinops(project.root, ['synth'])).code).toBe(0);
    const before = filesUnder('home/clusters/home/flux-system');
    renameSync(join(project.environments, 'home.yaml'), join(project.environments, 'house.yaml'));
    const result = await twinops(project.root, ['synth']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(WARNING_HOME);
    expect(filesUnder('home')).toEqual(before.map(([path, content]) => [join('clusters/home/flux-system', path), content]));
    expect(readTree(join(project.dist, 'house/clusters/home')).has('kustomization.yaml')).toBe(true);
  });
});
