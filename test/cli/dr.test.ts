import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lineOf, twinops, withoutTime } from '../support/cli';
import { readTree, scratchProject } from '../support/tree';

let project: ReturnType<typeof scratchProject>;
afterEach(() => project?.cleanup());

const run = (argv: string[], env: Record<string, string> = {}) => twinops(project.root, argv, env);
const homeFile = () => join(project.environments, 'home.yaml');
const readHome = () => readFileSync(homeFile(), 'utf8');

/**
 * The whole change of activating the home lab, as `dr plan home active` prints it: the one place
 * to update when the render of a state changes. `line` is where `dr.state` sits in home.yaml.
 */
const HOME_ACTIVE_PLAN = (line: number) => String.raw`dr plan home active: environments/home.yaml:${line} dr.state: standby → active
~ home/clusters/home Kustomization flux-system/keycloak-dr
    spec.dependsOn[3]: {"name":"keycloak"} → (absent)
~ home/clusters/home Kustomization flux-system/nextcloud-dr
    spec.dependsOn[3]: {"name":"nextcloud"} → (absent)
~ home/clusters/home Kustomization flux-system/redis-dr
    spec.dependsOn[3]: {"name":"redis"} → (absent)
~ home/clusters/home Kustomization flux-system/wordpress-dr
    spec.dependsOn[3]: {"name":"wordpress"} → (absent)
~ home/home/apps/keycloak/prod Service keycloak/keycloak-name
    spec.externalName: "192.0.2.1" → "192.0.2.200"
~ home/home/apps/keycloak/prod Service traefik-external/traefik-external-keycloak
    metadata.annotations["projectcalico.org/ipv6pools"]: "[\"loadbalancer-ipv6-pool\"]" → "[\"loadbalancer-ipv6-pool-dr\"]"
    spec.selector.app: "traefik-external" → "traefik-dr"
~ home/home/apps/nextcloud/dr ConfigMap nextcloud/nextcloud-identity-dr
    data.NEXTCLOUD_TRUSTED_DOMAINS: "cloud-dr.example.org" → "cloud.example.org"
    data.OVERWRITECLIURL: "https://cloud-dr.example.org" → "https://cloud.example.org"
    data.OVERWRITEHOST: "cloud-dr.example.org" → "cloud.example.org"
~ home/home/apps/nextcloud/prod Service nextcloud/nextcloud-name
    spec.externalName: "192.0.2.1" → "192.0.2.200"
~ home/home/apps/nextcloud/prod Service traefik-external/traefik-external-nextcloud
    metadata.annotations["projectcalico.org/ipv6pools"]: "[\"loadbalancer-ipv6-pool\"]" → "[\"loadbalancer-ipv6-pool-dr\"]"
    spec.selector.app: "traefik-external" → "traefik-dr"
~ home/home/apps/wordpress/dr ConfigMap wordpress/wordpress-identity-dr
    data.WP_HOME: "https://blog-dr.example.org" → "https://blog.example.org"
    data.WP_SITEURL: "https://blog-dr.example.org" → "https://blog.example.org"
~ home/home/apps/wordpress/prod Service traefik-external/traefik-external-wordpress
    metadata.annotations["projectcalico.org/ipv6pools"]: "[\"loadbalancer-ipv6-pool\"]" → "[\"loadbalancer-ipv6-pool-dr\"]"
    spec.selector.app: "traefik-external" → "traefik-dr"
~ home/home/apps/wordpress/prod Service wordpress/wordpress-name
    spec.externalName: "192.0.2.1" → "192.0.2.200"
~ home/RUNBOOK.md
plan: 0 added, 12 changed, 0 removed object(s), 18 field(s); 1 document(s) changed
`;

describe('twinops dr status', () => {
  it('prints the state of every twin as a table, then a summary line', async () => {
    project = scratchProject();
    const { code, stdout, stderr } = await run(['dr', 'status', 'home']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        'home: dr.state standby (environments/home.yaml)',
        'CLUSTER  APP        STATE    IDENTITY    REPLICAS  PROD HOST             DR HOST                  TWIN HOST',
        'home     wordpress  standby  own         1/1       blog.example.org      blog-dr.example.org      blog-dr.example.org',
        'home     redis      standby  own         1/1       -                     -                        -',
        'home     keycloak   standby  production  1/1       keycloak.example.org  keycloak-dr.example.org  keycloak.example.org',
        'home     nextcloud  standby  own         1/1       cloud.example.org     cloud-dr.example.org     cloud-dr.example.org',
        'status: home is standby: 4 twin(s) on 1 cluster(s): 4 standby, 0 syncing, 0 active',
        '',
      ].join('\n'),
    );
  });
});

describe('twinops dr plan', () => {
  it('prints every object and field activation changes, and writes nothing', async () => {
    project = scratchProject();
    const original = readHome();
    const { code, stdout, stderr } = await run(['dr', 'plan', 'home', 'active']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(HOME_ACTIVE_PLAN(lineOf(original, '  state: standby')));
    expect(readHome()).toBe(original);
    expect(readTree(project.dist).size).toBe(0);
  });

  it('plans one app: syncing holds its twin at zero replicas', async () => {
    project = scratchProject();
    const line = lineOf(readHome(), '        dr: true');
    const { code, stdout } = await run(['dr', 'plan', 'home', 'syncing', '--app', 'wordpress']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `dr plan home syncing --app wordpress: environments/home.yaml:${line} clusters[0].apps[0].dr: true → { state: syncing }`,
        '~ home/home/apps/wordpress/dr Deployment wordpress/wordpress-db-dr',
        '    spec.replicas: 1 → 0',
        '~ home/home/apps/wordpress/dr Deployment wordpress/wordpress-dr',
        '    spec.replicas: 1 → 0',
        '~ home/RUNBOOK.md',
        'plan: 0 added, 2 changed, 0 removed object(s), 2 field(s); 1 document(s) changed',
        '',
      ].join('\n'),
    );
  });

  it('answers "no change" for the state in force', async () => {
    project = scratchProject();
    const { code, stdout } = await run(['dr', 'plan', 'home', 'standby']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'dr plan home standby: standby is already in force; environments/home.yaml unchanged',
        'no change to the render',
        'plan: 0 added, 0 changed, 0 removed object(s), 0 field(s)',
        '',
      ].join('\n'),
    );
  });
});

describe('twinops dr activate, sync, standby', () => {
  it('activate then standby returns the environment file and dist/ to their original bytes', async () => {
    project = scratchProject();
    expect((await run(['synth'])).code).toBe(0);
    const [file, tree] = [readHome(), readTree(project.dist)];
    const line = lineOf(file, '  state: standby');

    const activate = await run(['dr', 'activate', 'home']);
    expect(activate.code).toBe(0);
    expect(activate.stdout).toMatch(
      new RegExp(`^dr activate home: environments/home\\.yaml:${line} dr\\.state: standby → active\\nsynth: 1 environment\\(s\\), .*; \\d+ file\\(s\\) written, 0 removed in \\d+\\.\\d\\ds\\n$`),
    );
    expect(readHome()).toBe(file.replace('  state: standby\n', '  state: active\n'));
    const active = readTree(project.dist);
    expect(active).not.toEqual(tree);

    const standby = await run(['dr', 'standby', 'home']);
    expect(standby.code).toBe(0);
    expect(standby.stdout.split('\n')[0]).toBe(`dr standby home: environments/home.yaml:${line} dr.state: active → standby`);
    expect(readHome()).toBe(file);
    expect(readTree(project.dist)).toEqual(tree);

    // The preview renders the objects activation commits (its runbook marks every app as set by the override).
    const objects = (tree: Map<string, string>) => [...tree].filter(([path]) => path.endsWith('.yaml'));
    expect((await run(['synth'], { TWINOPS_DR_STATE: 'active' })).code).toBe(0);
    expect(objects(readTree(project.dist))).toEqual(objects(active));
  });

  it('activate --app then standby --app returns the original bytes', async () => {
    project = scratchProject();
    await run(['synth']);
    const [file, tree] = [readHome(), readTree(project.dist)];
    const line = lineOf(file, '        dr: true');

    const activate = await run(['dr', 'activate', 'home', '--app', 'wordpress']);
    expect(activate.code).toBe(0);
    expect(activate.stdout.split('\n')[0]).toBe(`dr activate home --app wordpress: environments/home.yaml:${line} clusters[0].apps[0].dr: true → { state: active }`);
    expect(readTree(project.dist)).not.toEqual(tree);

    const standby = await run(['dr', 'standby', 'home', '--app', 'wordpress']);
    expect(standby.stdout.split('\n')[0]).toBe(`dr standby home --app wordpress: environments/home.yaml:${line} clusters[0].apps[0].dr: { state: active } → true`);
    expect(readHome()).toBe(file);
    expect(readTree(project.dist)).toEqual(tree);
  });

  it('sync sets syncing; the same command again changes nothing and renders nothing new', async () => {
    project = scratchProject();
    await run(['synth']);
    expect((await run(['dr', 'sync', 'home'])).code).toBe(0);
    expect(readHome()).toContain('  state: syncing\n');
    const again = await run(['dr', 'sync', 'home']);
    expect(withoutTime(again.stdout)).toMatch(/^dr sync home: syncing is already in force; environments\/home\.yaml unchanged\nsynth: .*; 0 file\(s\) written, 0 removed in 0\.00s\n$/);
  });

  it('puts the original file back when the render fails, and leaves dist/ alone', async () => {
    project = scratchProject();
    await run(['synth']);
    const [file, tree] = [readHome(), readTree(project.dist)];
    writeFileSync(join(project.environments, 'broken.yaml'), 'clusters: 3\n');
    const { code, stdout, stderr } = await run(['dr', 'activate', 'home']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'twinops dr activate: the render failed; environments/home.yaml was restored to its original content',
        'environments/broken.yaml:1:11 clusters: expected array; given 3',
        'twinops dr activate: 1 problem(s) in the environment; nothing was written',
        '',
      ].join('\n'),
    );
    expect(readHome()).toBe(file);
    expect(readTree(project.dist)).toEqual(tree);
  });
});

describe('twinops dr errors', () => {
  it('lists the known environments, states and apps; exit 1, nothing written, no stack trace', async () => {
    project = scratchProject();
    const file = readHome();
    const cases: [string[], string][] = [
      [['dr', 'activate', 'homee'], 'twinops dr activate: unknown environment (did you mean "home"?); expected one of home; given "homee"\n'],
      [['dr', 'status', 'lab'], 'twinops dr status: unknown environment; expected one of home; given "lab"\n'],
      [['dr', 'plan', 'home', 'warm'], 'twinops dr plan: unknown state; expected one of standby, syncing, active; given "warm"\n'],
      [['dr', 'plan', 'home', 'activ'], 'twinops dr plan: unknown state (did you mean "active"?); expected one of standby, syncing, active; given "activ"\n'],
      [
        ['dr', 'activate', 'home', '--app', 'wp'],
        'twinops dr activate: environment home: unknown app; expected one of the apps it places, keycloak, nextcloud, redis, wordpress; given "wp"\n',
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, stdout, stderr } = await run(argv);
      expect({ argv, code, stdout, stderr }).toEqual({ argv, code: 1, stdout: '', stderr: message });
    }
    expect(readHome()).toBe(file);
    expect(readTree(project.dist).size).toBe(0);
  });

  it('refuses an app without a twin', async () => {
    project = scratchProject();
    const file = readHome().replace(/(- app: redis\n(?:.*\n)*?\s+dr:) true/, '$1 false');
    writeFileSync(homeFile(), file);
    const { code, stderr } = await run(['dr', 'activate', 'home', '--app', 'redis']);
    expect(code).toBe(1);
    expect(stderr).toBe('twinops dr activate: redis has no DR twin on cluster home (dr is false)\n');
    expect(readHome()).toBe(file);
    expect(readTree(project.dist).size).toBe(0);
  });

  it('prints the stack trace with --verbose', async () => {
    project = scratchProject();
    const { code, stderr } = await run(['dr', 'status', 'nowhere', '--verbose']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^twinops dr status: unknown environment; .*\nUserError: unknown environment.*\n {4}at /);
  });

  it('answers a meaningless command line with exit 2 in one line pointing at --help', async () => {
    project = scratchProject();
    const cases: [string[], string][] = [
      [['dr'], 'missing command (one of status, plan, activate, sync, standby)'],
      [['dr', 'failover', 'home'], 'unknown command "failover"'],
      [['dr', 'activate'], 'activate: missing environment name'],
      [['dr', 'plan', 'home'], 'plan: missing state (one of standby, syncing, active)'],
      [['dr', 'activate', 'home', 'active'], 'activate: unexpected argument "active"'],
      [['dr', 'plan', 'home', 'active', 'now'], 'unexpected argument "now"'],
      [['dr', 'status', 'home', '--app', 'wordpress'], 'status: --app is not an option of status'],
      [['dr', 'plan', 'home', 'active', '--bogus'], 'unknown option "--bogus"'],
      [['dr', 'activate', 'home', '--app'], 'option "--app" needs a value'],
    ];
    for (const [argv, message] of cases) {
      const { code, stdout, stderr } = await run(argv);
      expect({ argv, code, stdout, stderr }).toEqual({ argv, code: 2, stdout: '', stderr: `twinops dr: ${message} (see twinops dr --help)\n` });
    }
  });

  it('refuses an output folder twinops must not replace before touching the environment file', async () => {
    project = scratchProject();
    const file = readHome();
    const { code, stderr } = await run(['dr', 'activate', 'home', '--out', 'environments']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^twinops dr activate: cannot write into .*: it is the environments folder; nothing was touched; point --out at an empty or new folder\n$/);
    expect(readHome()).toBe(file);
  });

  it('prints its usage on --help', async () => {
    project = scratchProject();
    const { code, stdout, stderr } = await run(['dr', '--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^usage: twinops dr <command> <environment> \[options\]\n\ncommands:\n {2}status <env> /);
    expect(stdout).toContain('\n  --app APP           one app, on every cluster that places it (default: every app with a twin)\n');
    expect(stdout).toContain('\n  --cluster C         one cluster, its twins only (default: every cluster)\n');
  });

  it('notes that TWINOPS_DR_STATE does not apply to dr', async () => {
    project = scratchProject();
    const { code, stderr } = await run(['dr', 'status', 'home'], { TWINOPS_DR_STATE: 'active' });
    expect(code).toBe(0);
    expect(stderr).toBe('twinops dr status: note: TWINOPS_DR_STATE is ignored; dr reads and writes the environment files\n');
  });
});
