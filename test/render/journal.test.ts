import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  it('writes every chunk in order, more than one writev takes', () => {
    const chunks = Array.from({ length: 2_500 }, (_, i) => Buffer.from(`${i}\n`));
    writeNew(join(dir, 'many'), chunks, false);
    expect(readFileSync(join(dir, 'many'), 'utf8')).toBe(chunks.map(String).join(''));
  });
});

describe('syncStaged', () => {
  it('flushes more than 16 staged files with one sync -f of their file system', () => {
    writeNew(join(dir, '0'), [Buffer.from('a')], false);
    const missing = Array.from({ length: 16 }, (_, index) => join(dir, `missing-${index}`));
    // A file that is not there is never opened: the file system is synced as a whole.
    expect(() => syncStaged(dir, [join(dir, '0'), ...missing])).not.toThrow();
  });

  it('syncs 16 staged files or fewer one by one, sparing the sync process', () => {
    writeNew(join(dir, '0'), [Buffer.from('a')], false);
    const missing = Array.from({ length: 15 }, (_, index) => join(dir, `missing-${index}`));
    expect(() => syncStaged(dir, [join(dir, '0'), ...missing])).toThrow(/ENOENT/);
    expect(() => syncStaged(dir, [join(dir, '0')])).not.toThrow();
  });

  it('syncs each file on its own where there is no sync command', () => {
    writeNew(join(dir, '0'), [Buffer.from('a')], false);
    process.env.PATH = '';
    expect(() => syncStaged(dir, [join(dir, '0')])).not.toThrow();
    expect(() => syncStaged(dir, [join(dir, '0'), join(dir, 'missing')])).toThrow(/ENOENT/);
    expect(readFileSync(join(dir, '0'), 'utf8')).toBe('a');
  });
});
