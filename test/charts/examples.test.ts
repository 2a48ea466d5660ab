/**
 * The README's three "Add an app" examples (test/fixtures/apps/) placed with DR on a Ceph lab:
 * each prod chart is plain cdk8s with no DR code, and each twin, derived by the rule table and
 * the app's declarations, lands on the DR side and passes schemas and every policy. The README
 * shows these very files, so the documentation cannot drift from what is tested here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import { appCatalogOf } from '../../lib/app/catalog';
import { loadEnvironment } from '../../lib/config/load';
import type { ApiObjectJson } from '../../lib/model';
import { checkPolicies } from '../../lib/render/policies';
import { validateObjects } from '../../lib/render/validate';
import { drReplicas } from '../../lib/variant/rules';
import { EXAMPLE_APPS } from '../fixtures/apps/index';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APPS_DIR = join(ROOT, 'test/fixtures/apps');
const EXAMPLES = ['gitea.ts', 'postgres.ts', 'podinfo.ts'];

const env = loadEnvironment(join(ROOT, 'test/fixtures/examples/ceph-lab.yaml'), { knownApps: appCatalogOf(EXAMPLE_APPS) });
const { units } = composeEnvironment(env, EXAMPLE_APPS);

/** The one rendered object of `kind` named `name` in `namespace`. */
function find(kind: string, name: string, namespace: string): ApiObjectJson {
  const found = units.flatMap((unit) => unit.objects).filter((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  if (found.length !== 1) throw new Error(`expected one ${kind}/${name} in ${namespace}, found ${found.length}`);
  return found[0] as ApiObjectJson;
}

/** The value at a dotted path (`spec.template.spec`; numbers index lists). */
function at(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], object);
}

/** The value of environment variable `name` of the first container of the pod spec at `podSpec`. */
function envValue(object: ApiObjectJson, podSpec: string, name: string): unknown {
  const variables = at(object, `${podSpec}.containers.0.env`) as { name: string; value?: string }[];
  return variables.find((variable) => variable.name === name)?.value;
}

const DR_NODE_SELECTOR = { 'topology.example.org/site': 'dr' };
const DR_TOLERATIONS = [{ key: 'role', operator: 'Equal', value: 'dr', effect: 'NoExecute' }];

describe('the README examples on a Ceph lab', () => {
  it('render objects every schema accepts', () => {
    const objects = units.flatMap((unit) => unit.objects.map((object) => ({ file: unit.path, object })));
    expect(validateObjects(objects)).toEqual([]);
  });

  it('pass every policy', () => {
    expect(checkPolicies(units, env)).toEqual([]);
  });
});

describe('gitea (cdk8s-plus-28 Deployment, claim, Service and CronJob)', () => {
  const cronJob = find('CronJob', 'gitea-dump', 'gitea');
  const cronJobTwin = find('CronJob', 'gitea-dump-dr', 'gitea');
  const jobPod = 'spec.jobTemplate.spec.template.spec';

  it('places the CronJob twin\'s pods on the DR node, tolerating its taint', () => {
    expect(at(cronJobTwin, `${jobPod}.nodeSelector`)).toEqual(DR_NODE_SELECTOR);
    expect(at(cronJobTwin, `${jobPod}.tolerations`)).toEqual(DR_TOLERATIONS);
    expect(at(cronJob, `${jobPod}.nodeSelector`)).toBeUndefined();
    expect(at(cronJob, `${jobPod}.tolerations`)).toBeUndefined();
  });

  it('mounts the twin claim in the CronJob twin', () => {
    expect(at(cronJobTwin, `${jobPod}.volumes.0.persistentVolumeClaim.claimName`)).toBe('gitea-data-dr');
  });

  it('puts the claim twin on the DR class of the files role', () => {
    expect(at(find('PersistentVolumeClaim', 'gitea-data', 'gitea'), 'spec.storageClassName')).toBe('ceph-fs');
    expect(at(find('PersistentVolumeClaim', 'gitea-data-dr', 'gitea'), 'spec.storageClassName')).toBe('ceph-fs-dr');
  });

  it('gives the Deployment twin its own cdk8s-plus selector label, which its pods and Service twin carry', () => {
    const addr = 'cdk8s.io/metadata.addr';
    const prodSelector = at(find('Deployment', 'gitea', 'gitea'), `spec.selector.matchLabels`) as Record<string, string>;
    const twin = find('Deployment', 'gitea-dr', 'gitea');
    const twinSelector = at(twin, 'spec.selector.matchLabels') as Record<string, string>;
    expect(twinSelector[addr]).toBe(`${prodSelector[addr]}-dr`);
    expect((at(twin, 'spec.template.metadata.labels') as Record<string, string>)[addr]).toBe(twinSelector[addr]);
    expect((at(find('Service', 'gitea-dr', 'gitea'), 'spec.selector') as Record<string, string>)[addr]).toBe(twinSelector[addr]);
  });

  it('points the Deployment twin at its own host and at the postgres twin', () => {
    const twin = find('Deployment', 'gitea-dr', 'gitea');
    expect(envValue(twin, 'spec.template.spec', 'GITEA__server__ROOT_URL')).toBe('https://git-dr.example.org/');
    expect(envValue(twin, 'spec.template.spec', 'GITEA__database__HOST')).toBe('postgres-dr.postgres.svc:5432');
    expect(envValue(find('Deployment', 'gitea', 'gitea'), 'spec.template.spec', 'GITEA__database__HOST')).toBe('postgres.postgres.svc:5432');
  });
});

describe('postgres (L1 StatefulSet with a claim template)', () => {
  const twin = find('StatefulSet', 'postgres-dr', 'postgres');

  it('puts the claim template twin on the DR class of the database role', () => {
    expect(at(find('StatefulSet', 'postgres', 'postgres'), 'spec.volumeClaimTemplates.0.spec.storageClassName')).toBe('ceph-rbd');
    expect(at(twin, 'spec.volumeClaimTemplates.0.spec.storageClassName')).toBe('ceph-rbd-dr');
  });

  it('names the headless Service twin as its serviceName, and the Service twin exists', () => {
    expect(at(twin, 'spec.serviceName')).toBe('postgres-dr');
    expect(at(find('Service', 'postgres-dr', 'postgres'), 'spec.clusterIP')).toBe('None');
  });

  it('runs the standby replica count on the DR node', () => {
    expect(drReplicas('standby', 1)).toBe(1);
    expect(at(twin, 'spec.replicas')).toBe(1);
    expect(at(twin, 'spec.template.spec.nodeSelector')).toEqual(DR_NODE_SELECTOR);
    expect(at(twin, 'spec.template.spec.tolerations')).toEqual(DR_TOLERATIONS);
  });
});

describe('podinfo (Flux HelmRelease of a third-party chart, with declared value paths)', () => {
  const prod = find('HelmRelease', 'podinfo', 'podinfo');
  const twin = find('HelmRelease', 'podinfo-dr', 'podinfo');

  it('gives the twin release its own release name and keeps the shared repository', () => {
    expect(at(twin, 'spec.releaseName')).toBe('podinfo-dr');
    expect(at(twin, 'spec.chart.spec.sourceRef.name')).toBe('podinfo');
    const repositories = units.flatMap((unit) => unit.objects).filter((object) => object.kind === 'HelmRepository' && object.metadata.namespace === 'podinfo');
    expect(repositories.map((object) => object.metadata.name)).toEqual(['podinfo']);
  });

  it('transforms exactly the declared values', () => {
    expect(at(prod, 'spec.values')).toEqual({
      replicaCount: 2,
      ingress: { enabled: true, hosts: [{ host: 'podinfo.example.org', paths: [{ path: '/', pathType: 'ImplementationSpecific' }] }] },
      persistence: { enabled: true, storageClass: 'ceph-fs', size: '1Gi' },
      nodeSelector: {},
      tolerations: [],
    });
    expect(at(twin, 'spec.values')).toEqual({
      replicaCount: drReplicas('standby', 2),
      ingress: { enabled: true, hosts: [{ host: 'podinfo-dr.example.org', paths: [{ path: '/', pathType: 'ImplementationSpecific' }] }] },
      persistence: { enabled: true, storageClass: 'ceph-fs-dr', size: '1Gi' },
      nodeSelector: DR_NODE_SELECTOR,
      tolerations: DR_TOLERATIONS,
    });
    expect(drReplicas('standby', 2)).toBe(1);
  });
});

/** Every `.ts` file under `dir`, recursively, relative to the project root. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name).slice(ROOT.length));
}

describe('no DR code in any app chart', () => {
  it.each([...sources('test/fixtures/apps'), ...sources('charts/apps')])('%s names no twin suffix and no variant', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    // `\b` keeps `--dry-run` from counting; `ceph-rbd-dr` or `name + '-dr'` still does.
    expect(text.match(/-dr\b|variantOf|Variant/g) ?? []).toEqual([]);
  });
});

describe('the README section "Add an app and its DR twin"', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Add an app and its DR twin\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);

  it.each(EXAMPLES)('shows test/fixtures/apps/%s verbatim in a ts block', (file) => {
    expect(start).toBeGreaterThanOrEqual(0);
    const content = readFileSync(join(APPS_DIR, file), 'utf8');
    expect(section).toContain(`\`\`\`ts\n${content}\`\`\`\n`);
  });
});
