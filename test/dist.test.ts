/**
 * The committed dist/ as Flux, Argo CD and kubectl see it: every folder with a
 * kustomization.yaml builds with `kubectl kustomize`, and every API object in it is what the
 * unit lists. Needs kubectl; where it is absent the test is skipped, and says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readTree, REPO } from './support/tree';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const hasKubectl = kubectl.status === 0;
if (!hasKubectl) console.warn('SKIPPED: kubectl is not installed, so dist/ folders are not built with kubectl kustomize');

const tree = readTree(join(REPO, 'dist'));
const folders = [...tree.keys()].filter((path) => path.endsWith('/kustomization.yaml')).map((path) => path.slice(0, -'/kustomization.yaml'.length));

describe('dist/ with kubectl kustomize', () => {
  it('has a kustomization.yaml in every folder holding objects', () => {
    const objectFolders = new Set(
      [...tree.keys()]
        .filter((path) => path.endsWith('.yaml'))
        .map((path) => path.slice(0, path.lastIndexOf('/')))
        .filter((folder) => !folder.endsWith('/flux-system')),
    );
    expect([...objectFolders].sort()).toEqual([...folders].sort());
  });

  it.skipIf(!hasKubectl).each(folders)('builds %s', (folder) => {
    const built = execFileSync('kubectl', ['kustomize', join(REPO, 'dist', folder)], { encoding: 'utf8' });
    const names = parseAllDocuments(built).map((doc) => {
      const object = doc.toJS() as { kind: string; metadata: { name: string } };
      return `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
    });
    const listed = [...tree.keys()].filter((path) => path.startsWith(`${folder}/`) && !path.endsWith('/kustomization.yaml')).map((path) => path.slice(folder.length + 1));
    expect(names.sort()).toEqual(listed.sort());
  });
});
