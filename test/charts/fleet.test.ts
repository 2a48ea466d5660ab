/**
 * A Cluster API fleet (test/fixtures/fleet.yaml: a management cluster from kind, a docker/kubeadm
 * and an openstack/rke2 workload cluster, Cilium): the management entry installs the providers
 * in order, builds every cluster and delivers to the workload clusters through their kubeconfig;
 * the kind entry builds the management cluster until the pivot. Everything validates and passes
 * every policy, with identity checked per cluster an object is applied to.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import { loadEnvironment, parseEnvironment } from '../../lib/config/load';
import type { ApiObjectJson, RenderedEnvironment } from '../../lib/model';
import { checkPolicies } from '../../lib/render/policies';
import { validateObjects } from '../../lib/render/validate';
import { renderRunbook } from '../../lib/runbook';
import { readFileSync } from 'node:fs';

const FILE = fileURLToPath(new URL('../fixtures/fleet.yaml', import.meta.url));
const TEXT = readFileSync(FILE, 'utf8');
const load = (text = TEXT): Environment => parseEnvironment('fleet', 'environments/fleet.yaml', text, { knownApps: APP_CATALOG });

function unitObjects(rendered: RenderedEnvironment, path: string): ApiObjectJson[] {
  const unit = rendered.units.find((candidate) => candidate.path === path);
  if (!unit) throw new Error(`no unit ${path}; have ${rendered.units.map((u) => u.path).join(', ')}`);
  return [...unit.objects];
}
const spec = (object: ApiObjectJson | undefined) => (object?.spec ?? {}) as Record<string, unknown>;
const named = (objects: readonly ApiObjectJson[], name: string) => objects.find((object) => object.metadata.name === name);
const dependsOn = (object: ApiObjectJson | undefined) => (spec(object).dependsOn as { name: string; namespace?: string }[] | undefined)?.map((d) => (d.namespace ? `${d.namespace}/${d.name}` : d.name)) ?? [];

describe('the fleet, before the pivot', () => {
  const env = loadEnvironment(FILE, { knownApps: APP_CATALOG });
  const rendered = composeEnvironment(env);
  const mgmt = unitObjects(rendered, 'fleet/clusters/mgmt');

  it('installs the providers some cluster needs, in order: cert-manager → core → bootstrap → control plane → infrastructure → add-on', () => {
    expect(mgmt.filter((o) => o.metadata.name.startsWith('capi-')).map((o) => `${o.metadata.name} ← ${dependsOn(o).join(',')}`)).toEqual([
      'capi-cert-manager ← ',
      'capi-core ← capi-cert-manager',
      'capi-bootstrap-kubeadm ← capi-core',
      'capi-bootstrap-rke2 ← capi-core',
      'capi-control-plane-kubeadm ← capi-bootstrap-kubeadm,capi-bootstrap-rke2',
      'capi-control-plane-rke2 ← capi-bootstrap-kubeadm,capi-bootstrap-rke2',
      'capi-infrastructure-docker ← capi-control-plane-kubeadm,capi-control-plane-rke2',
      'capi-infrastructure-openstack ← capi-control-plane-kubeadm,capi-control-plane-rke2',
      'capi-addon-helm ← capi-infrastructure-docker,capi-infrastructure-openstack',
    ]);
  });

  it('builds each cluster once its providers are in, ready only when the Cluster is Available, its own definition suspended until the pivot', () => {
    expect(dependsOn(named(mgmt, 'cluster-edge-2'))).toEqual(['capi-bootstrap-rke2', 'capi-control-plane-rke2', 'capi-infrastructure-openstack', 'capi-addon-helm']);
    expect(spec(named(mgmt, 'cluster-edge-2')).healthCheckExprs).toEqual([
      { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', current: "status.conditions.exists(e, e.type == 'Available' && e.status == 'True')" },
    ]);
    expect(spec(named(mgmt, 'cluster-mgmt')).suspend).toBe(true);
    expect(spec(named(mgmt, 'cluster-edge-1')).suspend).toBeUndefined();
  });

  it('delivers each workload entry after its cluster, and applies its units there through <cluster>-kubeconfig', () => {
    expect(spec(named(mgmt, 'delivery-edge-1'))).toMatchObject({ path: './dist/fleet/clusters/edge-1' });
    expect(dependsOn(named(mgmt, 'delivery-edge-1'))).toEqual(['cluster-edge-1']);
    const redis = named(unitObjects(rendered, 'fleet/clusters/edge-1'), 'redis');
    expect(redis?.metadata.namespace).toBe('edge-1');
    expect(spec(redis).kubeConfig).toEqual({ secretRef: { name: 'edge-1-kubeconfig', key: 'value' } });
    expect(dependsOn(redis)).toEqual(['flux-system/cluster-edge-1', 'infrastructure-storage']);
    expect(rendered.units.find((unit) => unit.path === 'fleet/clusters/edge-1')?.appliedTo).toBe('fleet/mgmt');
  });

  it("gives the kind cluster only the management cluster's providers and its definition, live", () => {
    const kind = unitObjects(rendered, 'fleet/clusters/mgmt-bootstrap');
    expect(kind.map((o) => o.metadata.name)).toEqual([
      'capi-cert-manager',
      'capi-core',
      'capi-bootstrap-kubeadm',
      'capi-control-plane-kubeadm',
      'capi-infrastructure-docker',
      'capi-addon-helm',
      'cluster-mgmt',
    ]);
    expect(spec(named(kind, 'cluster-mgmt')).suspend).toBeUndefined();
    expect(dependsOn(named(kind, 'capi-addon-helm'))).toEqual(['capi-infrastructure-docker']);
  });

  it('validates every object strictly and passes every policy', () => {
    expect(validateObjects(rendered.units.flatMap((unit) => unit.objects.map((object) => ({ file: unit.path, object }))))).toEqual([]);
    expect(checkPolicies(rendered.units, env)).toEqual([]);
  });

  it('drops the kind entry and un-suspends the management definition once pivoted', () => {
    const pivoted = composeEnvironment(load(TEXT.replace('pivoted: false', 'pivoted: true')));
    expect(pivoted.units.some((unit) => unit.path === 'fleet/clusters/mgmt-bootstrap')).toBe(false);
    expect(spec(named(unitObjects(pivoted, 'fleet/clusters/mgmt'), 'cluster-mgmt')).suspend).toBeUndefined();
  });
});

describe("the fleet's runbook", () => {
  const env = loadEnvironment(FILE, { knownApps: APP_CATALOG });
  const markdown = renderRunbook(env, composeEnvironment(env));

  it('bootstraps the management cluster from kind and pivots, and delivers the workload clusters instead of bootstrapping them', () => {
    expect(markdown).toContain('   --path=dist/fleet/clusters/mgmt-bootstrap');
    expect(markdown).toContain('   clusterctl move -n mgmt --to-kubeconfig=mgmt.kubeconfig');
    expect(markdown).toContain('Not bootstrapped: Cluster API builds it from the management cluster `mgmt` (unit `cluster-edge-1`)');
    expect(markdown).not.toContain('--path=dist/fleet/clusters/edge-1');
  });

  it('lists the OpenStack credentials to put in the store, and how to tear a workload cluster down', () => {
    expect(markdown).toContain('| `capi/edge-2/openstack` | `clouds.yaml` | edge-2/edge-2-cloud-config |');
    expect(markdown).toContain('## Tearing a cluster down');
  });
});

describe("a workload cluster's HelmReleases", () => {
  const env = loadEnvironment(FILE, { knownApps: APP_CATALOG });
  const rendered = composeEnvironment(env);

  it("get Flux's source and helm controllers on every workload cluster from CAAPH, and none on the management cluster", () => {
    const proxy = (cluster: string) => unitObjects(rendered, `fleet/mgmt/capi/clusters/${cluster}`).find((o) => o.kind === 'HelmChartProxy' && o.metadata.name === 'flux-controllers');
    for (const cluster of ['edge-1', 'edge-2']) {
      expect(spec(proxy(cluster))).toMatchObject({ chartName: 'flux2', namespace: 'flux-system', releaseName: 'flux', repoURL: 'https://fluxcd-community.github.io/helm-charts', version: '2.15.0' });
      expect(String(spec(proxy(cluster)).valuesTemplate)).toContain('kustomizeController:\n  create: false');
      const target = unitObjects(rendered, `fleet/mgmt/capi/clusters/${cluster}`).find((o) => o.kind === 'Cluster');
      expect(target?.metadata.labels?.['twinops.dev/flux-controllers']).toBe('true');
    }
    expect(proxy('mgmt')).toBeUndefined();
  });

  it("deliver the add-ons a workload cluster needs through its kubeconfig, before its infrastructure", () => {
    const entry = unitObjects(rendered, 'fleet/clusters/edge-1');
    expect(spec(named(entry, 'addon-external-secrets'))).toMatchObject({ path: './dist/fleet/edge-1/addons/external-secrets', kubeConfig: { secretRef: { name: 'edge-1-kubeconfig', key: 'value' } } });
    expect(dependsOn(named(entry, 'infrastructure-storage'))).toEqual(['flux-system/cluster-edge-1', 'addon-external-secrets']);
  });
});

describe('a twin on another Cluster API cluster', () => {
  const env = loadEnvironment(FILE, { knownApps: APP_CATALOG });
  const rendered = composeEnvironment(env);

  it("is delivered by its DR cluster's entry through that cluster's kubeconfig, waiting on that cluster only", () => {
    const twin = named(unitObjects(rendered, 'fleet/clusters/edge-2'), 'redis-dr');
    expect(spec(twin).path).toBe('./dist/fleet/edge-2/apps/redis/dr');
    expect(spec(twin).kubeConfig).toEqual({ secretRef: { name: 'edge-2-kubeconfig', key: 'value' } });
    expect(dependsOn(twin)).toEqual(['flux-system/cluster-edge-2', 'infrastructure-storage']);
    expect(unitObjects(rendered, 'fleet/clusters/edge-1').map((o) => o.metadata.name)).not.toContain('redis-dr');
  });
});

describe('what is not rendered yet is refused, with what to do', () => {
  it('refuses the Argo CD engine with Cluster API clusters', () => {
    const env = load(TEXT.replace('  engine: flux', '  engine: argocd\n  repoURL: https://git.example.org/platform/estate.git'));
    expect(() => composeEnvironment(env)).toThrow('the Argo CD engine does not deliver Cluster API clusters yet');
  });
});
