import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AddonRelease } from '../../lib/constructs/addons/release';
import type { ApiObjectJson } from '../../lib/model';
import { addonsFor, type AddonsInput, type AddonUnit } from '../../lib/plan-addons';
import { formatProblem, validateObjects } from '../../lib/render/validate';

const MANAGED = { 'app.kubernetes.io/managed-by': 'twinops' };
const PROTECTED = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' };
const PRIVILEGED = {
  'pod-security.kubernetes.io/audit': 'privileged',
  'pod-security.kubernetes.io/enforce': 'privileged',
  'pod-security.kubernetes.io/warn': 'privileged',
};
const VAULT = { kind: 'ClusterSecretStore', name: 'vault', refreshInterval: '1h' } as const;
const TAINTS = [{ key: 'dedicated', value: 'remote', effect: 'NoSchedule' }] as const;

/** ZFS + secrets + a Calico edge publishing DNS, with a tainted DR node. */
const HOME: AddonsInput = {
  cluster: 'home',
  provisioners: ['zfs.csi.openebs.io'],
  edgeProvider: 'calico',
  publicDns: true,
  secrets: VAULT,
  installed: new Set(),
  externalDns: { provider: 'cloudflare', credentials: { remoteKey: 'dns/cloudflare', env: { CF_API_TOKEN: 'token' } } },
  nodeTaints: TAINTS,
};
/** local-path + MetalLB. */
const METAL: AddonsInput = { cluster: 'metal', provisioners: ['rancher.io/local-path'], edgeProvider: 'metallb', publicDns: false, installed: new Set(), nodeTaints: TAINTS };

function render(unit: AddonUnit, interval?: string): ApiObjectJson[] {
  const scope = new Chart(new App(), 'test', { disableResourceNameHashes: true });
  new AddonRelease(scope, unit.addon, unit, interval === undefined ? {} : { interval });
  return scope.toJson() as ApiObjectJson[];
}

function unitOf(input: AddonsInput, addon: AddonUnit['addon']): AddonUnit {
  const unit = addonsFor(input).find((candidate) => candidate.addon === addon);
  if (unit === undefined) throw new Error(`no unit for ${addon}`);
  return unit;
}

describe('AddonRelease', () => {
  it('renders external-dns: protected namespace, pinned repository, credentials from the store, release with Flux CRD policies', () => {
    expect(render(unitOf(HOME, 'external-dns'), '5m')).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'external-dns', labels: MANAGED, annotations: PROTECTED },
      },
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'HelmRepository',
        metadata: { name: 'external-dns', namespace: 'external-dns', labels: MANAGED },
        spec: { interval: '1h', url: 'https://kubernetes-sigs.github.io/external-dns/' },
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'external-dns-credentials', namespace: 'external-dns', labels: MANAGED },
        spec: {
          data: [{ remoteRef: { key: 'dns/cloudflare', property: 'token' }, secretKey: 'token' }],
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
          target: { name: 'external-dns-credentials' },
        },
      },
      {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'external-dns', namespace: 'external-dns', labels: MANAGED },
        spec: {
          chart: { spec: { chart: 'external-dns', sourceRef: { kind: 'HelmRepository', name: 'external-dns' }, version: '1.21.1' } },
          install: { crds: 'Create' },
          interval: '5m',
          releaseName: 'external-dns',
          upgrade: { crds: 'CreateReplace' },
          values: {
            annotationFilter: 'external-dns/external=true',
            env: [{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { key: 'token', name: 'external-dns-credentials' } } }],
            policy: 'upsert-only',
            provider: { name: 'cloudflare' },
            registry: 'txt',
            sources: ['service'],
            txtOwnerId: 'home',
          },
        },
      },
    ]);
  });

  it('renders local-path from its Git repository at the tag, in a privileged namespace, chart version left to the tag', () => {
    expect(render(unitOf(METAL, 'local-path'))).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'local-path-storage', labels: { ...MANAGED, ...PRIVILEGED }, annotations: PROTECTED },
      },
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'local-path-provisioner', namespace: 'local-path-storage', labels: MANAGED },
        spec: { interval: '1h', ref: { tag: 'v0.0.31' }, url: 'https://github.com/rancher/local-path-provisioner' },
      },
      {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'local-path-provisioner', namespace: 'local-path-storage', labels: MANAGED },
        spec: {
          chart: { spec: { chart: './deploy/chart/local-path-provisioner', sourceRef: { kind: 'GitRepository', name: 'local-path-provisioner' } } },
          install: { crds: 'Create' },
          interval: '10m',
          releaseName: 'local-path-provisioner',
          upgrade: { crds: 'CreateReplace' },
          values: { storageClass: { create: false, provisionerName: 'rancher.io/local-path' } },
        },
      },
    ]);
  });

  it('leaves values out when the chart defaults serve', () => {
    const release = render(unitOf({ ...METAL, nodeTaints: [] }, 'metallb')).find((object) => object.kind === 'HelmRelease');
    expect(release?.['spec']).toEqual({
      chart: { spec: { chart: 'metallb', sourceRef: { kind: 'HelmRepository', name: 'metallb' }, version: '0.16.1' } },
      install: { crds: 'Create' },
      interval: '10m',
      releaseName: 'metallb',
      upgrade: { crds: 'CreateReplace' },
    });
  });

  it('renders only objects that validate strictly, for every add-on of every shape', () => {
    const units = [...addonsFor(HOME), ...addonsFor(METAL), ...addonsFor({ ...HOME, secrets: { ...VAULT, kind: 'SecretStore' } })];
    expect(units.map((unit) => unit.addon)).toEqual(['external-secrets', 'zfs-localpv', 'external-dns', 'metallb', 'local-path', 'external-secrets', 'zfs-localpv', 'external-dns']);
    const objects = units.flatMap((unit) => render(unit).map((object) => ({ file: unit.folder, object })));
    expect(objects).toHaveLength(26);
    expect(validateObjects(objects).map(formatProblem)).toEqual([]);
  });
});
