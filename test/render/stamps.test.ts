/** The writer's file stamps: a file is known by its stat only once that stat is older than the clock's grain. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStamps } from '../../lib/render/stamps';

let real: string;
beforeEach(() => {
  real = mkdtempSync(join(tmpdir(), 'twinops-stamps-'));
});
afterEach(() => rmSync(real, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FileStamps', () => {
  it('does not stamp a file changed within the clock tick of its stat, and stamps it once that is past', async () => {
    writeFileSync(join(real, 'a.yaml'), 'kind: A\n');
    const stamps = new FileStamps(real);
    stamps.record('a.yaml', 'kind: A\n');
    // Just written: an edit in the same tick would leave the stat as it is, so the bytes are compared next time.
    expect(stamps.holds('a.yaml', 'kind: A\n')).toBe(false);
    await sleep(120);
    stamps.record('a.yaml', 'kind: A\n');
    expect(stamps.holds('a.yaml', 'kind: A\n')).toBe(true);
    expect(stamps.holds('a.yaml', 'kind: B\n')).toBe(false);
  });

  it('does not hold a stamped file once it is edited', async () => {
    writeFileSync(join(real, 'a.yaml'), 'kind: A\n');
    await sleep(120);
    const stamps = new FileStamps(real);
    stamps.record('a.yaml', 'kind: A\n');
    writeFileSync(join(real, 'a.yaml'), 'kind: B\n');
    expect(stamps.holds('a.yaml', 'kind: A\n')).toBe(false);
  });
});
