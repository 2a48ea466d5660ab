import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import type { Io } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { NOT_TYPE_CHECKED } from '../../lib/cli/typecheck';
import { UserError } from '../../lib/errors';
import { twinops } from '../support/cli';
import { readTree, scratchProject } from '../support/tree';

/**
 * Everything below `root` (the project: environments/, dist/ and whatever a writer would put
 * beside dist/): kind, bytes and modification time of every entry, folders included, so that a
 * file created and removed again still shows (its folder's mtime moves).
 */
function snapshot(root: string): Map<string, string> {
  const entries = new Map<string, string>();
  const visit = (path: string, relative: string) => {
    const stat = statSync(path, { bigint: true });
    if (stat.isDirectory()) {
      entries.set(`${relative}/`, `folder mtime=${stat.mtimeNs}`);
      for (const name of readdirSync(path).sort()) visit(join(path, name), `${relative}/${name}`);
    } else {
      entries.set(relative, `mode=${stat.mode} mtime=${stat.mtimeNs} ${readFileSync(path, 'base64')}`);
    }
  };
  visit(root, '');
  return entries;
}

/** The last line of a failing check, with its counts. */
const differs = (stale: number, missing: number, extra: number) =>
  `check: dist/ is not a fresh render: ${stale} stale, ${missing} missing, ${extra} extra file(s); run npm run synth and commit the result\n`;

let project: ReturnType<typeof scratchProject>;
/** The fresh render of the fixture environments (relative path → content). */
let rendered: Map<string, string>;

/** A scratch project whose dist/ is a fresh render of the frozen example. */
async function renderedProject() {
  project = scratchProject();
  const synth = await twinops(project.root, ['synth']);
  expect(synth.code).toBe(0);
  rendered = readTree(project.dist);
  return project;
}

/** Runs check and asserts it wrote nothing anywhere in the project. */
async function check(argv: string[] = [], env: Record<string, string> = {}) {
  const before = snapshot(project.root);
  const result = await twinops(project.root, ['check', ...argv], env);
  expect(snapshot(project.root)).toEqual(before);
  return result;
}

/** A rendered object file (not a kustomization), for the tests that change one. */
const anObjectFile = () => {
  const path = [...rendered.keys()].find((file) => /\/deployment-[^/]+\.yaml$/.test(file));
  if (path === undefined) throw new Error('the fixture renders no Deployment');
  return path;
};

afterEach(() => project?.cleanup());

describe('twinops check', () => {
  it('exits 0 on a fresh render and says how many files are identical', async () => {
    await renderedProject();
    const { code, stdout, stderr } = await check();
    expect(code).toBe(0);
    // Every file of dist/ is rendered, the marker included.
    expect(stdout).toBe(`check: dist/ is a fresh render (${rendered.size} file(s) identical)\n`);
    expect(stderr).toMatch(/^ {2}home: \d+ units, \d+ objects\n$/);
  });

  it('exits 1 naming a file whose content changed by one byte', async () => {
    await renderedProject();
    const file = anObjectFile();
    const content = rendered.get(file) ?? '';
    writeFileSync(join(project.dist, file), content.replace('replicas: ', 'replicas:  '));
    const { code, stdout } = await check();
    expect(code).toBe(1);
    expect(stdout).toBe(`stale: dist/${file}\n${differs(1, 0, 0)}`);
  });

  it('exits 1 naming a file that became executable (the mode Git records)', async () => {
    await renderedProject();
    const file = anObjectFile();
    chmodSync(join(project.dist, file), 0o755);
    const { code, stdout } = await check();
    expect(code).toBe(1);
    expect(stdout).toBe(`stale: dist/${file}\n${differs(1, 0, 0)}`);
  });

  it('exits 1 naming a deleted file as missing, the marker included', async () => {
    await renderedProject();
    const file = anObjectFile();
    rmSync(join(project.dist, file));
    rmSync(join(project.dist, '.twinops'));
    const { code, stdout } = await check();
    expect(code).toBe(1);
    expect(stdout).toBe(`missing: dist/.twinops\nmissing: dist/${file}\n${differs(0, 2, 0)}`);
  });

  it('exits 1 naming an added file as extra, even one in a folder the render does not have', async () => {
    await renderedProject();
    writeFileSync(join(project.dist, 'home', 'notes.txt'), 'hand-written\n');
    mkdirSync(join(project.dist, 'home', 'old'));
    writeFileSync(join(project.dist, 'home', 'old', 'deployment-gone.yaml'), 'kind: Deployment\n');
    const { code, stdout } = await check();
    expect(code).toBe(1);
    expect(stdout).toBe(`extra: dist/home/notes.txt\nextra: dist/home/old/deployment-gone.yaml\n${differs(0, 0, 2)}`);
  });

  it('lists stale, then missing, then extra, each sorted', async () => {
    await renderedProject();
    const [first, second] = [...rendered.keys()].filter((file) => file.endsWith('/kustomization.yaml'));
    if (first === undefined || second === undefined) throw new Error('the fixture renders fewer than two units');
    writeFileSync(join(project.dist, 'home', 'a-extra.yaml'), 'x: 1\n');
    rmSync(join(project.dist, first));
    writeFileSync(join(project.dist, second), 'changed\n');
    const { code, stdout } = await check();
    expect(code).toBe(1);
    expect(stdout).toBe(`stale: dist/${second}\nmissing: dist/${first}\nextra: dist/home/a-extra.yaml\n${differs(1, 1, 1)}`);
  });

  it('leaves flux-system/ out, as synth does, but sees that the entry must now list it', async () => {
    await renderedProject();
    const entry = [...rendered.keys()].find((file) => /^home\/clusters\/[^/]+\/kustomization\.yaml$/.test(file));
    if (entry === undefined) throw new Error('the fixture renders no cluster entry');
    const bootstrap = join(project.dist, entry.replace(/kustomization\.yaml$/, 'flux-system'));
    mkdirSync(bootstrap);
    writeFileSync(join(bootstrap, 'gotk-sync.yaml'), 'kind: GitRepository\n');
    const { code, stdout } = await check();
    expect(code).toBe(1);
    // Synth would rewrite the entry's kustomization.yaml to list flux-system, and keep the folder.
    expect(stdout).toBe(`stale: dist/${entry}\n${differs(1, 0, 0)}`);
  });

  it('exits 1 listing every file as missing when the folder does not exist, and creates none', async () => {
    await renderedProject();
    rmSync(project.dist, { recursive: true });
    const { code, stdout } = await check();
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual([...rendered.keys()].sort().map((file) => `missing: dist/${file}`));
    expect(lines.at(-1)).toBe(differs(0, rendered.size, 0).trimEnd());
  });

  it('compares with --out and --environments as given', async () => {
    await renderedProject();
    const { code, stdout } = await check(['--out', 'dist/home', '--environments', 'environments']);
    expect(code).toBe(1);
    // dist/home is not the render's root: every rendered path is missing below it, home/ is extra.
    expect(stdout).toContain('missing: dist/home/.twinops\n');
    expect(stdout).toContain('extra: dist/home/RUNBOOK.md\n');
  });

  it('exits 2 with the loader messages exactly as synth prints them', async () => {
    await renderedProject();
    writeFileSync(join(project.environments, 'broken.yaml'), 'clusters:\n  - name: Home\n    nodes: []\n');
    const synth = await twinops(project.root, ['synth']);
    expect(synth.code).toBe(1);
    const { code, stdout, stderr } = await check();
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(synth.stderr.replaceAll('twinops synth:', 'twinops check:'));
    expect(stderr).toContain(
      `environments/broken.yaml:3:12 clusters[0].nodes: expected at least 1 item; given an empty list\n` +
        'twinops check: 2 problem(s) in the environment; nothing was written\n',
    );
  });

  it('exits 2 when --out is a file', async () => {
    await renderedProject();
    writeFileSync(join(project.root, 'render.txt'), 'not a folder\n');
    const { code, stdout, stderr } = await check(['--out', 'render.txt']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'twinops check: render.txt is not a folder; expected the rendered tree to compare with (a folder, or absent)\n',
    );
  });

  it('exits 2 on a command line that means nothing', async () => {
    await renderedProject();
    const { code, stderr } = await check(['--bogus']);
    expect(code).toBe(2);
    expect(stderr).toBe('twinops check: unknown option "--bogus" (see twinops check --help)\n');
  });

  it('ignores TWINOPS_DR_STATE, with a note: the committed render is the files own', async () => {
    await renderedProject();
    const { code, stdout, stderr } = await check([], { TWINOPS_DR_STATE: 'active' });
    expect(code).toBe(0);
    expect(stdout).toBe(`check: dist/ is a fresh render (${rendered.size} file(s) identical)\n`);
    expect(stderr.split('\n')[0]).toBe('twinops check: note: TWINOPS_DR_STATE=active ignored: check compares with the states the environment files set');
  });

  it('type-checks like synth, and a type error fails with 2 before anything is rendered', async () => {
    await renderedProject();
    const out: string[] = [];
    const err: string[] = [];
    const commands: string[] = [];
    const io: Io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, cwd: project.root, env: {} };
    const before = snapshot(project.root);
    const code = await main(['check'], io, {
      compose: composeUnits,
      catalog: APP_CATALOG,
      typecheck: (_io, command) => {
        commands.push(command);
        throw new UserError(NOT_TYPE_CHECKED);
      },
    });
    expect(code).toBe(2);
    expect(commands).toEqual(['check']);
    expect(out.join('')).toBe('');
    expect(err.join('')).toBe(`twinops check: ${NOT_TYPE_CHECKED}\n`);
    expect(snapshot(project.root)).toEqual(before);
  });

  it('prints its usage with --help', async () => {
    await renderedProject();
    const { code, stdout } = await check(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: twinops check \[options\]\n/);
    expect(stdout).toContain('  --out DIR');
  });
});
