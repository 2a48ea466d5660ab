/**
 * The committed dist/ as Flux, Argo CD and kubectl see it: every folder with a
 * kustomization.yaml builds with `kubectl kustomize`, and every API object in it is what the
 * unit lists. Needs kubectl; where it is absent the test is skipped, and says so.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtAndListed, hasKubectl, objectFolders, unitFolders } from './support/dist-check';
import { readTree, REPO } from './support/tree';

if (!hasKubectl) console.warn('SKIPPED: kubectl is not installed, so dist/ folders are not built with kubectl kustomize');

const dist = join(REPO, 'dist');
const tree = readTree(dist);
const folders = unitFolders(tree);

describe('dist/ with kubectl kustomize', () => {
  it('has a kustomization.yaml in every folder holding objects', () => {
    expect(objectFolders(tree).sort()).toEqual([...folders].sort());
  });

  it.skipIf(!hasKubectl).each(folders)('builds %s', (folder) => {
    const { built, listed } = builtAndListed(dist, tree, folder);
    expect(built).toEqual(listed);
  });
});
