import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CapiProviderComponents } from '../../lib/constructs/capi-providers';
import type { ProviderVersions } from '../../lib/constructs/capi-providers';
import { FluxUnit } from '../../lib/constructs/flux';
import type { ApiObjectJson } from '../../lib/model';
import type { ProviderUnit } from '../../lib/plan-fleet';
import { clusterUnit, deliveryUnit, providerNeeds, providerUnits, remoteDelivery } from '../../lib/plan-fleet';
import { formatProblem, validateObjects } from '../../lib/render/validate';
import { lab } from '../support/environments';

const VERSIONS: ProviderVersions = { version: 'v1.14.0', openstack: 'v0.14.7', rke2: 'v0.25.0', helm: 'v0.6.4', certManager: 'v1.21.1' };
const MANAGED = { 'app.kubernetes.io/managed-by': 'twinops' };
const gitops = lab().gitops;

/** Every provider unit of the study's fleet example: docker/kubeadm and openstack/rke2 clusters with Cilium. */
const FLEET = providerUnits(
  providerNeeds([
    { infrastructure: 'docker', controlPlane: 'kubeadm', cni: 'cilium' },
    { infrastructure: 'openstack', controlPlane: 'rke2', cni: 'cilium' },
  ]),
  VERSIONS,
);

function chart(): Chart {
  return new Chart(new App(), 'test', { disableResourceNameHashes: true });
}

function render(unit: ProviderUnit): ApiObjectJson[] {
  const scope = chart();
  new CapiProviderComponents(scope, unit.provider, { provider: unit.provider, source: unit.source, namespace: 'flux-system', interval: '10m' });
  return scope.toJson() as ApiObjectJson[];
}

function unitOf(provider: string): ProviderUnit {
  const unit = FLEET.find((candidate) => candidate.provider === provider);
  if (unit === undefined) throw new Error(`no unit for ${provider}`);
  return unit;
}

function problems(objects: readonly ApiObjectJson[]): string[] {
  return validateObjects(objects.map((object) => ({ file: 'capi', object }))).map(formatProblem);
}

describe('provider unit folders', () => {
  it('builds core from the Cluster API repository at the pinned tag, release image, clusterctl label', () => {
    expect(render(unitOf('core'))).toEqual([
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'cluster-api', namespace: 'flux-system', labels: MANAGED },
        spec: {
          interval: '1h',
          ref: { tag: 'v1.14.0' },
          sparseCheckout: ['bootstrap/kubeadm/config', 'controlplane/kubeadm/config', 'core/config', 'test/infrastructure/docker/config'],
          url: 'https://github.com/kubernetes-sigs/cluster-api',
        },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'capi-core-components', namespace: 'flux-system', labels: MANAGED },
        spec: {
          commonMetadata: { labels: { 'clusterctl.cluster.x-k8s.io': '' } },
          images: [
            {
              name: 'gcr.io/k8s-staging-cluster-api/cluster-api-controller',
              newName: 'registry.k8s.io/cluster-api/cluster-api-controller',
              newTag: 'v1.14.0',
            },
          ],
          interval: '1h',
          path: './core/config/default',
          postBuild: { substituteStrategy: 'Always' },
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'cluster-api' },
          timeout: '10m',
          wait: true,
        },
      },
    ]);
  });

  it('reuses the repository of core for the kubeadm providers instead of a second GitRepository', () => {
    const objects = render(unitOf('control-plane-kubeadm'));
    expect(objects.map((object) => `${object.kind}/${object.metadata?.name}`)).toEqual(['Kustomization/capi-control-plane-kubeadm-components']);
    expect(objects[0]?.spec).toMatchObject({
      sourceRef: { kind: 'GitRepository', name: 'cluster-api' },
      path: './controlplane/kubeadm/config/default',
      images: [
        {
          name: 'gcr.io/k8s-staging-cluster-api/kubeadm-control-plane-controller',
          newName: 'registry.k8s.io/cluster-api/kubeadm-control-plane-controller',
          newTag: 'v1.14.0',
        },
      ],
    });
  });

  it('retags the RKE2 image in place (it is published under its development name)', () => {
    const [repository, components] = render(unitOf('bootstrap-rke2'));
    expect(repository?.spec).toEqual({
      interval: '1h',
      ref: { tag: 'v0.25.0' },
      sparseCheckout: ['bootstrap/config', 'controlplane/config'],
      url: 'https://github.com/rancher/cluster-api-provider-rke2',
    });
    expect(components?.spec).toMatchObject({ images: [{ name: 'ghcr.io/rancher/cluster-api-provider-rke2-bootstrap', newTag: 'v0.25.0' }] });
  });

  it('installs cert-manager from its chart with its CRDs kept', () => {
    expect(render(unitOf('cert-manager'))).toEqual([
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'HelmRepository',
        metadata: { name: 'jetstack', namespace: 'flux-system', labels: MANAGED },
        spec: { interval: '1h', url: 'https://charts.jetstack.io' },
      },
      {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'cert-manager', namespace: 'flux-system', labels: MANAGED },
        spec: {
          chart: { spec: { chart: 'cert-manager', sourceRef: { kind: 'HelmRepository', name: 'jetstack' }, version: 'v1.21.1' } },
          install: { createNamespace: true },
          interval: '10m',
          releaseName: 'cert-manager',
          targetNamespace: 'cert-manager',
          values: { crds: { enabled: true, keep: true } },
        },
      },
    ]);
  });

  it('renders every provider folder valid against the imported schemas', () => {
    expect(FLEET).toHaveLength(9);
    expect(problems(FLEET.flatMap(render))).toEqual([]);
  });
});

describe('fleet Kustomizations of the management cluster', () => {
  it('points the entry at a provider folder, after the stage before, with the provider timeout', () => {
    const scope = chart();
    const unit = unitOf('core');
    new FluxUnit(scope, unit.fluxName, {
      name: unit.fluxName,
      path: `fleet/mgmt/${unit.folder}`,
      dependsOn: unit.dependsOn,
      timeout: unit.timeout,
      gitops,
    });
    const [entry] = scope.toJson() as ApiObjectJson[];
    expect(entry?.spec).toMatchObject({ path: './dist/fleet/mgmt/capi/providers/core', dependsOn: [{ name: 'capi-cert-manager' }], timeout: '10m', wait: true });
  });

  it('renders the cluster unit with the Available health expression, as the study gives it', () => {
    const scope = chart();
    const unit = clusterUnit({ name: 'edge-1', capi: { infrastructure: 'docker', controlPlane: 'kubeadm', cni: 'cilium' } });
    new FluxUnit(scope, unit.fluxName, {
      name: unit.fluxName,
      path: `fleet/mgmt/${unit.folder}`,
      dependsOn: unit.dependsOn,
      timeout: unit.timeout,
      healthCheckExprs: unit.healthCheckExprs,
      gitops,
    });
    const objects = scope.toJson() as ApiObjectJson[];
    expect(objects).toEqual([
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'cluster-edge-1', namespace: 'flux-system', labels: MANAGED },
        spec: {
          dependsOn: [
            { name: 'capi-bootstrap-kubeadm' },
            { name: 'capi-control-plane-kubeadm' },
            { name: 'capi-infrastructure-docker' },
            { name: 'capi-addon-helm' },
          ],
          healthCheckExprs: [
            {
              apiVersion: 'cluster.x-k8s.io/v1beta2',
              current: "status.conditions.exists(e, e.type == 'Available' && e.status == 'True')",
              kind: 'Cluster',
            },
          ],
          interval: '10m',
          path: './dist/fleet/mgmt/capi/clusters/edge-1',
          prune: true,
          retryInterval: '1m',
          sourceRef: { kind: 'GitRepository', name: 'flux-system' },
          timeout: '30m',
          wait: true,
        },
      },
    ]);
    expect(problems(objects)).toEqual([]);
  });

  it('suspends a cluster unit only when asked', () => {
    const scope = chart();
    new FluxUnit(scope, 'cluster-mgmt', { name: 'cluster-mgmt', path: 'fleet/mgmt/capi/clusters/mgmt', dependsOn: [], suspend: true, gitops });
    const objects = scope.toJson() as ApiObjectJson[];
    expect(objects[0]?.spec).toMatchObject({ suspend: true });
    expect(problems(objects)).toEqual([]);
  });

  it('delivers the workload cluster entry after its cluster unit', () => {
    const scope = chart();
    const unit = deliveryUnit({ name: 'edge-1' }, 'fleet/clusters/edge-1');
    new FluxUnit(scope, unit.fluxName, { name: unit.fluxName, path: unit.path, dependsOn: unit.dependsOn, timeout: unit.timeout, gitops });
    const objects = scope.toJson() as ApiObjectJson[];
    expect(objects[0]?.metadata?.name).toBe('delivery-edge-1');
    expect(objects[0]?.spec).toEqual({
      dependsOn: [{ name: 'cluster-edge-1' }],
      interval: '10m',
      path: './dist/fleet/clusters/edge-1',
      prune: true,
      retryInterval: '1m',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      timeout: '30m',
      wait: true,
    });
    expect(problems(objects)).toEqual([]);
  });

  it('applies a remote unit in the cluster namespace with its kubeconfig, reading the source across namespaces', () => {
    const scope = chart();
    const remote = remoteDelivery({ name: 'edge-1', namespace: 'edge-1' }, gitops.namespace, ['infrastructure-storage']);
    new FluxUnit(scope, 'redis', { name: 'redis', path: 'fleet/edge-1/apps/redis/prod', gitops, ...remote });
    const objects = scope.toJson() as ApiObjectJson[];
    expect(objects).toEqual([
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'redis', namespace: 'edge-1', labels: MANAGED },
        spec: {
          dependsOn: [{ name: 'cluster-edge-1', namespace: 'flux-system' }, { name: 'infrastructure-storage' }],
          interval: '10m',
          kubeConfig: { secretRef: { key: 'value', name: 'edge-1-kubeconfig' } },
          path: './dist/fleet/edge-1/apps/redis/prod',
          prune: true,
          retryInterval: '1m',
          sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
          timeout: '5m',
          wait: true,
        },
      },
    ]);
    expect(problems(objects)).toEqual([]);
  });

  it('passes target namespace, health checks and wait through', () => {
    const scope = chart();
    new FluxUnit(scope, 'u', {
      name: 'u',
      path: 'x/y',
      dependsOn: [],
      gitops,
      targetNamespace: 'apps',
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
      wait: false,
    });
    const objects = scope.toJson() as ApiObjectJson[];
    expect(objects[0]?.spec).toMatchObject({
      targetNamespace: 'apps',
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }],
      wait: false,
    });
    expect(problems(objects)).toEqual([]);
  });
});
