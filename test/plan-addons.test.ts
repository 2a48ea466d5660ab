import { describe, expect, it } from 'vitest';
import { ADDON_CATALOG } from '../lib/constructs/addons/catalog';
import { externalDnsAnnotations } from '../lib/constructs/external-dns';
import { UserError } from '../lib/errors';
import { addonPrerequisites, addonsFor, EXTERNAL_DNS_FILTER, neededAddons, type AddonsInput } from '../lib/plan-addons';

const VAULT = { kind: 'ClusterSecretStore', name: 'vault', refreshInterval: '1h' } as const;
const CLOUDFLARE = { provider: 'cloudflare', credentials: { remoteKey: 'dns/cloudflare', env: { CF_API_TOKEN: 'token' } }, domainFilters: ['example.org'] };

/** The home lab: ZFS classes, a secret store, a Calico edge publishing DNS. */
const HOME: AddonsInput = {
  cluster: 'home',
  provisioners: ['zfs.csi.openebs.io', 'zfs.csi.openebs.io'],
  edgeProvider: 'calico',
  publicDns: true,
  secrets: VAULT,
  installed: new Set(),
  externalDns: CLOUDFLARE,
};

/** A bare-metal cluster: local-path volumes, MetalLB addresses, no secrets, no public DNS. */
const METAL: AddonsInput = {
  cluster: 'metal',
  provisioners: ['rancher.io/local-path'],
  edgeProvider: 'metallb',
  publicDns: false,
  installed: new Set(),
};

describe('addonsFor', () => {
  it('gives a ZFS cluster with secrets and public DNS the operator, the ZFS driver and external-dns after the operator', () => {
    expect(addonsFor(HOME)).toEqual([
      {
        addon: 'external-secrets',
        name: 'addon-external-secrets',
        folder: 'addons/external-secrets',
        dependsOn: [],
        release: 'external-secrets',
        chart: { sourceKind: 'HelmRepository', sourceName: 'external-secrets', url: 'https://charts.external-secrets.io', name: 'external-secrets', version: '2.9.0', inferred: false },
        namespace: 'external-secrets',
        privileged: false,
        values: { installCRDs: true, crds: { annotations: { 'helm.sh/resource-policy': 'keep' } } },
      },
      {
        addon: 'zfs-localpv',
        name: 'addon-zfs-localpv',
        folder: 'addons/zfs-localpv',
        dependsOn: [],
        release: 'zfs-localpv',
        chart: { sourceKind: 'HelmRepository', sourceName: 'openebs-zfs-localpv', url: 'https://openebs.github.io/zfs-localpv', name: 'zfs-localpv', version: '2.7.1', inferred: true },
        namespace: 'openebs',
        privileged: true,
        values: {},
      },
      {
        addon: 'external-dns',
        name: 'addon-external-dns',
        folder: 'addons/external-dns',
        dependsOn: ['addon-external-secrets'],
        release: 'external-dns',
        chart: { sourceKind: 'HelmRepository', sourceName: 'external-dns', url: 'https://kubernetes-sigs.github.io/external-dns/', name: 'external-dns', version: '1.21.1', inferred: false },
        namespace: 'external-dns',
        privileged: false,
        values: {
          provider: { name: 'cloudflare' },
          sources: ['service'],
          annotationFilter: 'external-dns/external=true',
          policy: 'upsert-only',
          registry: 'txt',
          txtOwnerId: 'home',
          domainFilters: ['example.org'],
          env: [{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: 'external-dns-credentials', key: 'token' } } }],
        },
        credentials: { secretName: 'external-dns-credentials', store: VAULT, remoteKey: 'dns/cloudflare', keys: ['token'] },
      },
    ]);
  });

  it('gives a local-path cluster behind MetalLB the load balancer, then the provisioner from Git with its own class off', () => {
    expect(addonsFor(METAL)).toEqual([
      {
        addon: 'metallb',
        name: 'addon-metallb',
        folder: 'addons/metallb',
        dependsOn: [],
        release: 'metallb',
        chart: { sourceKind: 'HelmRepository', sourceName: 'metallb', url: 'https://metallb.github.io/metallb', name: 'metallb', version: '0.16.1', inferred: false },
        namespace: 'metallb-system',
        privileged: true,
        values: {},
      },
      {
        addon: 'local-path',
        name: 'addon-local-path',
        folder: 'addons/local-path',
        dependsOn: [],
        release: 'local-path-provisioner',
        chart: {
          sourceKind: 'GitRepository',
          sourceName: 'local-path-provisioner',
          url: 'https://github.com/rancher/local-path-provisioner',
          name: './deploy/chart/local-path-provisioner',
          version: 'v0.0.31',
          inferred: true,
        },
        namespace: 'local-path-storage',
        privileged: true,
        values: { storageClass: { create: false, provisionerName: 'rancher.io/local-path' } },
      },
    ]);
  });

  it('gives a cluster that needs nothing no add-on', () => {
    expect(addonsFor({ cluster: 'bare', provisioners: ['csi.example.org'], publicDns: false, installed: new Set() })).toEqual([]);
  });

  it('gives a Calico edge without public DNS nothing for its addresses', () => {
    expect(addonsFor({ ...METAL, edgeProvider: 'calico', provisioners: [] })).toEqual([]);
  });

  it('leaves out what is installed, and external-dns then waits on nothing', () => {
    const units = addonsFor({ ...HOME, installed: new Set(['external-secrets', 'zfs-localpv'] as const) });
    expect(units.map((unit) => [unit.name, unit.dependsOn])).toEqual([['addon-external-dns', []]]);
    // The credentials are still read through the store: the installed operator serves them.
    expect(units[0]?.credentials?.remoteKey).toBe('dns/cloudflare');
  });

  it('makes the daemons that must run on every node tolerate the node taints, a taint without value by key', () => {
    const taints = [
      { key: 'dedicated', value: 'remote', effect: 'NoSchedule' },
      { key: 'storage-only', effect: 'NoExecute' },
    ] as const;
    const tolerations = [
      { key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' },
      { key: 'storage-only', operator: 'Exists', effect: 'NoExecute' },
    ];
    const values = (input: AddonsInput) => Object.fromEntries(addonsFor(input).map((unit) => [unit.addon, unit.values]));
    expect(values({ ...HOME, nodeTaints: taints })['zfs-localpv']).toEqual({ zfsNode: { tolerations } });
    expect(values({ ...METAL, nodeTaints: taints })['metallb']).toEqual({ speaker: { tolerations } });
    // local-path's helper pods tolerate every taint by themselves; its values stay as they are.
    expect(values({ ...METAL, nodeTaints: taints })['local-path']).toEqual({ storageClass: { create: false, provisionerName: 'rancher.io/local-path' } });
  });

  it('renders external-dns without a Secret for a provider that needs none', () => {
    const [unit] = addonsFor({ ...HOME, provisioners: [], secrets: undefined, externalDns: { provider: 'aws' } });
    expect(unit).toMatchObject({ addon: 'external-dns', dependsOn: [] });
    expect(unit?.credentials).toBeUndefined();
    expect(unit?.values).toEqual({
      provider: { name: 'aws' },
      sources: ['service'],
      annotationFilter: 'external-dns/external=true',
      policy: 'upsert-only',
      registry: 'txt',
      txtOwnerId: 'home',
    });
  });

  it('refuses public DNS with no external-dns provider, naming the cluster, the field and both ways out', () => {
    const call = () => addonsFor({ ...HOME, externalDns: undefined });
    expect(call).toThrow(UserError);
    expect(call).toThrow(
      'cluster home: addons.externalDns: expected the external-dns provider (e.g. { provider: cloudflare, credentials: { remoteKey: dns/cloudflare, env: { CF_API_TOKEN: token } } }), because edge.publicDns is true and external-dns is not declared installed; given none. Declare it, or declare addons.externalDns: installed',
    );
  });

  it('asks for no provider when external-dns is installed', () => {
    expect(addonsFor({ ...HOME, externalDns: undefined, installed: new Set(['external-dns'] as const) }).map((unit) => unit.name)).toEqual([
      'addon-external-secrets',
      'addon-zfs-localpv',
    ]);
  });

  it('refuses credentials with no store to read them from', () => {
    expect(() => addonsFor({ ...HOME, secrets: undefined })).toThrow(
      'cluster home: addons.externalDns.credentials: expected a top-level secrets store to read dns/cloudflare from (twinops never renders a plaintext Secret); given no secrets',
    );
  });

  it('orders every unit after the ones it depends on, when everything is needed', () => {
    const units = addonsFor({ ...HOME, provisioners: ['rancher.io/local-path', 'zfs.csi.openebs.io'], edgeProvider: 'metallb' });
    expect(units.map((unit) => unit.name)).toEqual(['addon-external-secrets', 'addon-metallb', 'addon-local-path', 'addon-zfs-localpv', 'addon-external-dns']);
    units.forEach((unit, index) => {
      const earlier = units.slice(0, index).map((other) => other.name);
      for (const dependency of unit.dependsOn) expect(earlier).toContain(dependency);
    });
  });

  it('filters on exactly the annotation the edge puts on published Services', () => {
    const annotations = externalDnsAnnotations({ hostname: 'blog.example.org', ttl: 300 });
    expect(annotations[EXTERNAL_DNS_FILTER.key]).toBe(EXTERNAL_DNS_FILTER.value);
  });

  it('runs MetalLB in the namespace twinops renders its address pools in', () => {
    expect(ADDON_CATALOG.metallb.namespace).toBe('metallb-system');
  });
});

describe('addonPrerequisites', () => {
  it('lists the needed add-ons declared installed, with why each is needed, for the runbook', () => {
    expect(addonPrerequisites({ ...METAL, installed: new Set(['local-path', 'external-dns'] as const) })).toEqual([
      { addon: 'local-path', reason: 'a storage class has provisioner rancher.io/local-path' },
    ]);
  });

  it('names every reason an add-on is needed', () => {
    expect(neededAddons({ ...HOME, provisioners: ['rancher.io/local-path', 'zfs.csi.openebs.io'], edgeProvider: 'metallb' })).toEqual([
      { addon: 'external-secrets', reason: 'ExternalSecrets read the ClusterSecretStore vault' },
      { addon: 'metallb', reason: 'the edge provider is metallb' },
      { addon: 'local-path', reason: 'a storage class has provisioner rancher.io/local-path' },
      { addon: 'zfs-localpv', reason: 'a storage class has provisioner zfs.csi.openebs.io' },
      { addon: 'external-dns', reason: 'the edge publishes DNS records (publicDns)' },
    ]);
  });
});
