/**
 * The committed imports/ folder agrees with cdk8s.yaml: every CRD source has its kinds, schemas
 * and construct classes, every schema compiles, and what the constructs render passes validation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { IpPool } from '../../imports/crd.projectcalico.org';
import { ExternalSecret } from '../../imports/external-secrets.io';
import { HelmRelease, HelmReleaseSpecChartSpecSourceRefKind } from '../../imports/helm.toolkit.fluxcd.io';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/kustomize.toolkit.fluxcd.io';
import { IpAddressPool, L2Advertisement } from '../../imports/metallb.io';
import { GitRepository, HelmRepository } from '../../imports/source.toolkit.fluxcd.io';
import { IngressRoute, IngressRouteSpecRoutesKind, IngressRouteSpecRoutesServicesPort, Middleware } from '../../imports/traefik.io';
import { readImportSources } from '../../lib/imports/config';
import type { SchemaIndex } from '../../lib/imports/schemas';
import type { ApiObjectJson } from '../../lib/model';
import { validateObjects } from '../../lib/render/validate';

const root = fileURLToPath(new URL('../../', import.meta.url));
const schemasDir = new URL('../../imports/schemas/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', schemasDir), 'utf8')) as SchemaIndex;

describe('the committed imports/', async () => {
  const sources = await readImportSources(root);

  it('has index entries for exactly the sources of cdk8s.yaml', () => {
    expect(Object.keys(index.sources).sort()).toEqual([...sources.crds, sources.kubernetesDefinitions].sort());
    expect(index.kubernetes.source).toBe(sources.kubernetesDefinitions);
  });

  it.each(sources.crds.map(url => [url.split('/').pop() ?? url, url]))('lists every kind of %s', (_file, url) => {
    const kinds = index.sources[url] ?? [];
    expect(kinds.length).toBeGreaterThan(0);
    // One CRD file defines one kind of one group; not every file is named after its group (Argo CD's are not).
    const group = (kinds[0] ?? '').split('/')[0] ?? '';
    for (const gvk of kinds) {
      expect(gvk.startsWith(`${group}/`)).toBe(true);
      const schema = index.kinds[gvk];
      expect(schema, gvk).toBeDefined();
      expect(existsSync(new URL(schema ?? '', schemasDir)), schema).toBe(true);
    }
    expect(existsSync(new URL(`../../imports/${group}.ts`, import.meta.url))).toBe(true);
  });

  it('has a generated values schema for exactly the charts of twinops.helmValues, Traefik 41.3.0 among them', () => {
    // The index is keyed by chart, so it lists them in name order.
    const listed = sources.helmValues
      .map(({ chart, version, url }) => ({ chart, version, file: `helm-values/${chart}-${version}.json`, source: url }))
      .sort((a, b) => (a.chart < b.chart ? -1 : a.chart > b.chart ? 1 : 0));
    const indexed = Object.entries(index.helmValues).flatMap(([chart, versions]) =>
      Object.entries(versions).map(([version, entry]) => ({ chart, version, ...entry })));
    expect(indexed).toEqual(listed);
    expect(listed.map(({ chart, version }) => `${chart} ${version}`)).toContain('traefik 41.3.0');
    for (const { file } of listed) {
      const schema = JSON.parse(readFileSync(new URL(file, schemasDir), 'utf8')) as Record<string, unknown>;
      expect(schema['$id'], file).toBe(file);
      expect(['http://json-schema.org/draft-07/schema#', 'https://json-schema.org/draft/2020-12/schema'], file).toContain(schema['$schema']);
    }
  });

  it('has a schema for the everyday Kubernetes kinds', () => {
    for (const gvk of ['v1/ConfigMap', 'v1/Service', 'v1/PersistentVolumeClaim', 'v1/Namespace', 'apps/v1/Deployment', 'apps/v1/StatefulSet', 'storage.k8s.io/v1/StorageClass', 'networking.k8s.io/v1/Ingress']) {
      expect(index.kinds[gvk], gvk).toMatch(/^kubernetes-1\.28\.json#\/definitions\/io\.k8s\./);
    }
  });

  it('compiles the schema of every kind', () => {
    const objects = Object.keys(index.kinds).map(gvk => {
      const at = gvk.lastIndexOf('/');
      return { file: gvk, object: { apiVersion: gvk.slice(0, at), kind: gvk.slice(at + 1), metadata: { name: 'x' } } };
    });
    const problems = validateObjects(objects);
    expect(problems.filter(p => p.message.startsWith('unknown kind'))).toEqual([]);
  });

  it('has constructs whose output passes the strict schemas', () => {
    const chart = Testing.chart();
    const metadata = (name: string) => ({ name, namespace: 'flux-system' });
    new Kustomization(chart, 'k', {
      metadata: metadata('apps'),
      spec: { interval: '10m', path: './dist/home', prune: true, sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: 'flux-system' } },
    });
    new GitRepository(chart, 'g', { metadata: metadata('flux-system'), spec: { interval: '1m', url: 'https://example.com/estate.git', ref: { branch: 'main' } } });
    new HelmRepository(chart, 'hr', { metadata: metadata('traefik'), spec: { interval: '1h', url: 'https://traefik.github.io/charts' } });
    new HelmRelease(chart, 'h', {
      metadata: metadata('traefik'),
      spec: { interval: '1h', chart: { spec: { chart: 'traefik', sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: 'traefik' } } }, values: { a: 1 } },
    });
    new IngressRoute(chart, 'i', {
      metadata: { name: 'wordpress', namespace: 'wordpress' },
      spec: {
        routes: [{ match: 'Host(`blog.example.com`)', kind: IngressRouteSpecRoutesKind.RULE, services: [{ name: 'wordpress', port: IngressRouteSpecRoutesServicesPort.fromNumber(80) }] }],
      },
    });
    new Middleware(chart, 'm', { metadata: { name: 'https' }, spec: { redirectScheme: { scheme: 'https', permanent: true } } });
    new ExternalSecret(chart, 'e', { metadata: { name: 'db' }, spec: { secretStoreRef: { name: 'vault' }, data: [{ secretKey: 'password', remoteRef: { key: 'db/password' } }] } });
    new IpAddressPool(chart, 'p', { metadata: { name: 'prod', namespace: 'metallb-system' }, spec: { addresses: ['192.168.1.240/32'] } });
    new L2Advertisement(chart, 'l', { metadata: { name: 'prod', namespace: 'metallb-system' }, spec: { ipAddressPools: ['prod'] } });
    new IpPool(chart, 'c', { metadata: { name: 'pods' }, spec: { cidr: '10.244.0.0/16' } });

    const objects = Testing.synth(chart) as ApiObjectJson[];
    expect(objects.map(o => `${o.apiVersion}/${o.kind}`)).toEqual([
      'kustomize.toolkit.fluxcd.io/v1/Kustomization',
      'source.toolkit.fluxcd.io/v1/GitRepository',
      'source.toolkit.fluxcd.io/v1/HelmRepository',
      'helm.toolkit.fluxcd.io/v2/HelmRelease',
      'traefik.io/v1alpha1/IngressRoute',
      'traefik.io/v1alpha1/Middleware',
      'external-secrets.io/v1/ExternalSecret',
      'metallb.io/v1beta1/IPAddressPool',
      'metallb.io/v1beta1/L2Advertisement',
      'crd.projectcalico.org/v1/IPPool',
    ]);
    expect(validateObjects(objects.map(object => ({ file: 'chart.yaml', object })))).toEqual([]);
  });
});
