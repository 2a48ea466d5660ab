/**
 * `dr activate` then `dr standby` gives the environment file back byte for byte, whatever its
 * layout, and leaves no temporary file beside it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADDED_STATE_MARK } from '../../lib/dr/edit';
import { twinops } from '../support/cli';
import { readTree, REPO } from '../support/tree';

const FIXTURE = readFileSync(join(REPO, 'test/fixtures/dr-layouts/lab.yaml'), 'utf8');
const DR_BLOCK = 'dr:\n  state: standby\n  suffix: -dr\n';

const LAYOUTS: [string, string][] = [
  ['an explicit state', FIXTURE],
  ['no state line', FIXTURE.replace('  state: standby\n', '')],
  ['no dr block', FIXTURE.replace(DR_BLOCK, '')],
  ['a flow mapping', FIXTURE.replace(DR_BLOCK, 'dr: {state: standby, suffix: -dr}\n')],
  ['a flow mapping without state', FIXTURE.replace(DR_BLOCK, 'dr: {suffix: -dr}\n')],
  ['CRLF line breaks', FIXTURE.replaceAll('\n', '\r\n')],
  ['a UTF-8 byte order mark', `\ufeff${FIXTURE}`],
  ['a byte order mark, CRLF and no dr block', `\ufeff${FIXTURE.replace(DR_BLOCK, '').replaceAll('\n', '\r\n')}`],
];

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe('dr activate then dr standby', () => {
  it.each(LAYOUTS)('returns the original bytes of a file with %s, and dist/ too', async (_, content) => {
    root = mkdtempSync(join(tmpdir(), 'twinops-layouts-'));
    const environments = join(root, 'environments');
    mkdirSync(environments);
    const file = join(environments, 'lab.yaml');
    writeFileSync(file, content);
    const run = (...argv: string[]) => twinops(root as string, argv);

    expect((await run('synth')).code).toBe(0);
    const tree = readTree(join(root, 'dist'));
    const activate = await run('dr', 'activate', 'lab');
    expect(activate.stderr).toBe('  lab: 4 units, 8 objects\n');
    expect(activate.code).toBe(0);
    const active = readFileSync(file, 'utf8');
    expect(active).toMatch(/state: active/);
    expect(readTree(join(root, 'dist'))).not.toEqual(tree);

    expect((await run('dr', 'standby', 'lab')).code).toBe(0);
    expect(readFileSync(file)).toEqual(Buffer.from(content));
    expect(readTree(join(root, 'dist'))).toEqual(tree);
    expect(readdirSync(environments)).toEqual(['lab.yaml']);
  });

  it('says where it added the state, and that it removed it again', async () => {
    root = mkdtempSync(join(tmpdir(), 'twinops-layouts-'));
    mkdirSync(join(root, 'environments'));
    const file = join(root, 'environments/lab.yaml');
    writeFileSync(file, FIXTURE.replace(DR_BLOCK, ''));
    const run = (...argv: string[]) => twinops(root as string, argv);
    const activate = await run('dr', 'activate', 'lab');
    expect(activate.stdout.split('\n')[0]).toBe('dr activate lab: environments/lab.yaml:20 dr.state: (not set) → active');
    expect(readFileSync(file, 'utf8').endsWith(`dr:\n  state: active ${ADDED_STATE_MARK}\n`)).toBe(true);
    const standby = await run('dr', 'standby', 'lab');
    expect(standby.stdout.split('\n')[0]).toBe('dr standby lab: environments/lab.yaml:20 dr.state: active → (not set)');
  });

  it('removes the temporary file a killed edit left, with a line, and keeps the file whole', async () => {
    root = mkdtempSync(join(tmpdir(), 'twinops-layouts-'));
    const environments = join(root, 'environments');
    mkdirSync(environments);
    writeFileSync(join(environments, 'lab.yaml'), FIXTURE);
    const dead = spawnSync(process.execPath, ['-e', '']).pid ?? 0;
    writeFileSync(join(environments, `.lab.yaml.twinops-tmp-${dead}`), 'dr:\n  state: acti');
    const activate = await twinops(root, ['dr', 'activate', 'lab']);
    expect(activate.code).toBe(0);
    expect(activate.stderr.split('\n')[0]).toBe(
      `twinops dr activate: removed ${join(environments, `.lab.yaml.twinops-tmp-${dead}`)}, left by an edit that was killed; ${join(environments, 'lab.yaml')} is whole`,
    );
    expect(readdirSync(environments)).toEqual(['lab.yaml']);
  });
});
