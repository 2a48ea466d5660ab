/**
 * The launcher's heap growing factor (lib/build/heap-growth.mjs, issue 11 goal 4): set at run
 * time, it makes V8 collect as `node --heap-growing-percent=50` does, more often than a loose
 * factor; a factor given to node on the command line wins.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../../lib/build/heap-growth.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const MODULE = pathToFileURL(join(ROOT, 'lib', 'build', 'heap-growth.mjs')).href;
const folder = mkdtempSync(join(tmpdir(), 'twinops-heap-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * A child that keeps a growing set of objects (about 150 MB) while making garbage, and prints
 * how many full collections it took: with `limit`, after calling limitHeapGrowth().
 */
const SCRIPT = join(folder, 'collections.mjs');
writeFileSync(
  SCRIPT,
  `import { PerformanceObserver, constants } from 'node:perf_hooks';
if (process.argv[2] === 'limit') (await import(${JSON.stringify(MODULE)})).limitHeapGrowth();
let major = 0;
const observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major += 1; });
observer.observe({ entryTypes: ['gc'] });
const kept = [];
for (let i = 0; i < 2_000_000; i += 1) { kept.push({ i, text: 'item ' + i }); for (let j = 0; j < 4; j += 1) ({ garbage: [i, j] }); }
await new Promise((resolve) => setTimeout(resolve, 50));
observer.disconnect();
process.stdout.write(String(major));
`,
);

function fullCollections(nodeFlags: readonly string[], mode: 'limit' | 'plain'): number {
  const run = spawnSync(process.execPath, [...nodeFlags, SCRIPT, mode], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return Number(run.stdout);
}

describe('the heap growing factor', () => {
  it('is 1.5', () => {
    expect(HEAP_GROWING_PERCENT).toBe(50);
  });

  it('set at run time, collects as node --heap-growing-percent=50 does, and more often than a factor of 4', () => {
    const limited = fullCollections([], 'limit');
    const given = fullCollections([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`], 'plain');
    const loose = fullCollections(['--heap-growing-percent=300'], 'plain');
    expect(Math.abs(limited - given)).toBeLessThanOrEqual(1);
    expect(limited).toBeGreaterThanOrEqual(loose + 2);
  });

  it('leaves a factor given to node on the command line alone', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=300'])).toBe(false);
    expect(limitHeapGrowth(['--heap_growing_percent=300'])).toBe(false);
    // The child was given a factor of 4: calling it there keeps it, so it collects as rarely as before.
    expect(fullCollections(['--heap-growing-percent=300'], 'limit')).toBeLessThanOrEqual(fullCollections(['--heap-growing-percent=300'], 'plain'));
  });

  it('is set by the launcher before the program loads', () => {
    // Both launchers: the npm scripts' (bin/twinops.mjs) and the sources' under tsx (bin/twinops.ts).
    for (const launcher of ['twinops.mjs', 'twinops.ts']) {
      const text = readFileSync(join(ROOT, 'bin', launcher), 'utf8');
      const call = text.indexOf('\nlimitHeapGrowth();');
      expect(call, launcher).toBeGreaterThan(0);
      expect(call, launcher).toBeLessThan(text.search(/\n(?:const|let|process)\b/));
    }
  });
});
