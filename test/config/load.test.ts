import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentName, loadEnvironment, parseEnvironment } from '../../lib/config/load';
import { ConfigError, formatConfigError } from '../../lib/config/errors';
import { FILE, knownApps, problems, yaml } from './support';

const FIXTURES = 'test/fixtures/environments';

function loadError(file: string): ConfigError {
  try {
    loadEnvironment(file, { knownApps });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnvironment', () => {
  it('loads the home example with its defaults applied', () => {
    const env = loadEnvironment('test/fixtures/seed-002/home.yaml', { knownApps });
    expect(env.name).toBe('home');
    expect(env.file).toBe('test/fixtures/seed-002/home.yaml');
    expect(env.dr).toEqual({ state: 'standby', suffix: '-dr', storageClasses: { 'local-path': 'local-path' }, namespace: 'same' });
    expect(env.secrets).toEqual({ kind: 'ClusterSecretStore', name: 'vault', refreshInterval: '1h' });
    const [cluster] = env.clusters;
    expect(cluster?.apps.map((app) => [app.app, app.namespace, app.replicas, app.dr.enabled])).toEqual([
      ['wordpress', 'wordpress', 1, true],
      ['redis', 'wordpress', 1, true],
      ['keycloak', 'keycloak', 1, true],
      ['nextcloud', 'nextcloud', 1, true],
    ]);
    expect(cluster?.apps[2]?.dr).toEqual({ enabled: true, identity: 'production' });
    expect(cluster?.storageClasses.map((sc) => [sc.name, sc.reclaimPolicy, sc.volumeBindingMode])).toEqual([
      ['zfs-storage-znvm', 'Retain', 'WaitForFirstConsumer'],
      ['zfs-storage-nas', 'Retain', 'WaitForFirstConsumer'],
      ['local-path', 'Retain', 'WaitForFirstConsumer'],
    ]);
    expect(cluster?.nodes[0]).toEqual({
      name: 'hassio',
      controlPlane: true,
      addresses: ['192.0.2.10', '2001:db8:0:1::10'],
      labels: { 'kubernetes.io/hostname': 'hassio' },
      taints: [],
    });
    expect(cluster?.edge).toEqual({
      namespace: 'traefik-external',
      chartVersion: '41.3.0',
      repository: 'https://traefik.github.io/charts',
      provider: 'calico',
      publicDns: true,
      dnsTtl: 300,
      acmeEmail: 'hostmaster@example.org',
      acme: { challenge: 'tls' },
      prod: {
        name: 'traefik-external',
        externalDns: true,
        ipv6: { pool: 'loadbalancer-ipv6-pool', cidr: '2001:db8:0:100::/112' },
        ipv4: { pool: 'loadbalancer-ipv4-pool', cidr: '192.0.2.64/28', public: '192.0.2.1' },
      },
      dr: {
        name: 'traefik-dr',
        externalDns: false,
        ipv6: { pool: 'loadbalancer-ipv6-pool-dr', cidr: '2001:db8:200:100::/112' },
        ipv4: { address: '192.0.2.200' },
      },
    });
  });

  it('fills every default of a minimal file', () => {
    const env = loadEnvironment(`${FIXTURES}/minimal.yaml`, { knownApps });
    expect(env).toEqual({
      name: 'minimal',
      file: `${FIXTURES}/minimal.yaml`,
      gitops: {
        engine: 'flux',
        revision: 'main',
        project: 'default',
        sourceName: 'flux-system',
        namespace: 'flux-system',
        interval: '10m',
        retryInterval: '1m',
        timeout: '5m',
        pathPrefix: './dist',
      },
      dr: { state: 'standby', suffix: '-dr', storageClasses: {}, namespace: 'same' },
      capi: { version: 'v1.14.0', openstack: 'v0.14.7', rke2: 'v0.25.0', helm: 'v0.6.4', certManager: 'v1.21.1', flux: '2.15.0' },
      addons: {},
      clusters: [
        {
          name: 'lab',
          role: 'workload',
          protect: true,
          nodes: [{ name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' }, taints: [], addresses: [], controlPlane: false }],
          storageClasses: [],
          storageRoles: {},
          apps: [{ app: 'redis', namespace: 'redis', replicas: 1, storageRoles: {}, dr: { enabled: false, identity: 'own' } }],
        },
      ],
    });
  });

  it('reports every problem of a file at once, in line order', () => {
    expect(formatConfigError(loadError(`${FIXTURES}/three-problems.yaml`)).split('\n')).toEqual([
      `${FIXTURES}/three-problems.yaml:8:33 clusters[0].nodes[0].addresses[1]: expected an IPv4 or IPv6 address; given "192.0.2.300"`,
      `${FIXTURES}/three-problems.yaml:15:18 clusters[0].apps[0].dr.state: expected one of standby, syncing, active; given "warm"`,
      `${FIXTURES}/three-problems.yaml:16:14 clusters[0].apps[1].app: unknown app (did you mean "keycloak"?); expected one of keycloak, nextcloud, redis, wordpress; given "keycloack"`,
    ]);
  });

  it('carries each problem as data too', () => {
    expect(loadError(`${FIXTURES}/three-problems.yaml`).problems[1]).toEqual({
      file: `${FIXTURES}/three-problems.yaml`,
      line: 15,
      column: 18,
      path: 'clusters[0].apps[0].dr.state',
      expected: 'one of standby, syncing, active',
      given: '"warm"',
      message: 'expected one of standby, syncing, active; given "warm"',
    });
  });

  it('reports a file it cannot read, keeping the cause', () => {
    const err = loadError(`${FIXTURES}/absent.yaml`);
    expect(formatConfigError(err)).toBe('test/fixtures/environments/absent.yaml cannot read the environment file: no such file or directory (ENOENT)');
    expect(err.cause).toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a named pipe without blocking on it, and a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinops-'));
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    mkdirSync(join(dir, 'folder.yaml'));
    expect(formatConfigError(loadError(join(dir, 'pipe.yaml')))).toBe(`${dir}/pipe.yaml expected a regular file; given a named pipe (FIFO); it was not read`);
    expect(formatConfigError(loadError(join(dir, 'folder.yaml')))).toBe(`${dir}/folder.yaml expected a regular file; given a folder; it was not read`);
  });

  it('reads the bytes as UTF-8 and refuses UTF-16 at line 1 column 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinops-'));
    writeFileSync(join(dir, 'lab.yaml'), Buffer.from('\ufeffclusters: []\n', 'utf16le'));
    expect(formatConfigError(loadError(join(dir, 'lab.yaml')))).toBe(`${dir}/lab.yaml:1:1 expected UTF-8 text; given UTF-16 (byte order mark)`);
  });

  it('only reads .yaml files', () => {
    expect(formatConfigError(loadError('environments/home.yml'))).toBe(
      'environments/home.yml expected a file name ending in .yaml; given "home.yml"',
    );
  });

  it('names the environment after its file, which must be a DNS-1123 label', () => {
    expect(environmentName('environments/home.yaml')).toBe('home');
    const dir = mkdtempSync(join(tmpdir(), 'twinops-'));
    const file = join(dir, 'Home_Lab.yaml');
    writeFileSync(file, 'clusters: [{ name: home, nodes: [{ name: hassio }] }]\n');
    expect(formatConfigError(loadError(file))).toBe(
      `${file} expected an environment name (the file name without .yaml) that is a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters); given "Home_Lab"`,
    );
  });
});

describe('parseEnvironment', () => {
  it('is pure: the name and file it is given name the result', () => {
    const env = parseEnvironment('lab', 'somewhere/lab.yaml', 'clusters: [{ name: lab, nodes: [{ name: n1 }] }]\n', { knownApps });
    expect([env.name, env.file]).toEqual(['lab', 'somewhere/lab.yaml']);
  });

  it('skips the semantic checks when the document does not have the expected shape', () => {
    // `replicas: three` breaks the shape; the unknown app would only be found by a semantic check.
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: wordpres
                replicas: three
      `),
    ).toEqual([`${FILE}:6:19 clusters[0].apps[0].replicas: expected integer; given "three"`]);
  });

  it('does not repeat a schema problem as a semantic one on the same field', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: Redis
      `),
    ).toEqual([
      `${FILE}:5:14 clusters[0].apps[0].app: expected a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters); given "Redis"`,
    ]);
  });

  it('still checks semantics beside value problems of the schema', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: redis
                rplicas: 2
              - app: postgres
      `),
    ).toEqual([
      `${FILE}:6:9 clusters[0].apps[0].rplicas: unknown field "rplicas" (did you mean "replicas"?); expected one of app, namespace, host, replicas, dependsOn, storageRoles, dr`,
      `${FILE}:7:14 clusters[0].apps[1].app: unknown app; expected one of keycloak, nextcloud, redis, wordpress; given "postgres"`,
    ]);
  });
});
