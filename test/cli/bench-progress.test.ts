/** `twinops bench` says on stderr what it runs, step by step: a full run takes minutes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { PHASES } from '../../lib/bench/phases';
import { main } from '../../lib/cli/main';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('names each step before it runs it, on stderr, and leaves stdout to the results', async () => {
  dir = mkdtempSync(join(tmpdir(), 'twinops-bench-progress-'));
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) }, cwd: dir, env: {} };
  const code = await main(['bench', '--objects', '100', '--no-baselines', '--no-goals', '--changes', '3', '--dir', dir], io, { compose: composeUnits, catalog: APP_CATALOG });
  expect(code).toBe(0);
  const [sizing, ...steps] = err.join('').trimEnd().split('\n');
  expect(sizing).toMatch(new RegExp(`^bench: 1 clusters × ${APP_CATALOG.size} apps with twins, \\d+ objects per cluster, in ${dir}/twinops-bench-\\w+$`));
  expect(steps).toEqual([
    'bench: the fresh render…',
    'bench: 3 one-app changes, each on another cluster…',
    'bench: the floors (JSON.stringify, the YAML emitter, compiled validation, writing the files)…',
  ]);
  const report = out.join('');
  expect(report).not.toContain('bench: ');
  // Every phase has its row, in pipeline order (charts inside compose), then the total.
  const lines = report.split('\n');
  const header = lines.findIndex((line) => line.startsWith('phase '));
  expect(lines.slice(header + 1, header + 2 + PHASES.length).map((line) => line.split(' ')[0])).toEqual([...PHASES, 'total']);
  expect(report).toMatch(
    new RegExp(`^cpu \\(fresh\\): \\S+ m?s of user and system time in \\S+ m?s, \\d+\\.\\d\\d cores busy on average; with all ${availableParallelism()} cores busy throughout, the same work would take \\S+ m?s at least$`, 'm'),
  );
}, 120_000);

it('names the baselines too: stock cdk8s, and kustomize where kubectl is on PATH', async () => {
  dir = mkdtempSync(join(tmpdir(), 'twinops-bench-progress-'));
  const err: string[] = [];
  const io = { stdout: { write: () => true }, stderr: { write: (text: string) => err.push(text) }, cwd: dir, env: process.env };
  const code = await main(['bench', '--objects', '100', '--no-goals', '--changes', '2', '--kustomize-sample', '2', '--kustomize-timeout', '60', '--dir', dir], io, { compose: composeUnits, catalog: APP_CATALOG });
  expect(code).toBe(0);
  const steps = err.join('').trimEnd().split('\n').slice(1);
  const units = Number(/stock cdk8s, (\d+) charts/.exec(steps[3] ?? '')?.[1]);
  expect(units).toBeGreaterThan(0);
  expect(steps.slice(0, 4)).toEqual([
    'bench: the fresh render…',
    'bench: 2 one-app changes, each on another cluster…',
    'bench: the floors (JSON.stringify, the YAML emitter, compiled validation, writing the files)…',
    `bench: stock cdk8s, ${units} charts…`,
  ]);
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  expect(steps.slice(4)).toEqual(kubectl ? [expect.stringMatching(/^bench: kubectl kustomize, one process for \d+ units \(stopped after 60 s\), then one process per unit…$/)] : []);
}, 300_000);
