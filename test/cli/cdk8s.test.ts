/**
 * `npx cdk8s synth` in a scratch copy of the project: cdk8s-cli empties only its scratch folder
 * (cdk8s.yaml `output:`), and the app renders dist/ through the twinops writer.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CDK8S_NOTE_FILE } from '../../lib/cli/cdk8s-app';
import { REPO } from '../support/tree';

const CDK8S = join(REPO, 'node_modules/.bin/cdk8s');
const COPIED = ['bin', 'charts', 'lib', 'imports', 'environments', 'cdk8s.yaml', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.synth.json'];

/** The project without dist/ and .git; node_modules a real folder of links, so its .cache is the copy's own. */
function scratchCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'twinops-cdk8s-'));
  for (const entry of COPIED) cpSync(join(REPO, entry), join(root, entry), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '.cache') symlinkSync(join(REPO, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  return root;
}

let root: string | undefined;
afterAll(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CDK8S))('npx cdk8s synth', () => {
  it('renders dist/ through twinops, keeps flux-system/, and is quiet with the upgrade check off', () => {
    root = scratchCopy();
    const bootstrap = join(root, 'dist/home/clusters/home/flux-system/gotk-sync.yaml');
    mkdirSync(join(bootstrap, '..'), { recursive: true });
    writeFileSync(bootstrap, '# written by flux bootstrap\n');
    const scratch = join(root, 'node_modules/.cache/twinops/cdk8s.out');
    mkdirSync(scratch, { recursive: true });
    writeFileSync(join(scratch, 'stale.yaml'), 'a file cdk8s-cli removes\n');

    const result = spawnSync('npx', ['cdk8s', 'synth'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`Synthesizing application\n  - node_modules/.cache/twinops/cdk8s.out/${CDK8S_NOTE_FILE}\n`);
    // A fresh copy has no type-check stamp: the render type-checks first, then says what it rendered.
    // One progress line per environment the project has (derived, not pinned), then the summary.
    const environments = readdirSync(join(root, 'environments')).filter((name) => name.endsWith('.yaml')).length;
    expect(result.stderr).toMatch(/^type-checking charts\/ and lib\/ \(changed since the last check\)…\n( {2}[a-z0-9-]+: \d+ units, \d+ objects\n)+synth: \d+ environment\(s\), .*\n$/);
    expect(result.stderr).toContain(`synth: ${environments} environment(s), `);
    expect(readFileSync(bootstrap, 'utf8')).toBe('# written by flux bootstrap\n');
    expect(readFileSync(join(root, 'dist/home/clusters/home/kustomization.yaml'), 'utf8')).toContain('- flux-system\n');
    expect(readdirSync(scratch)).toEqual([CDK8S_NOTE_FILE]);
  }, 90_000);
});
