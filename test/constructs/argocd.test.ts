import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ArgoRoot, ArgoUnit, argoPath, argoRootName, syncWaves, type ArgoUnitProps } from '../../lib/constructs/argocd';
import type { ApiObjectJson } from '../../lib/model';
import { formatProblem, validateObjects } from '../../lib/render/validate';

const chart = () => new Chart(new App(), 'entry', { disableResourceNameHashes: true });

const source = { repoURL: 'https://git.example.org/platform/estate.git', revision: 'main', project: 'default', namespace: 'argocd' } as const;

const wordpress: ArgoUnitProps = {
  ...source,
  name: 'wordpress',
  path: 'dist/regions/east/apps/wordpress/prod',
  wave: 2,
  destination: { server: 'https://kubernetes.default.svc' },
};

function render(build: (scope: Chart) => void): ApiObjectJson[] {
  const c = chart();
  build(c);
  return c.toJson() as ApiObjectJson[];
}

describe('ArgoUnit', () => {
  it('renders the study reference Application of a unit (fleet.md §D.6)', () => {
    expect(render((c) => new ArgoUnit(c, 'wordpress', wordpress))).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: 'wordpress',
          namespace: 'argocd',
          labels: { 'app.kubernetes.io/managed-by': 'twinops' },
          annotations: { 'argocd.argoproj.io/sync-wave': '2' },
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: {
          destination: { server: 'https://kubernetes.default.svc' },
          project: 'default',
          source: { path: 'dist/regions/east/apps/wordpress/prod', repoURL: 'https://git.example.org/platform/estate.git', targetRevision: 'main' },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      },
    ]);
  });

  it('delivers a hub unit to a cluster Secret by name, with a negative wave and a destination namespace', () => {
    const [application] = render(
      (c) =>
        new ArgoUnit(c, 'edge-1-redis', {
          ...wordpress,
          name: 'edge-1-redis',
          path: 'dist/fleet/edge-1/apps/redis/prod',
          wave: -1,
          destination: { name: 'edge-1', namespace: 'redis' },
        }),
    );
    expect(application?.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    expect(application?.spec).toEqual({
      destination: { name: 'edge-1', namespace: 'redis' },
      project: 'default',
      source: { path: 'dist/fleet/edge-1/apps/redis/prod', repoURL: 'https://git.example.org/platform/estate.git', targetRevision: 'main' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
  });

  it('refuses a destination with both or neither of server and name', () => {
    expect(() => render((c) => new ArgoUnit(c, 'u', { ...wordpress, destination: { server: 'https://kubernetes.default.svc', name: 'east' } }))).toThrow(
      new Error('Argo CD Application "wordpress": destination must have exactly one of server and name, given server "https://kubernetes.default.svc" and name "east"'),
    );
    expect(() => render((c) => new ArgoUnit(c, 'u', { ...wordpress, destination: { namespace: 'redis' } }))).toThrow(
      new Error('Argo CD Application "wordpress": destination must have exactly one of server and name, given neither'),
    );
  });

  it('refuses a wave that is not an integer', () => {
    expect(() => render((c) => new ArgoUnit(c, 'u', { ...wordpress, wave: 1.5 }))).toThrow(new Error('Argo CD Application "wordpress": wave must be an integer, given 1.5'));
  });

  it.each(['./dist/regions/east/apps/wordpress/prod', '/dist/a', 'dist/../a', 'dist//a', 'dist/a/', ''])('refuses the source path %j', (path) => {
    expect(() => render((c) => new ArgoUnit(c, 'u', { ...wordpress, path }))).toThrow(
      new Error(`Argo CD Application "wordpress": source path must be a folder relative to the repository root, like "dist/home/clusters/home", given "${path}"`),
    );
  });
});

describe('ArgoRoot', () => {
  it('syncs the cluster entry folder into its own namespace, automated, without the resources finalizer', () => {
    expect(render((c) => new ArgoRoot(c, 'root', { ...source, cluster: 'east', path: 'dist/regions/clusters/east' }))).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'root-east', namespace: 'argocd', labels: { 'app.kubernetes.io/managed-by': 'twinops' } },
        spec: {
          destination: { namespace: 'argocd', server: 'https://kubernetes.default.svc' },
          project: 'default',
          source: { path: 'dist/regions/clusters/east', repoURL: 'https://git.example.org/platform/estate.git', targetRevision: 'main' },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      },
    ]);
    expect(argoRootName('west')).toBe('root-west');
  });
});

describe('Argo CD objects validate against the imported Application schema', () => {
  it('has no problem for a unit by server, a unit by name and a root', () => {
    const objects = render((c) => {
      new ArgoUnit(c, 'wordpress', wordpress);
      new ArgoUnit(c, 'edge-1-redis', { ...wordpress, name: 'edge-1-redis', wave: -1, destination: { name: 'edge-1', namespace: 'redis' } });
      new ArgoRoot(c, 'root', { ...source, cluster: 'east', path: 'dist/regions/clusters/east' });
    });
    expect(objects).toHaveLength(3);
    expect(validateObjects(objects.map((object) => ({ file: 'argocd', object }))).map(formatProblem)).toEqual([]);
  });
});

describe('argoPath', () => {
  it('joins where dist/ sits and the unit path, without the ./ Flux writes', () => {
    expect(argoPath('./dist', 'regions/clusters/east')).toBe('dist/regions/clusters/east');
    expect(argoPath('./deploy/dist/', 'a/b')).toBe('deploy/dist/a/b');
    expect(argoPath('dist', 'a/b')).toBe('dist/a/b');
    expect(argoPath('.', 'a/b')).toBe('a/b');
    expect(argoPath('', 'a/b')).toBe('a/b');
  });
});

describe('syncWaves', () => {
  const waves = (units: { name: string; dependsOn: string[] }[]) => Object.fromEntries(syncWaves(units));

  it('gives 0 to units that depend on nothing, in the order given', () => {
    expect([...syncWaves([{ name: 'b', dependsOn: [] }, { name: 'a', dependsOn: [] }])]).toEqual([
      ['b', 0],
      ['a', 0],
    ]);
  });

  it('counts a chain one wave per link, whatever the order of the units', () => {
    expect(
      waves([
        { name: 'wordpress', dependsOn: ['redis'] },
        { name: 'redis', dependsOn: ['infrastructure-storage'] },
        { name: 'infrastructure-storage', dependsOn: [] },
      ]),
    ).toEqual({ 'infrastructure-storage': 0, redis: 1, wordpress: 2 });
  });

  it('puts a diamond’s join after its longest branch (the study’s east cluster plus a short cut)', () => {
    expect(
      waves([
        { name: 'infrastructure-storage', dependsOn: [] },
        { name: 'redis', dependsOn: ['infrastructure-storage'] },
        { name: 'nextcloud-dr', dependsOn: ['infrastructure-storage'] },
        { name: 'wordpress', dependsOn: ['redis', 'nextcloud-dr', 'infrastructure-storage'] },
      ]),
    ).toEqual({ 'infrastructure-storage': 0, redis: 1, 'nextcloud-dr': 1, wordpress: 2 });
    expect(
      waves([
        { name: 'top', dependsOn: ['left', 'right'] },
        { name: 'left', dependsOn: ['bottom'] },
        { name: 'right', dependsOn: ['middle'] },
        { name: 'middle', dependsOn: ['bottom'] },
        { name: 'bottom', dependsOn: [] },
      ]),
    ).toEqual({ bottom: 0, left: 1, middle: 1, right: 2, top: 3 });
  });

  it('names a cycle', () => {
    expect(() =>
      syncWaves([
        { name: 'storage', dependsOn: [] },
        { name: 'redis', dependsOn: ['wordpress', 'storage'] },
        { name: 'wordpress', dependsOn: ['redis'] },
      ]),
    ).toThrow(new Error('sync waves: dependency cycle redis → wordpress → redis'));
    expect(() => syncWaves([{ name: 'self', dependsOn: ['self'] }])).toThrow(new Error('sync waves: dependency cycle self → self'));
  });

  it('names a dependency on a unit not given, and a unit given twice', () => {
    expect(() => syncWaves([{ name: 'redis', dependsOn: [] }, { name: 'wordpress', dependsOn: ['redis', 'mariadb'] }])).toThrow(
      new Error('sync waves: unit "wordpress" depends on "mariadb", expected one of the units given (redis, wordpress)'),
    );
    expect(() => syncWaves([{ name: 'redis', dependsOn: [] }, { name: 'redis', dependsOn: [] }])).toThrow(new Error('sync waves: unit "redis" is given twice'));
  });
});
