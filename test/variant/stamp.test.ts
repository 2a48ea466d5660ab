import { describe, expect, it } from 'vitest';
import type { ApiObjectJson } from '../../lib/model';
import { stampVariant } from '../../lib/variant/stamp';

const STAMP = { 'app.kubernetes.io/managed-by': 'twinops', 'twinops.dev/app': 'blog', 'twinops.dev/variant': 'dr' };

describe('stampVariant', () => {
  it('labels the object, the pods of a CronJob and the claims of a StatefulSet, keys sorted as cdk8s sorts them', () => {
    const cron: ApiObjectJson = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'dump', labels: { zeta: 'z', 'app.kubernetes.io/name': 'dump' } },
      spec: { schedule: '0 0 * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
    };
    const stamped = stampVariant(cron, 'blog', 'dr');
    expect(stamped.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'dump', ...STAMP, zeta: 'z' });
    expect(Object.keys(stamped.metadata.labels ?? {})).toEqual(['app.kubernetes.io/managed-by', 'app.kubernetes.io/name', 'twinops.dev/app', 'twinops.dev/variant', 'zeta']);
    expect((stamped.spec as { jobTemplate: { spec: { template: { metadata: unknown } } } }).jobTemplate.spec.template.metadata).toEqual({ labels: STAMP });

    const sts: ApiObjectJson = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { template: { metadata: { labels: { app: 'db' } } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] },
    };
    const spec = stampVariant(sts, 'blog', 'dr').spec as { template: { metadata: unknown }; volumeClaimTemplates: { metadata: unknown }[] };
    expect(spec.template.metadata).toEqual({ labels: { app: 'db', ...STAMP } });
    expect(spec.volumeClaimTemplates[0]?.metadata).toEqual({ name: 'data', labels: STAMP });
  });

  it('overrides a chart label of the same key, and never mutates its input', () => {
    const config: ApiObjectJson = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'twinops.dev/variant': 'prod' } } };
    const before = JSON.stringify(config);
    expect(stampVariant(config, 'blog', 'dr').metadata.labels).toEqual(STAMP);
    expect(JSON.stringify(config)).toBe(before);
  });
});
