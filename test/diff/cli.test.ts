/**
 * `twinops diff` end to end in a scratch git repository: the 002 example rendered and committed,
 * then the environment (or the committed render) changed, and the diff of the working tree.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { twinops } from '../support/cli';
import { scratchProject } from '../support/tree';

let project: ReturnType<typeof scratchProject>;
afterEach(() => project?.cleanup());

const git = (...args: string[]) => execFileSync('git', args, { cwd: project.root, encoding: 'utf8' });
const commit = (message: string) => {
  git('add', '-A');
  git('-c', 'user.name=twinops', '-c', 'user.email=twinops@example.org', 'commit', '-q', '-m', message);
};
const run = (...argv: string[]) => twinops(project.root, ['diff', ...argv]);
const homeFile = () => join(project.environments, 'home.yaml');
const editHome = (from: string, to: string) => {
  const text = readFileSync(homeFile(), 'utf8');
  if (!text.includes(from)) throw new Error(`home.yaml lacks ${from}`);
  writeFileSync(homeFile(), text.replace(from, to));
};
const WORDPRESS = '      - app: wordpress\n        host: blog.example.org\n        dr: true\n';
const WORDPRESS_ACTIVE = '      - app: wordpress\n        host: blog.example.org\n        dr:\n          state: active\n';

beforeEach(async () => {
  project = scratchProject();
  git('init', '-q');
  expect((await twinops(project.root, ['synth'])).code).toBe(0);
  commit('the 002 example, rendered');
});

describe('twinops diff', () => {
  it('exits 0 and says so when the working tree renders exactly the committed dist/', async () => {
    const { code, stdout, stderr } = await run();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^twinops diff: dist\/ at HEAD \([0-9a-f]{7}\) → the working tree\ndiff: no difference\n$/);
  });

  it("names a flipped app's transition first, with its clusters and its documented change set", async () => {
    editHome(WORDPRESS, WORDPRESS_ACTIVE);
    const { code, stdout, stderr } = await run();
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines.slice(2, 6)).toEqual([
      'DR transitions:',
      '  home: wordpress on cluster home (twin on home): standby → active: exactly the documented change set',
      '',
      'Stateful objects and immutable fields:',
    ]);
    expect(stdout).toContain(
      [
        'home/home/apps/wordpress/dr (home, cluster home): 1 changed',
        '  ~ ConfigMap wordpress/wordpress-identity-dr',
        '      data.WP_HOME: "https://blog-dr.example.org" → "https://blog.example.org"',
        '      data.WP_SITEURL: "https://blog-dr.example.org" → "https://blog.example.org"',
      ].join('\n'),
    );
    expect(lines.at(-2)).toBe(
      'diff: 3 unit(s), 0 added, 4 changed, 0 removed object(s), 1 document(s) changed; 1 DR transition(s), 0 stateful or immutable change(s), 0 prune protection(s) removed, 0 move(s)',
    );
  });

  it('lists what a transition carries beyond its documented change set', async () => {
    // The base ran three prod replicas of wordpress: the change brings it back to one.
    const file = join(project.dist, 'home/home/apps/wordpress/prod/deployment-wordpress.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  replicas: 1\n', '  replicas: 3\n'));
    commit('three replicas');
    editHome(WORDPRESS, WORDPRESS_ACTIVE);
    const { code, stdout } = await run('--format', 'json');
    expect(code).toBe(1);
    const [transition] = JSON.parse(stdout).transitions;
    expect(transition.documented).toBe(false);
    expect(transition.missing).toEqual([]);
    expect(transition.extra).toEqual(['~ home/home/apps/wordpress/prod Deployment wordpress/wordpress spec.replicas: 3 → 1']);
  });

  it("warns that a claim's storage class change will be refused or will recreate, naming the claim and field", async () => {
    editHome('storageRoles: { database: zfs-storage-znvm,', 'storageRoles: { database: zfs-storage-nas,');
    const { code, stdout } = await run();
    expect(code).toBe(1);
    expect(stdout).toContain(
      [
        '  ! home/home/apps/wordpress/prod PersistentVolumeClaim wordpress/wordpress-db: stateful, changed; will be refused or will recreate',
        '      spec.storageClassName: "zfs-storage-znvm" → "zfs-storage-nas"',
      ].join('\n'),
    );
    expect(stdout).toContain('DR transitions:\n  (none)\n');
  });

  it('reports prune protection the working tree drops from an object', async () => {
    // The base carried Flux's protection on a Deployment; the render does not.
    const file = join(project.dist, 'home/home/apps/wordpress/prod/deployment-wordpress.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  labels:\n', '  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n  labels:\n'));
    commit('protect the deployment');
    const { code, stdout } = await run();
    expect(code).toBe(1);
    expect(stdout).toContain(
      'Prune protection removed:\n  ! home/home/apps/wordpress/prod Deployment wordpress/wordpress: kustomize.toolkit.fluxcd.io/prune: disabled\n',
    );
  });

  it('reports an object that moves between units as a move', async () => {
    // The base held the namespace in another unit; the render puts it back in storage.
    const from = join(project.dist, 'home/home/infrastructure/storage/namespace-wordpress.yaml');
    const to = join(project.dist, 'home/home/infrastructure/edge/namespace-wordpress.yaml');
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
    commit('move the namespace');
    const { code, stdout } = await run();
    expect(code).toBe(1);
    expect(stdout).toContain(
      'Moved between units or clusters (a delete and a create):\n  ! Namespace wordpress: home/home/infrastructure/edge → home/home/infrastructure/storage\n',
    );
    // A move is no stateful removal.
    expect(stdout).toContain('Stateful objects and immutable fields:\n  (none)\n');
  });

  it("exits 2 with git's message in one line for an unknown base", async () => {
    const { code, stdout, stderr } = await run('--base', 'origin/nowhere');
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr).toBe("twinops diff: --base origin/nowhere: fatal: bad revision 'origin/nowhere'\n");
  });

  it('exits 2 on an unknown format', async () => {
    const { code, stderr } = await run('--format', 'html');
    expect(code).toBe(2);
    expect(stderr).toBe('twinops diff: unknown format; expected one of text, markdown, json; given "html" (see twinops diff --help)\n');
  });

  it('compares with an earlier commit, read through git without a checkout', async () => {
    editHome(WORDPRESS, WORDPRESS_ACTIVE);
    await twinops(project.root, ['synth']);
    commit('activate wordpress');
    const onBranch = await run();
    expect(onBranch.code).toBe(0);
    const { code, stdout } = await run('--base', 'HEAD~1', '--format', 'markdown');
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toBe('<!-- twinops-diff -->');
    expect(stdout).toContain('- `home: wordpress on cluster home (twin on home): standby → active: exactly the documented change set`');
  });
});
