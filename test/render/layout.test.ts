import { describe, expect, it } from 'vitest';
import type { ApiObjectJson, RenderedEnvironment, RenderedUnit } from '../../lib/model';
import { knownSame, textOf, type Content } from '../../lib/render/content';
import { KustomizationYaml, LayoutError, layoutEnvironment, layoutOfUnit, ObjectYaml, unitFileName } from '../../lib/render/layout';
import { toYaml } from '../../lib/render/yaml';

const pvc: ApiObjectJson = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'wordpress-db', namespace: 'web' },
  spec: { storageClassName: 'zfs-storage-znvm', accessModes: ['ReadWriteOnce'] },
};
const deployment: ApiObjectJson = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'wordpress', namespace: 'web' },
  spec: { replicas: 1 },
};
const service: ApiObjectJson = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'wordpress', namespace: 'web' },
  spec: { ports: [{ port: 80 }] },
};

function environment(units: readonly RenderedUnit[], documents: RenderedEnvironment['documents'] = []): RenderedEnvironment {
  return { environment: 'home', units, documents };
}

function layoutError(rendered: RenderedEnvironment): LayoutError {
  try {
    layoutEnvironment(rendered);
  } catch (error) {
    if (error instanceof LayoutError) return error;
    throw error;
  }
  throw new Error('expected a LayoutError');
}

describe('unitFileName', () => {
  it('is <kind>-<name>.yaml in lower case', () => {
    expect(unitFileName(pvc)).toBe('persistentvolumeclaim-wordpress-db.yaml');
  });

  it('replaces characters a file name should not hold', () => {
    expect(unitFileName({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:Aggregate/x' } })).toBe(
      'clusterrole-system_aggregate_x.yaml',
    );
  });
});

describe('layoutEnvironment', () => {
  it('writes one file per object and a kustomization.yaml listing them by file name', () => {
    const files = layoutEnvironment(
      environment([{ path: 'home/home/apps/wordpress/prod', objects: [service, pvc, deployment] }], [
        { path: 'home/RUNBOOK.md', content: '# Runbook\n' },
      ]),
    );

    expect([...files.keys()]).toEqual([
      'home/RUNBOOK.md',
      'home/home/apps/wordpress/prod/deployment-wordpress.yaml',
      'home/home/apps/wordpress/prod/kustomization.yaml',
      'home/home/apps/wordpress/prod/persistentvolumeclaim-wordpress-db.yaml',
      'home/home/apps/wordpress/prod/service-wordpress.yaml',
    ]);
    expect(textOf(files.get('home/home/apps/wordpress/prod/kustomization.yaml') ?? '')).toBe(
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '- deployment-wordpress.yaml',
        '- persistentvolumeclaim-wordpress-db.yaml',
        '- service-wordpress.yaml',
        '',
      ].join('\n'),
    );
    expect(textOf(files.get('home/home/apps/wordpress/prod/service-wordpress.yaml') ?? '')).toBe(
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: wordpress\n  namespace: web\nspec:\n  ports:\n  - port: 80\n',
    );
    expect(files.get('home/RUNBOOK.md')).toBe('# Runbook\n');
  });

  it('keeps no text of a unit\'s files: each is made from the object it holds when asked', () => {
    const layout = layoutOfUnit('home', { path: 'home/home/apps/wordpress/prod', objects: [service, deployment] });
    const [first, second, kustomization] = layout.placed;
    expect(first?.path).toBe('home/home/apps/wordpress/prod/deployment-wordpress.yaml');
    expect(first?.content).toBeInstanceOf(ObjectYaml);
    expect((first?.content as ObjectYaml).object).toBe(deployment);
    expect(textOf(second?.content ?? '')).toBe(toYaml(service));
    expect(kustomization?.content).toEqual(new KustomizationYaml(['deployment-wordpress.yaml', 'service-wordpress.yaml']));
  });

  it('knows two unit files the same by their source only: the same object, or the same list of files', () => {
    const unit = { path: 'home/home/apps/wordpress/prod', objects: [service, deployment] };
    const copy = { path: unit.path, objects: [{ ...service }, deployment] };
    expect(knownSame(new ObjectYaml(unit, 0), new ObjectYaml(unit, 0))).toBe(true);
    // Another unit holding the same object: the same source.
    expect(knownSame(new ObjectYaml(unit, 1), new ObjectYaml(copy, 1))).toBe(true);
    expect(knownSame(new ObjectYaml(unit, 0), new ObjectYaml(unit, 1))).toBe(false);
    // Equal objects make equal text, but knowing it would take making both: "not known".
    expect(knownSame(new ObjectYaml(unit, 0), new ObjectYaml(copy, 0))).toBe(false);
    expect(knownSame(new ObjectYaml(unit, 0), toYaml(service))).toBe(false);
    expect(knownSame(new KustomizationYaml(['a.yaml', 'b.yaml']), new KustomizationYaml(['a.yaml', 'b.yaml']))).toBe(true);
    expect(knownSame(new KustomizationYaml(['a.yaml', 'b.yaml']), new KustomizationYaml(['a.yaml']))).toBe(false);
    expect(knownSame(new KustomizationYaml(['a.yaml']), new ObjectYaml(unit, 0))).toBe(false);
  });

  it('gives an empty unit a kustomization.yaml with no resources', () => {
    const files = layoutEnvironment(environment([{ path: 'home/home/infrastructure/empty', objects: [] }]));

    expect(textOf(files.get('home/home/infrastructure/empty/kustomization.yaml') ?? '')).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
    );
  });

  it('is the same whatever order the objects come in', () => {
    const a = layoutEnvironment(environment([{ path: 'home/u', objects: [service, pvc, deployment] }]));
    const b = layoutEnvironment(environment([{ path: 'home/u', objects: [deployment, service, pvc] }]));

    const texts = (files: Map<string, Content>) => [...files].map(([path, content]) => [path, textOf(content)]);
    expect(texts(b)).toEqual(texts(a));
  });

  it('rejects two objects of one unit that map to one file, naming both', () => {
    const other = { ...service, metadata: { name: 'wordpress', namespace: 'other' } };

    expect(layoutError(environment([{ path: 'home/home/apps/wordpress/prod', objects: [service, other] }])).problems).toEqual([
      'unit home/home/apps/wordpress/prod: Service web/wordpress and Service other/wordpress both map to file service-wordpress.yaml',
    ]);
  });

  it('rejects bad paths, every one at once', () => {
    const error = layoutError(
      environment(
        [
          { path: '/home/abs', objects: [] },
          { path: 'home/../escape', objects: [] },
          { path: 'home\\win', objects: [] },
          { path: 'home//twice', objects: [] },
          { path: 'elsewhere/unit', objects: [] },
        ],
        [
          { path: 'home/dir/', content: '' },
          { path: 'home/./here.md', content: '' },
        ],
      ),
    );

    expect(error.problems).toEqual([
      'unit path "/home/abs" is absolute; expected a path relative to dist/',
      'unit path "home/../escape" has a ".." segment',
      'unit path "home\\\\win" contains a backslash; use /',
      'unit path "home//twice" has an empty segment (// or a leading or trailing /)',
      "unit path \"elsewhere/unit\" is outside the environment's folder home/",
      'document path "home/dir/" has an empty segment (// or a leading or trailing /)',
      'document path "home/./here.md" has a "." segment',
    ]);
    expect(error.message).toMatch(/^cannot lay out environment home:\n {2}unit path "\/home\/abs" is absolute/);
  });

  it('rejects a file name over 255 bytes, naming the object that produced it', () => {
    const name = `db.${'a'.repeat(250)}`; // 253 characters: a valid name, a file name of 280 bytes
    const claim = { ...pvc, metadata: { name, namespace: 'web' } };
    const error = layoutError(environment([{ path: 'home/u', objects: [claim, service] }]));

    expect(error.problems).toEqual([
      `file of unit home/u (PersistentVolumeClaim web/${name}) has a segment of 280 bytes ("persistentvolumeclaim-db.aaaaaaaaaaaaaaa…"); a file or folder name holds at most 255`,
    ]);
  });

  it('counts bytes, not characters: 128 two-byte letters are 256 bytes', () => {
    const error = layoutError(environment([{ path: 'home/u', objects: [] }], [{ path: `home/${'é'.repeat(128)}.md`, content: '' }]));

    expect(error.problems).toEqual([
      `document path "home/${'é'.repeat(128)}.md" has a segment of 259 bytes ("${'é'.repeat(40)}…"); a file or folder name holds at most 255`,
    ]);
    expect(layoutEnvironment(environment([], [{ path: `home/${'é'.repeat(125)}.md`, content: '' }])).size).toBe(1);
  });

  it('rejects two producers of one path', () => {
    const error = layoutError(
      environment(
        [
          { path: 'home/u', objects: [service] },
          { path: 'home/u', objects: [] },
        ],
        [{ path: 'home/u/service-wordpress.yaml', content: 'x' }],
      ),
    );

    expect(error.problems).toEqual([
      'home/u/kustomization.yaml is produced twice: by unit home/u (its kustomization.yaml) and by unit home/u (its kustomization.yaml)',
      'home/u/service-wordpress.yaml is produced twice: by unit home/u (Service web/wordpress) and by document home/u/service-wordpress.yaml',
    ]);
  });

  it('rejects a file where another path needs a folder', () => {
    const error = layoutError(environment([{ path: 'home/u', objects: [] }], [{ path: 'home/u/kustomization.yaml/x', content: '' }]));

    expect(error.problems).toEqual([
      'home/u/kustomization.yaml is a file (unit home/u (its kustomization.yaml)) but home/u/kustomization.yaml/x needs it as a folder',
    ]);
  });
});
