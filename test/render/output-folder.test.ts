import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { checkOutputFolder, checkRenderFolder, OutputFolderError } from '../../lib/render/output-folder';
import { synthesize } from '../../lib/synth';
import { snapshot } from '../support/snapshot';

let root: string;
let project: string;
let environments: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'twinops-out-')));
  project = join(root, 'project');
  environments = join(project, 'environments');
  mkdirSync(join(project, '.git'), { recursive: true });
  mkdirSync(environments);
  writeFileSync(join(environments, 'home.yaml'), 'clusters: []\n');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const check = (out: string) => checkOutputFolder({ out: join(project, out), cwd: project, environmentsDir: environments });
const refusal = (out: string, real: string, why: string) =>
  new OutputFolderError(
    `cannot write into ${resolve(project, out) === real ? real : `${join(project, out)} (${real})`}: ${why}; nothing was touched; point --out at an empty or new folder`,
  );

function write(folder: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
}

describe('checkOutputFolder', () => {
  it('accepts an absent or empty folder, returning its real path', () => {
    expect(check('dist')).toBe(join(project, 'dist'));
    mkdirSync(join(project, 'dist'));
    expect(check('dist')).toBe(join(project, 'dist'));
  });

  it('refuses the project folder, an ancestor of it, and the same through a link or ..', () => {
    symlinkSync('.', join(project, 'here'));
    expect(() => check('.')).toThrow(refusal('.', project, 'it is the project folder'));
    expect(() => check('..')).toThrow(refusal('..', root, `it holds the project folder ${project}`));
    expect(() => check('here')).toThrow(refusal('here', project, 'it is the project folder'));
    expect(() => check('dist/..')).toThrow(refusal('dist/..', project, 'it is the project folder'));
  });

  it('refuses the environments folder, a folder inside it, and one holding it', () => {
    const elsewhere = { out: join(root, 'envs'), cwd: join(root, 'elsewhere'), environmentsDir: join(root, 'envs/site') };
    expect(() => check('environments')).toThrow(refusal('environments', environments, 'it is the environments folder'));
    expect(() => check('dist/../environments')).toThrow(refusal('dist/../environments', environments, 'it is the environments folder'));
    expect(() => check('environments/out')).toThrow(refusal('environments/out', join(environments, 'out'), `it is inside the environments folder ${environments}`));
    expect(() => checkOutputFolder(elsewhere)).toThrow(`it holds the environments folder ${join(root, 'envs/site')}`);
  });

  it('refuses a folder holding .git', () => {
    mkdirSync(join(project, 'gitops/.git'), { recursive: true });
    expect(() => check('gitops')).toThrow(refusal('gitops', join(project, 'gitops'), 'it holds .git (a Git repository)'));
  });

  it('follows a link to a previous render and returns where it points', () => {
    write(join(root, 'gitops/dist'), { '.twinops': 'marker\n', 'notes.txt': 'anything goes once marked\n' });
    symlinkSync('../gitops/dist', join(project, 'dist'));
    expect(check('dist')).toBe(join(root, 'gitops/dist'));
  });
});

describe('checkRenderFolder', () => {
  const folder = () => join(root, 'out');

  it('accepts a render of an earlier twinops: environment folders, runbooks, kustomized yaml, flux-system/', () => {
    write(folder(), {
      'home/RUNBOOK.md': '#\n',
      'home/clusters/home/kustomization.yaml': '',
      'home/clusters/home/wordpress.yaml': '',
      'home/clusters/home/flux-system/gotk-components.yaml': '',
      'home/clusters/home/flux-system/notes.txt': 'flux owns this folder\n',
      'home/home/apps/wordpress/prod/kustomization.yaml': '',
      'home/home/apps/wordpress/prod/service-wordpress.yaml': '',
    });
    expect(() => checkRenderFolder(folder())).not.toThrow();
  });

  it.each([
    ['a file at the top', { 'README.md': '' }, 'README.md'],
    ['a top folder that is no environment name', { 'Src/kustomization.yaml': '' }, 'Src/'],
    ['a runbook below an environment', { 'home/apps/RUNBOOK.md': '' }, 'home/apps/RUNBOOK.md'],
    ['yaml with no kustomization.yaml beside it', { 'home/apps/service.yaml': '' }, 'home/apps/service.yaml'],
    ['another kind of file', { 'home/apps/kustomization.yaml': '', 'home/apps/main.ts': '' }, 'home/apps/main.ts'],
  ])('refuses %s, naming it', (_, files, named) => {
    write(folder(), files);
    const before = snapshot(folder());
    expect(() => checkRenderFolder(folder())).toThrow(
      new OutputFolderError(
        `${folder()} is not a folder twinops rendered: it has no .twinops marker and holds ${named}, which a render does not write; ` +
          'nothing was touched; point --out at an empty or new folder',
      ),
    );
    expect(snapshot(folder())).toEqual(before);
  });

  it('refuses a file', () => {
    writeFileSync(folder(), 'x');
    expect(() => checkRenderFolder(folder())).toThrow(new OutputFolderError(`${folder()} is not a folder; point --out at an empty or new folder`));
  });
});

describe('synthesize into a folder it must not replace', () => {
  it.each([['.'], ['environments'], ['..'], ['gitops'], ['mine']])('refuses --out %s before loading anything, and changes nothing', (out) => {
    mkdirSync(join(project, 'gitops/.git'), { recursive: true });
    write(join(project, 'mine'), { 'thesis.md': 'years of work\n' });
    // An invalid environment: were it loaded, the error would be a ConfigError instead.
    const before = snapshot(root);
    let error: unknown;
    try {
      synthesize({ environmentsDir: environments, distDir: join(project, out), projectDir: project, compose: composeUnits, catalog: APP_CATALOG });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OutputFolderError);
    expect((error as Error).message).toMatch(/nothing was touched; point --out at an empty or new folder$/);
    expect(snapshot(root)).toEqual(before);
  });
});
