import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_BYTES, TextParts } from '../../lib/render/content';
import { syncStaged, writeNew } from '../../lib/render/journal';

let dir: string;
let path: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'twinops-journal-'));
  path = process.env.PATH;
});
afterEach(() => {
  process.env.PATH = path;
  rmSync(dir, { recursive: true, force: true });
});

describe('writeNew', () => {
  it('writes text in parts in order, over several runs of bytes, characters beyond ASCII included', () => {
    const parts = Array.from({ length: 250_000 }, (_, i) => `${i} — ✓\n`);
    writeNew(join(dir, 'many'), new TextParts(parts), false);
    const written = readFileSync(join(dir, 'many'));
    expect(written.length).toBeGreaterThan(2 * RUN_BYTES);
    expect(written.toString('utf8')).toBe(parts.join(''));
  });

  it('writes a string as its UTF-8 bytes, and returns the stat of the file written when asked', () => {
    const stat = writeNew(join(dir, 'one'), 'kind: A — B\n', false, true);
    expect(readFileSync(join(dir, 'one'), 'utf8')).toBe('kind: A — B\n');
    expect(stat.size).toBe(Buffer.byteLength('kind: A — B\n'));
  });
});

describe('syncStaged', () => {
  it('flushes more than 16 staged files with one sync -f of their file system', () => {
    writeNew(join(dir, '0'), 'a', false);
    const missing = Array.from({ length: 16 }, (_, index) => join(dir, `missing-${index}`));
    // A file that is not there is never opened: the file system is synced as a whole.
    expect(() => syncStaged(dir, [join(dir, '0'), ...missing])).not.toThrow();
  });

  it('syncs 16 staged files or fewer one by one, sparing the sync process', () => {
    writeNew(join(dir, '0'), 'a', false);
    const missing = Array.from({ length: 15 }, (_, index) => join(dir, `missing-${index}`));
    expect(() => syncStaged(dir, [join(dir, '0'), ...missing])).toThrow(/ENOENT/);
    expect(() => syncStaged(dir, [join(dir, '0')])).not.toThrow();
  });

  it('syncs each file on its own where there is no sync command', () => {
    writeNew(join(dir, '0'), 'a', false);
    process.env.PATH = '';
    expect(() => syncStaged(dir, [join(dir, '0')])).not.toThrow();
    expect(() => syncStaged(dir, [join(dir, '0'), join(dir, 'missing')])).toThrow(/ENOENT/);
    expect(readFileSync(join(dir, '0'), 'utf8')).toBe('a');
  });
});
