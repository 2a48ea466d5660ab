import { composedOf } from '../lib/model';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../charts/catalog';
import { composeEnvironment, composeUnits } from '../charts/estate';
import { ConfigError } from '../lib/config/errors';
import { RenderError, synthesize, type Compose } from '../lib/synth';
import { readTree, REPO, scratchProject } from './support/tree';

let project: ReturnType<typeof scratchProject>;
afterEach(() => project?.cleanup());

const synth = (compose: Compose = composeUnits) =>
  synthesize({ environmentsDir: project.environments, distDir: project.dist, compose, catalog: APP_CATALOG });

describe('synthesize', () => {
  it('renders the committed dist/ exactly from the environments/ that exist (dist/ is the golden file)', () => {
    // The only engine test that reads the user's environments and dist/: whatever they hold
    // (more environments, other apps, a committed flux-system/), a fresh render changes nothing.
    project = scratchProject(join(REPO, 'environments'));
    cpSync(join(REPO, 'dist'), project.dist, { recursive: true });
    const committed = readTree(join(REPO, 'dist'));
    synth();
    expect([...readTree(project.dist).keys()]).toEqual([...committed.keys()]);
    expect(readTree(project.dist)).toEqual(committed);
  });

  it('renders byte-identical trees twice and writes nothing the second time', () => {
    project = scratchProject();
    const first = synth();
    const tree = readTree(project.dist);
    const second = synth();
    expect(readTree(project.dist)).toEqual(tree);
    // Every file of a first render is written: each object, each unit's kustomization.yaml, the runbook and the marker.
    const objects = [...tree.keys()].filter((path) => path.endsWith('.yaml') && !path.endsWith('/kustomization.yaml')).length;
    const units = [...tree.keys()].filter((path) => path.endsWith('/kustomization.yaml')).length;
    expect(first).toEqual({ environments: 1, clusters: 1, units, objects, written: tree.size, removed: 0 });
    expect(second).toMatchObject({ written: 0, removed: 0 });
  });

  it('removes the files of an app taken out of the environment', () => {
    project = scratchProject();
    synth();
    const file = join(project.environments, 'home.yaml');
    const text = readFileSync(file, 'utf8');
    const withoutNextcloud = text.replace(/\n      - app: nextcloud\n        host: cloud.example.org\n        dr: true\n/, '\n');
    expect(withoutNextcloud).not.toBe(text);
    writeFileSync(file, withoutNextcloud);
    const summary = synth();
    const paths = [...readTree(project.dist).keys()];
    expect(paths.filter((path) => path.includes('nextcloud'))).toEqual([]);
    // 24 files of the two nextcloud units, their 2 Flux Kustomizations, the nextcloud namespace.
    expect(summary.removed).toBe(27);
  });

  it('leaves dist/ untouched when an environment is invalid, and reports every problem', () => {
    project = scratchProject();
    synth();
    const before = readTree(project.dist);
    const file = join(project.environments, 'home.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('state: standby', 'state: warm').replace('app: redis', 'app: rediss'));
    let error: unknown;
    try {
      synth();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = readFileSync(file, 'utf8').split('\n');
    const lineOf = (text: string) => lines.findIndex((line) => line.includes(text)) + 1;
    expect((error as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`)).toEqual([
      `${lineOf('state: warm')}:10 dr.state: expected one of standby, syncing, active; given "warm"`,
      `${lineOf('app: wordpress')}:14 clusters[0].apps[0].app: wordpress depends on "redis" (by its chart), which is not placed on cluster "home"; expected an app placed on cluster "home": rediss, keycloak, nextcloud; given "redis"`,
      `${lineOf('app: rediss')}:14 clusters[0].apps[1].app: unknown app (did you mean "redis"?); expected one of keycloak, nextcloud, redis, wordpress; given "rediss"`,
    ]);
    expect(readTree(project.dist)).toEqual(before);
  });

  it('leaves dist/ untouched when a rendered object fails its schema', () => {
    project = scratchProject();
    synth();
    const before = readTree(project.dist);
    const broken: Compose = (env) => {
      const rendered = composeEnvironment(env);
      return composedOf({
        ...rendered,
        units: rendered.units.map((unit) => ({
          ...unit,
          objects: unit.objects.map((o) => (o.kind === 'PersistentVolumeClaim' ? { ...o, spec: { ...(o.spec as object), storageClass: 'typo' } } : o)),
        })),
      });
    };
    expect(() => synth(broken)).toThrow(RenderError);
    expect(readTree(project.dist)).toEqual(before);
  });

  it('keeps the flux-system folder flux bootstrap wrote and keeps listing it', () => {
    project = scratchProject();
    synth();
    const bootstrap = join(project.dist, 'home/clusters/home/flux-system');
    mkdirSync(bootstrap);
    writeFileSync(join(bootstrap, 'gotk-sync.yaml'), 'kind: Kustomization\n');
    const summary = synth();
    expect(readFileSync(join(bootstrap, 'gotk-sync.yaml'), 'utf8')).toBe('kind: Kustomization\n');
    expect(summary).toMatchObject({ written: 1, removed: 0 });
    expect(readFileSync(join(project.dist, 'home/clusters/home/kustomization.yaml'), 'utf8')).toContain('\n- flux-system\n');
  });
});
