import { describe, expect, it } from 'vitest';
import type { ApiObjectJson } from '../../../lib/model';
import { PLACED, meta, rulesFor, twinOf, twinsOf } from './support';

const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' };
const twinLabels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web-dr' };
const container = { name: 'web', image: 'example.org/web:1' };

/** A pod spec with the chart's own placement, to check that the DR placement merges with it. */
const chartPlaced = {
  nodeSelector: { 'kubernetes.io/arch': 'amd64' },
  tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
  containers: [container],
};
const mergedPlacement = {
  nodeSelector: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'remote' },
  tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, ...PLACED.tolerations],
  containers: [container],
};

const claim: ApiObjectJson = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: meta('web-data'),
  spec: { storageClassName: 'zfs-storage-znvm' },
};
const config: ApiObjectJson = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('web-config'), data: { MODE: 'web' } };

describe('Deployment', () => {
  it('renames, re-labels, places, scales and follows its claim and config map', () => {
    const deployment: ApiObjectJson = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web', { labels }),
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                ...container,
                env: [
                  { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'MODE' } } },
                  { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'web-credentials', key: 'password' } } },
                ],
                envFrom: [{ configMapRef: { name: 'web-config' } }],
              },
            ],
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
              { name: 'config', configMap: { name: 'web-config' } },
            ],
          },
        },
      },
    };
    const [twin] = twinsOf([deployment, claim, config]);
    expect(twin?.object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web-dr', { labels: twinLabels }),
      spec: {
        replicas: 1,
        selector: { matchLabels: twinLabels },
        template: {
          metadata: { labels: twinLabels },
          spec: {
            containers: [
              {
                ...container,
                env: [
                  { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'web-config-dr', key: 'MODE' } } },
                  // Not an object of the app (shared credentials): the reference keeps its name.
                  { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'web-credentials', key: 'password' } } },
                ],
                envFrom: [{ configMapRef: { name: 'web-config-dr' } }],
              },
            ],
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: 'web-data-dr' } },
              { name: 'config', configMap: { name: 'web-config-dr' } },
            ],
            ...PLACED,
          },
        },
      },
    });
  });
});

describe('StatefulSet', () => {
  it('maps claim template classes, follows its serviceName and merges placement', () => {
    const statefulSet: ApiObjectJson = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('db'),
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { 'app.kubernetes.io/instance': 'db' } },
        template: { metadata: { labels: { 'app.kubernetes.io/instance': 'db' } }, spec: chartPlaced },
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { storageClassName: 'zfs-storage-znvm' } },
          { metadata: { name: 'scratch' }, spec: { storageClassName: 'local-path' } },
        ],
      },
    };
    const service: ApiObjectJson = { apiVersion: 'v1', kind: 'Service', metadata: meta('db'), spec: { clusterIP: 'None' } };
    const [twin] = twinsOf([statefulSet, service]);
    expect(twin?.object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('db-dr'),
      spec: {
        replicas: 1,
        serviceName: 'db-dr',
        selector: { matchLabels: { 'app.kubernetes.io/instance': 'db-dr' } },
        template: { metadata: { labels: { 'app.kubernetes.io/instance': 'db-dr' } }, spec: mergedPlacement },
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { storageClassName: 'zfs-storage-znvm-dr' } },
          { metadata: { name: 'scratch' }, spec: { storageClassName: 'local-path' } },
        ],
      },
    });
  });
});

describe('pod workloads without replicas', () => {
  const selector = { matchLabels: { 'app.kubernetes.io/instance': 'agent' } };
  const template = { metadata: { labels: { 'app.kubernetes.io/instance': 'agent' } }, spec: { containers: [container] } };
  const twinSelector = { matchLabels: { 'app.kubernetes.io/instance': 'agent-dr' } };
  const twinTemplate = { metadata: { labels: { 'app.kubernetes.io/instance': 'agent-dr' } }, spec: { containers: [container], ...PLACED } };

  it.each([
    ['DaemonSet', 'apps/v1'],
    ['Job', 'batch/v1'],
  ])('%s: placed and re-labelled', (kind, apiVersion) => {
    const prod: ApiObjectJson = { apiVersion, kind, metadata: meta('agent'), spec: { selector, template } };
    expect(twinOf(prod)).toEqual({ apiVersion, kind, metadata: meta('agent-dr'), spec: { selector: twinSelector, template: twinTemplate } });
  });

  it('Pod: its own spec placed, merged with the chart placement', () => {
    const prod: ApiObjectJson = { apiVersion: 'v1', kind: 'Pod', metadata: meta('debug'), spec: chartPlaced };
    expect(twinOf(prod)).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: meta('debug-dr'), spec: mergedPlacement });
  });

  it('ReplicaSet: scaled like a Deployment (held at zero while syncing)', () => {
    const prod: ApiObjectJson = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('agent'), spec: { replicas: 4, selector, template } };
    expect(twinOf(prod, rulesFor('syncing'))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta('agent-dr'),
      spec: { replicas: 0, selector: twinSelector, template: twinTemplate },
    });
  });
});

describe('CronJob', () => {
  const cronJob: ApiObjectJson = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta('backup'),
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { containers: [container], restartPolicy: 'OnFailure' } } } } },
  };
  const placedJob = { spec: { template: { spec: { containers: [container], restartPolicy: 'OnFailure', ...PLACED } } } };

  it('is suspended while syncing and placed at spec.jobTemplate.spec.template.spec', () => {
    expect(twinOf(cronJob, rulesFor('syncing'))).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('backup-dr'),
      spec: { schedule: '0 3 * * *', jobTemplate: placedJob, suspend: true },
    });
  });

  it('runs on its schedule in standby', () => {
    expect(twinOf(cronJob, rulesFor('standby'))).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('backup-dr'),
      spec: { schedule: '0 3 * * *', jobTemplate: placedJob },
    });
  });
});

describe('replicas per DR state', () => {
  const deployment = (replicas?: number): ApiObjectJson => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { containers: [container] } } },
  });
  const replicasOf = (object: ApiObjectJson) => (object.spec as { replicas?: number }).replicas;

  it('keeps one warm pod in standby, none while syncing, production count when active', () => {
    expect(replicasOf(twinOf(deployment(3), rulesFor('standby')))).toBe(1);
    expect(replicasOf(twinOf(deployment(3), rulesFor('syncing')))).toBe(0);
    expect(replicasOf(twinOf(deployment(3), rulesFor('active')))).toBe(3);
  });

  it('reads an absent count as one: unchanged in standby, zero while syncing', () => {
    expect(replicasOf(twinOf(deployment(), rulesFor('standby')))).toBeUndefined();
    expect(replicasOf(twinOf(deployment(), rulesFor('syncing')))).toBe(0);
  });
});
