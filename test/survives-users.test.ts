/**
 * What a user of a fork does must keep `npm test` green: add an environment, place an app, write
 * and place a new app, commit the flux-system/ folder that `flux bootstrap` writes. Only the golden test and the
 * kubectl test read the user's environments/ and dist/ (every other test renders fixtures of its
 * own); each action is done here in a copy of the repository's estate, then those two tests'
 * checks run on the copy: a fresh render changes nothing, and every unit builds.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APPS } from '../charts/apps';
import { APP_CATALOG } from '../charts/catalog';
import { composeUnits } from '../charts/estate';
import { appCatalogOf } from '../lib/app/catalog';
import { appRegistry, type AppRegistry } from '../lib/app/definition';
import { gitea } from './fixtures/apps/gitea';
import { postgres } from './fixtures/apps/postgres';
import { synthesize } from '../lib/synth';
import { builtAndListed, hasKubectl, objectFolders, unitFolders } from './support/dist-check';
import { readTree, REPO } from './support/tree';

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

/** A fork's checkout: the repository's environments and its committed dist/. */
function fork(): { environments: string; dist: string } {
  root = mkdtempSync(join(tmpdir(), 'twinops-fork-'));
  cpSync(join(REPO, 'environments'), join(root, 'environments'), { recursive: true });
  cpSync(join(REPO, 'dist'), join(root, 'dist'), { recursive: true });
  return { environments: join(root, 'environments'), dist: join(root, 'dist') };
}

/** `npm run synth` of the fork, with the shipped registry or the one a user extended. */
const render = (project: { environments: string; dist: string }, apps?: AppRegistry) =>
  synthesize({
    environmentsDir: project.environments,
    distDir: project.dist,
    compose: apps === undefined ? composeUnits : (env) => composeUnits(env, apps),
    catalog: apps === undefined ? APP_CATALOG : appCatalogOf(apps),
  });

/** The golden test and the kubectl test, on the fork: what `npm test` would check there. */
function expectGreen(project: { environments: string; dist: string }, apps?: AppRegistry): void {
  const committed = readTree(project.dist);
  expect(render(project, apps)).toMatchObject({ written: 0, removed: 0 });
  expect(readTree(project.dist)).toEqual(committed);
  expect(objectFolders(committed).sort()).toEqual(unitFolders(committed).sort());
  if (!hasKubectl) return;
  for (const folder of unitFolders(committed)) {
    const { built, listed } = builtAndListed(project.dist, committed, folder);
    expect(built, folder).toEqual(listed);
  }
}

const LAB = readFileSync(join(REPO, 'test/fixtures/hostile/lab.yaml'), 'utf8');

describe('a fork stays green', () => {
  it('after adding an environment and rendering it', () => {
    const project = fork();
    writeFileSync(join(project.environments, 'lab.yaml'), LAB);
    expect(render(project).environments).toBe(readdirSync(project.environments).filter((name) => name.endsWith('.yaml')).length);
    expect(readdirSync(project.dist)).toContain('lab');
    expectGreen(project);
  });

  it('after placing an app and rendering', () => {
    const project = fork();
    writeFileSync(join(project.environments, 'lab.yaml'), `${LAB}      - app: nextcloud\n        host: files.example.org\n        dr: true\n`);
    render(project);
    expect(readdirSync(join(project.dist, 'lab/lab/apps'))).toContain('nextcloud');
    expectGreen(project);
  });

  it('after writing two new apps (the README examples), registering and placing them', () => {
    const project = fork();
    const apps = appRegistry([...APPS.values(), gitea, postgres]);
    const placed = `${LAB}      - app: postgres\n        dr: true\n      - app: gitea\n        host: git.example.org\n        dr: true\n`;
    writeFileSync(join(project.environments, 'lab.yaml'), placed);
    render(project, apps);
    expect(readdirSync(join(project.dist, 'lab/lab/apps'))).toEqual(expect.arrayContaining(['gitea', 'postgres']));
    expect(readdirSync(join(project.dist, 'lab/lab/apps/gitea/dr'))).toContain('cronjob-gitea-dump-dr.yaml');
    expectGreen(project, apps);
  });

  it('after committing the flux-system/ folder flux bootstrap writes', () => {
    const project = fork();
    const [env] = readdirSync(project.dist).filter((name) => !name.startsWith('.'));
    const [cluster] = readdirSync(join(project.dist, env!, 'clusters'));
    const bootstrap = join(project.dist, env!, 'clusters', cluster!, 'flux-system');
    mkdirSync(bootstrap, { recursive: true });
    writeFileSync(join(bootstrap, 'gotk-components.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n');
    writeFileSync(join(bootstrap, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n');
    render(project);
    const entry = readFileSync(join(bootstrap, '..', 'kustomization.yaml'), 'utf8');
    expect(entry).toContain('- flux-system\n');
    expectGreen(project);
  });
});

/** `join(REPO, 'environments')`, `join(REPO, 'dist')`, or a relative URL or path up to either. */
const REFERENCES_USER_ESTATE = /join\(REPO, '(environments|dist)'\)|'(\.\.\/)+(environments|dist)[/']/;

describe('engine tests', () => {
  it("never read the user's environments/ or dist/ (only the golden and kubectl tests do)", () => {
    const readers: string[] = [];
    const visit = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) visit(path);
        else if (/\.ts$/.test(entry.name) && REFERENCES_USER_ESTATE.test(readFileSync(path, 'utf8'))) readers.push(relative(REPO, path));
      }
    };
    visit(join(REPO, 'test'));
    expect(readers.sort()).toEqual(['test/dist.test.ts', 'test/survives-users.test.ts', 'test/synth.test.ts']);
  });
});
