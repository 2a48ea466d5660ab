/**
 * `npm run synth` end to end, as the user runs it (tsx, a real tsc): a type error in a chart
 * stops the render. Two tsc runs in all (the failure, then the incremental re-check of the fix;
 * the third render skips the check): the development machine has two cores.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_TYPE_CHECKED, STAMP_FILE } from '../../lib/cli/typecheck';
import { REPO } from '../support/tree';

const COPIED = ['bin', 'charts', 'lib', 'imports', 'environments', 'tsconfig.json', 'tsconfig.synth.json', 'package.json', 'package-lock.json'];
const CHART = 'charts/apps/redis.ts';
const TYPE_ERROR = "export const typeErrorForTest: number = 'a';\n";

let root: string;
let original: string;

/**
 * A copy of the program with the repository's packages. node_modules is a folder of links to
 * each package, not one link to the folder: the copy's stamp and tsc state (node_modules/.cache)
 * must stay its own, never overwrite the repository's.
 */
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-typecheck-e2e-'));
  for (const path of COPIED) cpSync(join(REPO, path), join(root, path), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '.cache') symlinkSync(join(REPO, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  original = readFileSync(join(root, CHART), 'utf8');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `npm run synth` in the copy: `tsx bin/twinops.ts synth`. */
function synth() {
  const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['bin/twinops.ts', 'synth'], { cwd: root, encoding: 'utf8', env: { ...process.env, TWINOPS_DR_STATE: '' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run synth with a type error in a chart', () => {
  it('prints the diagnostic, writes nothing, and renders once the chart is fixed', () => {
    appendFileSync(join(root, CHART), TYPE_ERROR);
    const line = `${original}${TYPE_ERROR}`.split('\n').length - 1;

    const broken = synth();
    expect(broken.code).toBe(1);
    const lines = broken.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('type-checking charts/ and lib/ (changed since the last check)…');
    expect(lines).toContain(`${CHART}(${line},14): error TS2322: Type 'string' is not assignable to type 'number'.`);
    expect(lines.at(-1)).toBe(`twinops synth: ${NOT_TYPE_CHECKED}`);
    expect(broken.stdout).toBe('');
    expect(existsSync(join(root, 'dist'))).toBe(false);
    expect(existsSync(join(root, STAMP_FILE))).toBe(false);

    writeFileSync(join(root, CHART), original);
    const fixed = synth();
    expect(fixed.stderr.split('\n')[0]).toBe('type-checking charts/ and lib/ (changed since the last check)…');
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/^synth: \d+ environment\(s\), .* file\(s\) written, 0 removed in \d+\.\d\ds\n$/);
    expect(readdirSync(join(root, 'dist')).length).toBeGreaterThan(0);
    expect(existsSync(join(root, STAMP_FILE))).toBe(true);
    // The stamp lives in the copy: the repository's own node_modules/.cache was not touched through a link.
    expect(readdirSync(join(root, 'node_modules/.cache/twinops')).sort()).toEqual(['tsbuildinfo', 'typecheck.json']);

    // Nothing changed since the check that passed: no tsc this time.
    const again = synth();
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('type-checking');
  }, 180_000);
});
