import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import type { ApiObjectJson } from '../../../lib/model';
import { twinObjects } from '../../../lib/variant/twin';
import { twinLabelValue } from '../../../lib/variant/twin/labels';
import { meta, rulesFor, twinsOf } from './support';

const ADDR = 'cdk8s.io/metadata.addr';

/** A cdk8s-plus-28 app: a Deployment mounting a claim, exposed by a Service. */
function plusChart(): ApiObjectJson[] {
  const app = new App();
  const chart = new Chart(app, 'web', { namespace: 'web' });
  const claim = new kplus.PersistentVolumeClaim(chart, 'data', {
    storageClassName: 'zfs-storage-znvm',
    storage: Size.gibibytes(1),
    accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
  });
  const deployment = new kplus.Deployment(chart, 'web', {
    replicas: 2,
    containers: [{ image: 'example.org/web:1', portNumber: 80, volumeMounts: [{ path: '/data', volume: kplus.Volume.fromPersistentVolumeClaim(chart, 'vol', claim) }] }],
  });
  deployment.exposeViaService({ name: 'web' });
  return chart.toJson() as ApiObjectJson[];
}

type PodTemplate = { spec: { template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> } } };

describe('a cdk8s-plus-28 Deployment, Service and claim', () => {
  const prod = plusChart();
  const byKind = (objects: readonly ApiObjectJson[], kind: string) => objects.find((object) => object.kind === kind)!;
  const twins = twinsOf(prod).map((twin) => twin.object);

  it('gets a Service that selects only twin pods, and a prod Service that selects none', () => {
    const prodPods = (byKind(prod, 'Deployment') as unknown as PodTemplate).spec.template.metadata.labels;
    const twinPods = (byKind(twins, 'Deployment') as unknown as PodTemplate).spec.template.metadata.labels;
    const prodSelector = (byKind(prod, 'Service').spec as { selector: Record<string, string> }).selector;
    const twinSelector = (byKind(twins, 'Service').spec as { selector: Record<string, string> }).selector;
    const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => labels[key] === value);
    expect(twinSelector).toEqual({ [ADDR]: `${prodSelector[ADDR]}-dr` });
    expect(selects(twinSelector, twinPods)).toBe(true);
    expect(selects(twinSelector, prodPods)).toBe(false);
    expect(selects(prodSelector, twinPods)).toBe(false);
  });

  it('mounts the twin claim on the DR class and runs on the DR node', () => {
    const prodClaim = byKind(prod, 'PersistentVolumeClaim');
    const twinClaim = byKind(twins, 'PersistentVolumeClaim');
    expect(twinClaim.metadata.name).toBe(`${prodClaim.metadata.name}-dr`);
    expect((twinClaim.spec as { storageClassName: string }).storageClassName).toBe('zfs-storage-znvm-dr');
    const podSpec = (byKind(twins, 'Deployment') as unknown as PodTemplate).spec.template.spec;
    expect(podSpec.volumes).toEqual([{ name: `pvc-${prodClaim.metadata.name}`, persistentVolumeClaim: { claimName: `${prodClaim.metadata.name}-dr`, readOnly: false } }]);
    expect(podSpec.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'remote' });
  });

  it('lists exactly the Deployment fields it changed', () => {
    expect(twinsOf(prod).find((twin) => twin.object.kind === 'Deployment')?.changed).toEqual([
      'metadata.name',
      'spec.replicas',
      `spec.selector.matchLabels["${ADDR}"]`,
      `spec.template.metadata.labels["${ADDR}"]`,
      'spec.template.spec.nodeSelector["kubernetes.io/hostname"]',
      'spec.template.spec.tolerations',
      'spec.template.spec.volumes[0].persistentVolumeClaim.claimName',
    ]);
  });

  it('never mutates its input and answers the same twice', () => {
    const before = JSON.stringify(prod);
    const first = JSON.stringify(twinObjects(prod, rulesFor()));
    expect(JSON.stringify(prod)).toBe(before);
    expect(JSON.stringify(twinObjects(prod, rulesFor()))).toBe(first);
  });
});

describe('references across objects', () => {
  const container = (env: Record<string, string>) => ({ name: 'app', image: 'example.org/app:1-dr', env: Object.entries(env).map(([name, value]) => ({ name, value })) });
  const wordpress: ApiObjectJson = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('wordpress'),
    spec: { template: { spec: { containers: [container({ DB_HOST: 'wordpress-db', DB_NAME: 'wordpress-db', REDIS: 'redis.cache.svc.cluster.local', OTHER: 'redis', IMAGE_TAG: 'app:1' })] } } },
  };
  const db: ApiObjectJson = { apiVersion: 'v1', kind: 'Service', metadata: meta('wordpress-db'), spec: {} };

  it('follows the app\'s own Services and peer Services of twinned apps, by exact token', () => {
    const rules = rulesFor('standby', { peerServices: [{ kind: 'Service', name: 'redis', namespace: 'cache' }] });
    const [twin] = twinsOf([wordpress, db], rules);
    const env = (twin?.object as unknown as PodTemplate).spec.template.spec.containers as { env: unknown }[];
    expect(env[0]?.env).toEqual([
      { name: 'DB_HOST', value: 'wordpress-db-dr' },
      // The same word under a key that names no host is a setting (a database's name), not the Service.
      { name: 'DB_NAME', value: 'wordpress-db' },
      { name: 'REDIS', value: 'redis-dr.cache.svc.cluster.local' },
      // `redis` in namespace web is not the peer in namespace cache.
      { name: 'OTHER', value: 'redis' },
      { name: 'IMAGE_TAG', value: 'app:1' },
    ]);
  });

  it('leaves shared objects out, and references to them unchanged', () => {
    const secret: ApiObjectJson = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: meta('db-credentials'), spec: { target: { name: 'db-credentials' } } };
    const user: ApiObjectJson = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('user'),
      spec: { containers: [{ name: 'app', envFrom: [{ secretRef: { name: 'db-credentials' } }] }] },
    };
    const shared = twinsOf([secret, user], rulesFor('standby', { shared: [{ kind: 'ExternalSecret', name: 'db-credentials' }] }));
    expect(shared.map((twin) => twin.object.metadata.name)).toEqual(['user-dr']);
    expect((shared[0]?.object.spec as { containers: unknown[] }).containers).toEqual([{ name: 'app', envFrom: [{ secretRef: { name: 'db-credentials' } }] }]);
    const copied = twinsOf([secret, user]);
    expect(copied.map((twin) => twin.object.metadata.name)).toEqual(['db-credentials-dr', 'user-dr']);
    expect((copied[0]?.object.spec as { target: unknown }).target).toEqual({ name: 'db-credentials-dr' });
    expect((copied[1]?.object.spec as { containers: unknown[] }).containers).toEqual([{ name: 'app', envFrom: [{ secretRef: { name: 'db-credentials-dr' } }] }]);
  });
});

describe('errors', () => {
  it('names an object of an unknown kind and what to declare', () => {
    const widget: ApiObjectJson = { apiVersion: 'example.org/v1', kind: 'Widget', metadata: meta('gadget'), spec: { size: 1 } };
    expect(twinObjects([widget], rulesFor())).toEqual({
      ok: false,
      errors: [
        {
          object: 'Widget/gadget',
          message:
            "Widget/gadget (example.org/v1): no twin rule for kind Widget of group example.org; declare the paths of its names, hosts, storage classes and placement in the app's twin declarations (an empty declaration if it has none), or declare it shared with prod",
        },
      ],
    });
  });

  it('twins an unknown kind once declared, changing only its name', () => {
    const widget: ApiObjectJson = { apiVersion: 'example.org/v1', kind: 'Widget', metadata: meta('gadget'), spec: { size: 1 } };
    const [twin] = twinsOf([widget], rulesFor('standby', { declarations: [{ kind: 'Widget', name: 'gadget' }] }));
    expect(twin).toEqual({ object: { ...widget, metadata: meta('gadget-dr') }, changed: ['metadata.name'] });
  });

  it('refuses a pod spec pinned to a node by name', () => {
    const pod: ApiObjectJson = { apiVersion: 'v1', kind: 'Pod', metadata: meta('pinned'), spec: { nodeName: 'node1', containers: [] } };
    expect(() => twinsOf([pod])).toThrow(
      'Pod/pinned at spec.nodeName: pins its pods to node "node1"; a twin must run on the DR node, so use a nodeSelector',
    );
  });

  it('refuses declarations and shared objects that name nothing', () => {
    const result = twinObjects([], rulesFor('standby', { shared: [{ kind: 'ExternalSecret', name: 'creds' }] }));
    expect(result).toEqual({
      ok: false,
      errors: [{ object: 'ExternalSecret/creds', message: 'ExternalSecret/creds is shared in the twin rules but is not an object of the app' }],
    });
  });
});

describe('selector label values', () => {
  it('stay valid label values of at most 63 characters', () => {
    const long = `a${'b'.repeat(60)}-c`;
    expect(twinLabelValue(long, '-dr')).toBe(`a${'b'.repeat(59)}-dr`);
    expect(twinLabelValue(long, '-dr')).toHaveLength(63);
    expect(twinLabelValue('', '-dr')).toBe('dr');
  });
});
