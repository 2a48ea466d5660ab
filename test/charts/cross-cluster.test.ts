/**
 * Twins in another cluster or region (test/fixtures/regions.yaml: east's twins run in west,
 * west's in uk, uk's in east; local-path everywhere): each twin is rendered under its DR
 * cluster's folder and delivered by that cluster's entry, never waits on a prod unit, claims the
 * DR cluster's class, owns its credentials and, on a cluster with an edge, its route and records;
 * activation moves prod's DNS record to the DR cluster. The loader refuses twins that would
 * collide on their DR cluster.
 */
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import { parseEnvironment } from '../../lib/config/load';
import { environmentStatus, formatStatus } from '../../lib/dr/status';
import type { ApiObjectJson, RenderedEnvironment } from '../../lib/model';
import { checkPolicies } from '../../lib/render/policies';
import { validateObjects } from '../../lib/render/validate';
import { podSpec } from '../support/render';
import { withEdges } from '../support/regions';

const FILE = fileURLToPath(new URL('../fixtures/regions.yaml', import.meta.url));
const TEXT = readFileSync(FILE, 'utf8');
const load = (text = TEXT): Environment => parseEnvironment('regions', 'environments/regions.yaml', text, { knownApps: APP_CATALOG });

const active = (text: string) => text.replace('dr:\n  state: standby', 'dr:\n  state: active');

function objectsAt(rendered: RenderedEnvironment, path: string): ApiObjectJson[] {
  const unit = rendered.units.find((candidate) => candidate.path === path);
  if (!unit) throw new Error(`no unit ${path}; have ${rendered.units.map((u) => u.path).join(', ')}`);
  return [...unit.objects];
}
const spec = (object: ApiObjectJson | undefined) => (object?.spec ?? {}) as Record<string, unknown>;
const named = (objects: readonly ApiObjectJson[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const entryUnits = (objects: readonly ApiObjectJson[]) =>
  objects.map((o) => `${o.metadata.name} ← ${((spec(o).dependsOn as { name: string }[] | undefined) ?? []).map((d) => d.name).join(',')}`);
const externalNames = (objects: readonly ApiObjectJson[]) =>
  objects
    .filter((o) => o.kind === 'Service' && spec(o).type === 'ExternalName')
    .map((o) => `${o.metadata.name}: ${o.metadata.annotations?.['external-dns.alpha.kubernetes.io/hostname']} → ${String(spec(o).externalName)}`);

describe('three regions, each app twinned in the next', () => {
  const env = load();
  const rendered = composeEnvironment(env);
  const paths = rendered.units.map((unit) => unit.path);

  it("renders each twin under its DR cluster's folder, and no twin folder on its prod cluster", () => {
    expect(paths.filter((path) => path.endsWith('/dr'))).toEqual([
      'regions/east/apps/nextcloud/dr',
      'regions/west/apps/wordpress/dr',
      'regions/west/apps/redis/dr',
      'regions/uk/apps/keycloak/dr',
    ]);
  });

  it("delivers each twin with its DR cluster's entry, waiting on that cluster's units only, never on prod", () => {
    const app = (cluster: string) => entryUnits(objectsAt(rendered, `regions/clusters/${cluster}`)).filter((line) => !/^(addon|infrastructure)-/.test(line));
    expect(app('east')).toEqual(['wordpress ← infrastructure-storage,redis', 'redis ← infrastructure-storage', 'nextcloud-dr ← infrastructure-storage']);
    expect(app('west')).toEqual(['keycloak ← infrastructure-storage', 'wordpress-dr ← infrastructure-storage,redis-dr', 'redis-dr ← infrastructure-storage']);
    expect(app('uk')).toEqual(['nextcloud ← infrastructure-storage', 'keycloak-dr ← infrastructure-storage']);
  });

  it("claims the DR cluster's local-path class, which that cluster declares WaitForFirstConsumer and Retain", () => {
    const twin = objectsAt(rendered, 'regions/west/apps/wordpress/dr');
    const claims = twin.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => `${o.metadata.name}: ${String(spec(o).storageClassName)}`);
    expect(claims).toEqual(['wordpress-db-dr: local-path', 'wordpress-html-dr: local-path']);
    const west = objectsAt(rendered, 'regions/west/infrastructure/storage');
    const local = named(west, 'StorageClass', 'local-path') as unknown as Record<string, unknown>;
    expect([local['provisioner'], local['volumeBindingMode'], local['reclaimPolicy']]).toEqual(['rancher.io/local-path', 'WaitForFirstConsumer', 'Retain']);
    // No derived `-dr` class: a cluster without a DR node pins nothing.
    expect(west.filter((o) => o.kind === 'StorageClass').map((o) => o.metadata.name)).toEqual(['local-path']);
  });

  it("creates the twin's namespace on the DR cluster and keeps prod's on the prod cluster", () => {
    const namespaces = (cluster: string) => objectsAt(rendered, `regions/${cluster}/infrastructure/storage`).filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces('east')).toEqual(['nextcloud', 'wordpress']);
    expect(namespaces('west')).toEqual(['keycloak', 'wordpress']);
    expect(namespaces('uk')).toEqual(['keycloak', 'nextcloud']);
  });

  it('owns its credentials on the DR cluster: an ExternalSecret of its own, read by its pods', () => {
    const twin = objectsAt(rendered, 'regions/west/apps/wordpress/dr');
    expect(twin.filter((o) => o.kind === 'ExternalSecret').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['wordpress/wordpress-db-credentials-dr']);
    const env = JSON.stringify(podSpec(named(twin, 'Deployment', 'wordpress-dr')!));
    expect(env).toContain('"name":"wordpress-db-credentials-dr"');
    expect(env).toContain('{"name":"WP_REDIS_HOST","value":"redis-dr"}');
  });

  it('runs twins anywhere on a DR cluster without a DR node: no nodeSelector, no toleration', () => {
    const twin = objectsAt(rendered, 'regions/west/apps/wordpress/dr');
    const pod = podSpec(named(twin, 'Deployment', 'wordpress-dr')!);
    expect([pod.nodeSelector, pod.tolerations]).toEqual([undefined, undefined]);
  });

  it('validates against every schema and passes every policy, parity with prod across clusters included', () => {
    expect(validateObjects(rendered.units.flatMap((unit) => unit.objects.map((object) => ({ file: unit.path, object }))))).toEqual([]);
    expect(checkPolicies(rendered.units, env)).toEqual([]);
    expect(rendered.units.find((unit) => unit.path === 'regions/west/apps/wordpress/dr')?.twin?.prod).toBe('regions/east/apps/wordpress/prod');
  });

  it('says in dr status which cluster each twin runs on', () => {
    expect(formatStatus(environmentStatus(env)).map((line) => line.split(/\s{2,}/).slice(0, 3).join(' | '))).toEqual([
      'CLUSTER | TWIN CLUSTER | APP',
      'east | west | wordpress',
      'east | west | redis',
      'west | uk | keycloak',
      'uk | east | nextcloud',
    ]);
  });
});

describe('the edge of a twin in another cluster', () => {
  it("routes the twin on the DR cluster's DR Traefik instance, answering both hosts, and publishes its own host there", () => {
    const rendered = composeEnvironment(load(withEdges(TEXT)));
    const twin = objectsAt(rendered, 'regions/west/apps/wordpress/dr');
    const route = named(twin, 'IngressRoute', 'wordpress-ingressroute-dr');
    expect(route?.metadata.annotations?.['kubernetes.io/ingress.class']).toBe('traefik-dr');
    expect(JSON.stringify(spec(route).routes)).toContain('Host(`blog-dr.example.org`) || Host(`blog.example.org`)');
    expect(externalNames(twin)).toEqual(['wordpress-name-dr: blog-dr.example.org → 192.0.2.4']);
    expect(externalNames(objectsAt(rendered, 'regions/east/apps/wordpress/prod'))).toEqual(['wordpress-name: blog.example.org → 192.0.2.1']);
    // West runs twins, so it has a DR Traefik instance; uk has no edge at all.
    expect(objectsAt(rendered, 'regions/west/infrastructure/traefik').filter((o) => o.kind === 'HelmRelease').map((o) => o.metadata.name)).toEqual(['traefik', 'traefik-dr']);
  });

  it("moves prod's record to the DR cluster's address when active: gone from the prod cluster, published by the twin under prod's name", () => {
    const rendered = composeEnvironment(load(active(withEdges(TEXT))));
    expect(externalNames(objectsAt(rendered, 'regions/east/apps/wordpress/prod'))).toEqual([]);
    expect(externalNames(objectsAt(rendered, 'regions/west/apps/wordpress/dr'))).toEqual([
      'wordpress-name-dr: blog-dr.example.org → 192.0.2.4',
      'wordpress-name: blog.example.org → 192.0.2.4',
    ]);
    // The prod cluster's balancer stays where it is: its DR instance does not exist.
    const east = objectsAt(rendered, 'regions/east/infrastructure/traefik').filter((o) => o.kind === 'HelmRelease').map((o) => o.metadata.name);
    expect(east).toEqual(['traefik', 'traefik-dr']);
    expect(checkPolicies(rendered.units, load(active(withEdges(TEXT))))).toEqual([]);
  });

  it('gives a twin from a cluster without an edge the edge of its DR cluster', () => {
    const rendered = composeEnvironment(load(active(withEdges(TEXT))));
    expect(externalNames(objectsAt(rendered, 'regions/east/apps/nextcloud/dr'))).toEqual([
      'nextcloud-name-dr: cloud-dr.example.org → 192.0.2.2',
      'nextcloud-name: cloud.example.org → 192.0.2.2',
    ]);
  });
});

describe('a DR cluster with a DR node of its own', () => {
  it("runs the twins other clusters send on that DR node too, with the node's classes", () => {
    const text = TEXT.replace(
      '      - name: west-2\n        addresses: [192.0.2.22]\n    dr:\n      cluster: uk',
      '      - name: west-2\n        addresses: [192.0.2.22]\n        labels: { kubernetes.io/hostname: west-2 }\n        taints: [{ key: role, value: dr, effect: NoSchedule }]\n    dr:\n      node: west-2',
    ).replace('      - app: keycloak\n        host: keycloak.example.org\n        dr:\n', '      - app: keycloak\n        host: keycloak.example.org\n        dr:\n          cluster: uk\n');
    const env = load(text);
    const rendered = composeEnvironment(env);
    const pod = podSpec(named(objectsAt(rendered, 'regions/west/apps/wordpress/dr'), 'Deployment', 'wordpress-dr')!);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'west-2' });
    expect(pod.tolerations).toEqual([{ key: 'role', operator: 'Equal', value: 'dr', effect: 'NoSchedule' }]);
    expect(checkPolicies(rendered.units, env)).toEqual([]);
  });
});

describe('twins that would collide on their DR cluster', () => {
  it('refuses a twin sent to a cluster that places the same app, with file, line and both clusters', () => {
    const text = TEXT.replace('      - app: keycloak\n', '      - app: wordpress\n        host: blog2.example.org\n      - app: keycloak\n');
    expect(() => load(text)).toThrow(
      /environments\/regions\.yaml:\d+:\d+ clusters\[0\]\.apps\[0\]\.dr: the twin of wordpress would run on cluster "west", which places wordpress itself: one cluster runs an app once; expected a DR cluster that does not place wordpress; given "west"/,
    );
  });

  it('refuses two clusters sending twins of the same app to one cluster', () => {
    const text = TEXT.replace('      - app: nextcloud\n        host: cloud.example.org\n        dr: true\n', '      - app: nextcloud\n        host: cloud.example.org\n        dr: true\n      - app: redis\n        namespace: cache\n        dr:\n          cluster: west\n');
    expect(() => load(text)).toThrow(/clusters\[2\]\.apps\[1\]\.dr: the twin of redis would run on cluster "west", which already runs the twin of redis from cluster "east"/);
  });
});

describe('the three regions delivered by Argo CD (environments/regions.yaml uses this engine)', () => {
  const argo = TEXT.replace('gitops:\n  engine: flux\n', 'gitops:\n  engine: argocd\n  repoURL: https://git.example.org/platform/estate.git\n');
  const env = load(argo);
  const rendered = composeEnvironment(env);
  const waves = (cluster: string) =>
    objectsAt(rendered, `regions/clusters/${cluster}`).map((o) => `${o.metadata.name}@${o.metadata.annotations?.['argocd.argoproj.io/sync-wave']}`);

  it("syncs each twin from its DR cluster's own Argo CD, in waves from that cluster's dependencies", () => {
    expect(waves('west')).toEqual([
      'addon-external-secrets@0',
      'addon-local-path@0',
      'infrastructure-storage@1',
      'keycloak@2',
      'wordpress-dr@3',
      'redis-dr@2',
    ]);
    const twin = objectsAt(rendered, 'regions/clusters/west').find((o) => o.metadata.name === 'wordpress-dr');
    expect(spec(twin).destination).toEqual({ server: 'https://kubernetes.default.svc' });
    expect((spec(twin).source as { path: string }).path).toBe('dist/regions/west/apps/wordpress/dr');
  });

  it('renders the same unit folders as Flux, validated and passing every policy', () => {
    const flux = composeEnvironment(load());
    const units = (of: RenderedEnvironment) => JSON.stringify(of.units.filter((unit) => !unit.path.startsWith('regions/clusters/')));
    expect(units(rendered)).toBe(units(flux));
    expect(validateObjects(rendered.units.flatMap((unit) => unit.objects.map((object) => ({ file: unit.path, object }))))).toEqual([]);
    expect(checkPolicies(rendered.units, env)).toEqual([]);
  });
});
