import { describe, expect, it } from 'vitest';
import { countFields, diffObject, diffRenders, formatDiff, summarizeDiff } from '../../lib/dr/diff';
import type { ApiObjectJson, RenderedEnvironment } from '../../lib/model';

const service = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): ApiObjectJson => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'web', ...(annotations ? { annotations } : {}) },
  spec,
});
const storageClass: ApiObjectJson = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' } };

function render(units: Record<string, ApiObjectJson[]>, documents: Record<string, string> = {}): RenderedEnvironment {
  return {
    environment: 'lab',
    units: Object.entries(units).map(([path, objects]) => ({ path, objects })),
    documents: Object.entries(documents).map(([path, content]) => ({ path, content })),
  };
}

describe('diffObject', () => {
  it('lists changed, added and removed leaves with their paths, keys in code-unit order', () => {
    const before = service('lb', { selector: { app: 'traefik-external' }, ports: [{ port: 80 }, { port: 443 }], type: 'LoadBalancer' }, {
      'projectcalico.org/ipv6pools': '["loadbalancer-ipv6-pool"]',
    });
    const after = service('lb', { selector: { app: 'traefik-dr' }, ports: [{ port: 80 }, { port: 8443 }], loadBalancerIP: '192.0.2.200', type: 'LoadBalancer' });
    expect(diffObject(before, after)).toEqual([
      { path: 'metadata.annotations["projectcalico.org/ipv6pools"]', before: '["loadbalancer-ipv6-pool"]' },
      { path: 'spec.loadBalancerIP', after: '192.0.2.200' },
      { path: 'spec.ports[1].port', before: 443, after: 8443 },
      { path: 'spec.selector.app', before: 'traefik-external', after: 'traefik-dr' },
    ]);
  });

  it('reports the items a longer or shorter list gains or loses, at their own index', () => {
    const flux = (names: string[]): ApiObjectJson => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'wordpress-dr', namespace: 'flux-system' },
      spec: { dependsOn: names.map((name) => ({ name })) },
    });
    expect(diffObject(flux(['storage', 'wordpress', 'redis-dr']), flux(['storage', 'redis-dr']))).toEqual([
      { path: 'spec.dependsOn[1]', before: { name: 'wordpress' } },
    ]);
    expect(diffObject(flux(['storage']), flux(['storage', 'edge', 'wordpress']))).toEqual([
      { path: 'spec.dependsOn[1]', after: { name: 'edge' } },
      { path: 'spec.dependsOn[2]', after: { name: 'wordpress' } },
    ]);
  });

  it('treats a value that changes type as one leaf, and equal objects as no change', () => {
    expect(diffObject(service('a', { replicas: 1 }), service('a', { replicas: [1] }))).toEqual([
      { path: 'spec.replicas', before: 1, after: [1] },
    ]);
    expect(diffObject(service('a', { x: { y: [1, { z: 2 }] } }), service('a', { x: { y: [1, { z: 2 }] } }))).toEqual([]);
  });
});

describe('diffRenders', () => {
  const before = render(
    {
      'lab/home/apps/web/prod': [service('web', { selector: { app: 'web' } }), service('old', {})],
      'lab/home/infrastructure/storage': [storageClass],
    },
    { 'lab/RUNBOOK.md': 'standby\n', 'lab/GONE.md': 'x' },
  );
  const after = render(
    {
      'lab/home/apps/web/prod': [service('web', { selector: { app: 'web-dr' } })],
      // Same object, another unit: removed from one, added to the other.
      'lab/home/infrastructure/edge': [storageClass, service('new', {})],
    },
    { 'lab/RUNBOOK.md': 'active\n', 'lab/NEW.md': 'y' },
  );

  it('keys objects by unit, apiVersion, kind, namespace and name, each list sorted', () => {
    const diff = diffRenders(before, after);
    expect(diff).toEqual({
      added: [
        { unit: 'lab/home/infrastructure/edge', apiVersion: 'v1', kind: 'Service', namespace: 'web', name: 'new' },
        { unit: 'lab/home/infrastructure/edge', apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: 'fast' },
      ],
      removed: [
        { unit: 'lab/home/apps/web/prod', apiVersion: 'v1', kind: 'Service', namespace: 'web', name: 'old' },
        { unit: 'lab/home/infrastructure/storage', apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: 'fast' },
      ],
      changed: [
        {
          unit: 'lab/home/apps/web/prod',
          apiVersion: 'v1',
          kind: 'Service',
          namespace: 'web',
          name: 'web',
          fields: [{ path: 'spec.selector.app', before: 'web', after: 'web-dr' }],
        },
      ],
      documents: [
        { path: 'lab/GONE.md', change: 'removed' },
        { path: 'lab/NEW.md', change: 'added' },
        { path: 'lab/RUNBOOK.md', change: 'changed' },
      ],
    });
    expect(countFields(diff)).toBe(1);
  });

  it('prints objects in unit order, fields below their object, then documents', () => {
    const diff = diffRenders(before, after);
    expect(formatDiff(diff)).toEqual([
      '- lab/home/apps/web/prod Service web/old',
      '~ lab/home/apps/web/prod Service web/web',
      '    spec.selector.app: "web" → "web-dr"',
      '+ lab/home/infrastructure/edge Service web/new',
      '+ lab/home/infrastructure/edge StorageClass fast',
      '- lab/home/infrastructure/storage StorageClass fast',
      '- lab/GONE.md',
      '+ lab/NEW.md',
      '~ lab/RUNBOOK.md',
    ]);
    expect(summarizeDiff(diff)).toBe('2 added, 1 changed, 2 removed object(s), 1 field(s); 3 document(s) changed');
  });

  it('finds nothing between two equal renders', () => {
    const diff = diffRenders(before, before);
    expect(diff).toEqual({ added: [], removed: [], changed: [], documents: [] });
    expect(summarizeDiff(diff)).toBe('0 added, 0 changed, 0 removed object(s), 0 field(s)');
  });

  it('refuses a render holding two objects with one identity', () => {
    const twice = render({ 'lab/home/apps/web/prod': [service('web', {}), service('web', { a: 1 })] });
    expect(() => diffRenders(twice, twice)).toThrow('render of lab: two objects lab/home/apps/web/prod Service web/web');
  });
});
