/**
 * `dr … --cluster C` on an estate of two clusters: the flip reaches the twins of C and nothing
 * of the other cluster, comes back byte for byte, and the runbook scopes its commands the same way.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lineOf, twinops } from '../support/cli';
import { readTree, REPO } from '../support/tree';

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A project whose only environment is the two-cluster fixture `sites`. */
function sites() {
  const dir = mkdtempSync(join(tmpdir(), 'twinops-dr-cluster-'));
  root = dir;
  mkdirSync(join(dir, 'environments'));
  const file = join(dir, 'environments/sites.yaml');
  cpSync(join(REPO, 'test/fixtures/dr-clusters/sites.yaml'), file);
  return {
    file,
    dist: join(dir, 'dist'),
    read: () => readFileSync(file, 'utf8'),
    run: (...argv: string[]) => twinops(dir, argv),
    /** `spec.replicas` of a rendered Deployment, or a ConfigMap's `data`, read from dist/. */
    rendered: (path: string) => parse(readFileSync(join(dir, 'dist/sites', path), 'utf8')) as { spec?: { replicas?: number }; data?: Record<string, string> },
  };
}

/** The replicas of every twin Deployment of both clusters, by path. */
function twinReplicas(site: ReturnType<typeof sites>) {
  const paths = [
    'east/apps/redis/dr/deployment-redis-dr.yaml',
    'east/apps/wordpress/dr/deployment-wordpress-dr.yaml',
    'east/apps/wordpress/dr/deployment-wordpress-db-dr.yaml',
    'west/apps/wordpress/dr/deployment-wordpress-dr.yaml',
    'west/apps/wordpress/dr/deployment-wordpress-db-dr.yaml',
  ];
  return Object.fromEntries(paths.map((path) => [path, site.rendered(path).spec?.replicas]));
}

const identity = (site: ReturnType<typeof sites>, cluster: string) => site.rendered(`${cluster}/apps/wordpress/dr/configmap-wordpress-identity-dr.yaml`).data?.['WP_HOME'];

describe('dr --cluster', () => {
  it('sync --cluster east holds only east twins at zero replicas; standby --cluster east gives back the bytes', async () => {
    const site = sites();
    expect((await site.run('synth')).code).toBe(0);
    const [file, tree] = [site.read(), readTree(site.dist)];
    const redisLine = lineOf(file, '        dr: true');

    const sync = await site.run('dr', 'sync', 'sites', '--cluster', 'east');
    expect(sync.code).toBe(0);
    expect(sync.stdout.split('\n')[0]).toBe(
      `dr sync sites --cluster east: environments/sites.yaml:${redisLine} clusters[0].apps[0].dr: true → { state: syncing }; ` +
        `environments/sites.yaml:${redisLine + 3} clusters[0].apps[1].dr: true → { state: syncing }`,
    );
    expect(twinReplicas(site)).toEqual({
      'east/apps/redis/dr/deployment-redis-dr.yaml': 0,
      'east/apps/wordpress/dr/deployment-wordpress-dr.yaml': 0,
      'east/apps/wordpress/dr/deployment-wordpress-db-dr.yaml': 0,
      'west/apps/wordpress/dr/deployment-wordpress-dr.yaml': 1,
      'west/apps/wordpress/dr/deployment-wordpress-db-dr.yaml': 1,
    });

    const standby = await site.run('dr', 'standby', 'sites', '--cluster', 'east');
    expect(standby.code).toBe(0);
    expect(site.read()).toBe(file);
    expect(readTree(site.dist)).toEqual(tree);
  });

  it('activate --cluster west gives only west twin the production identity', async () => {
    const site = sites();
    expect((await site.run('synth')).code).toBe(0);
    expect([identity(site, 'east'), identity(site, 'west')]).toEqual(['https://blog-dr.example.org', 'https://shop-dr.example.org']);
    const [file, tree] = [site.read(), readTree(site.dist)];

    expect((await site.run('dr', 'activate', 'sites', '--cluster', 'west')).code).toBe(0);
    expect([identity(site, 'east'), identity(site, 'west')]).toEqual(['https://blog-dr.example.org', 'https://shop.example.org']);
    const status = await site.run('dr', 'status', 'sites');
    expect(status.stdout.split('\n').slice(1, 5)).toEqual([
      'CLUSTER  APP        STATE         IDENTITY  REPLICAS  PROD HOST         DR HOST              TWIN HOST',
      'east     redis      standby       own       1/1       -                 -                    -',
      'east     wordpress  standby       own       1/1       blog.example.org  blog-dr.example.org  blog-dr.example.org',
      'west     wordpress  active (app)  own       1/1       shop.example.org  shop-dr.example.org  shop.example.org',
    ]);

    expect((await site.run('dr', 'standby', 'sites', '--cluster', 'west')).code).toBe(0);
    expect(site.read()).toBe(file);
    expect(readTree(site.dist)).toEqual(tree);
  });

  it('--app A --cluster C changes only the placement of A on C', async () => {
    const site = sites();
    const file = site.read();
    const westLine = file.split('\n').findLastIndex((line) => line === '        dr: true') + 1;
    const plan = await site.run('dr', 'plan', 'sites', 'syncing', '--app', 'wordpress', '--cluster', 'west');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toBe(
      [
        `dr plan sites syncing --app wordpress --cluster west: environments/sites.yaml:${westLine} clusters[1].apps[1].dr: true → { state: syncing }`,
        '~ sites/west/apps/wordpress/dr Deployment wordpress/wordpress-db-dr',
        '    spec.replicas: 1 → 0',
        '~ sites/west/apps/wordpress/dr Deployment wordpress/wordpress-dr',
        '    spec.replicas: 1 → 0',
        '~ sites/RUNBOOK.md',
        'plan: 0 added, 2 changed, 0 removed object(s), 2 field(s); 1 document(s) changed',
        '',
      ].join('\n'),
    );
    expect(site.read()).toBe(file);
  });

  it('status --cluster east lists only east twins', async () => {
    const site = sites();
    const { code, stdout } = await site.run('dr', 'status', 'sites', '--cluster', 'east');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'sites: dr.state standby (environments/sites.yaml)',
        'CLUSTER  APP        STATE    IDENTITY  REPLICAS  PROD HOST         DR HOST              TWIN HOST',
        'east     redis      standby  own       1/1       -                 -                    -',
        'east     wordpress  standby  own       1/1       blog.example.org  blog-dr.example.org  blog-dr.example.org',
        'status: sites is standby: 2 twin(s) on 1 cluster(s): 2 standby, 0 syncing, 0 active',
        '',
      ].join('\n'),
    );
  });

  it('names the clusters and apps that exist for an unknown cluster, an app not placed there, or one without a twin', async () => {
    const site = sites();
    const file = site.read();
    const cases: [string[], string][] = [
      [['activate', 'sites', '--cluster', 'north'], 'twinops dr activate: environment sites: unknown cluster; expected one of its clusters, east, west; given "north"\n'],
      [['status', 'sites', '--cluster', 'est'], 'twinops dr status: environment sites: unknown cluster (did you mean "east"?); expected one of its clusters, east, west; given "est"\n'],
      [
        ['plan', 'sites', 'active', '--app', 'wordpres', '--cluster', 'west'],
        'twinops dr plan: environment sites: app not placed on cluster west (did you mean "wordpress"?); expected one of the apps it places there, redis, wordpress; given "wordpres"\n',
      ],
      [
        ['sync', 'sites', '--app', 'redis', '--cluster', 'west'],
        'twinops dr sync: environment sites: redis has no DR twin on cluster west; expected one of the apps with a twin there, wordpress; given "redis"\n',
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, stdout, stderr } = await site.run('dr', ...argv);
      expect({ argv, code, stdout, stderr }).toEqual({ argv, code: 1, stdout: '', stderr: message });
    }
    expect(site.read()).toBe(file);
    expect(readTree(site.dist).size).toBe(0);
  });

  it('refuses a cluster that places no app with a twin, naming the clusters that do', async () => {
    const site = sites();
    writeFileSync(site.file, site.read().replace('host: shop.example.org\n        dr: true', 'host: shop.example.org\n        dr: false'));
    const { code, stderr } = await site.run('dr', 'activate', 'sites', '--cluster', 'west');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'twinops dr activate: environment sites: cluster west places no app with a DR twin; expected one of the clusters with twins, east; given "west"\n',
    );
  });

  it('the runbook scopes each app command to its cluster', async () => {
    const site = sites();
    expect((await site.run('synth')).code).toBe(0);
    const runbook = readFileSync(join(site.dist, 'sites/RUNBOOK.md'), 'utf8');
    const commands = runbook.split('\n').filter((line) => /^ {3}npm run dr -- /.test(line)).map((line) => line.trim());
    expect(new Set(commands)).toEqual(
      new Set([
        'npm run dr -- sync sites --app wordpress --cluster east',
        'npm run dr -- standby sites --app wordpress --cluster east',
        'npm run dr -- sync sites --app wordpress --cluster west',
        'npm run dr -- standby sites --app wordpress --cluster west',
        'npm run dr -- activate sites --app redis --cluster east',
        'npm run dr -- standby sites --app redis --cluster east',
        'npm run dr -- activate sites --app wordpress --cluster east',
        'npm run dr -- activate sites --app wordpress --cluster west',
        'npm run dr -- activate sites --cluster west',
      ]),
    );
    expect(runbook).toContain('`npm run dr -- plan sites active --app wordpress --cluster west` shows it without writing');
  });
});
