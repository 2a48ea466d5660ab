/**
 * The render cache file is written over the file the save before last replaced (its spare),
 * renamed into place whole, and a read refuses a file whose bytes changed while it was read
 * (lib/render/cache-file-bytes.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCacheFileBytes, replaceCacheFile, spareOf } from '../../lib/render/cache-file-bytes';

let folder: string;
let file: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'twinops-cache-bytes-'));
  file = join(folder, '0123456789abcdef.v8');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Saves `text` as the serialized part and `json` as the JSON part, as a save does. */
const save = (text: string, json = '[]') => replaceCacheFile(file, `${file}.${process.pid}`, Buffer.from(text), [Buffer.from(json)], Buffer.byteLength(json));
/** What a file holds, as the reader splits it: the serialized part and the JSON after it. */
const parts = (bytes: Buffer | undefined) => {
  if (bytes === undefined) return undefined;
  const length = Number(bytes.readBigUInt64LE(0));
  return [bytes.subarray(8, 8 + length).toString(), bytes.subarray(8 + length).toString()];
};
const inode = (path: string) => statSync(path).ino;
/** Past the clock's grain (50 ms): a spare changed since is old enough to be written over. */
const settle = () => sleep(120);

describe('replaceCacheFile', () => {
  it('keeps the file it replaces as the spare, and writes the next save over that spare once it is older than the clock\'s grain', async () => {
    save('first version, long');
    expect(existsSync(spareOf(file))).toBe(false);
    const first = inode(file);
    save('second');
    expect(parts(readCacheFileBytes(file))).toEqual(['second', '[]']);
    expect(inode(spareOf(file))).toBe(first);
    const second = inode(file);
    await settle();
    save('third', '[1,2]');
    // The spare's inode now holds the third version, cut to its length; the second is the spare.
    expect(inode(file)).toBe(first);
    expect(parts(readCacheFileBytes(file))).toEqual(['third', '[1,2]']);
    expect(readFileSync(file).length).toBe(8 + 'third'.length + '[1,2]'.length);
    expect(inode(spareOf(file))).toBe(second);
    expect(readdirSync(folder).sort()).toEqual(['0123456789abcdef.v8', '0123456789abcdef.v8.spare']);
  });

  it('writes a new file when the spare changed within the clock\'s grain', () => {
    save('first');
    save('second');
    const spare = inode(spareOf(file));
    save('third');
    expect(inode(file)).not.toBe(spare);
    expect(parts(readCacheFileBytes(file))).toEqual(['third', '[]']);
  });

  it('leaves the file as it was, and no spare being kept, when the write fails', async () => {
    save('first');
    save('second');
    await settle();
    // A folder where the temporary goes: the spare cannot be claimed, nor a file written there.
    mkdirSync(`${file}.${process.pid}`);
    expect(() => save('third')).toThrow();
    expect(parts(readCacheFileBytes(file))).toEqual(['second', '[]']);
    expect(readdirSync(folder).sort()).toEqual(['0123456789abcdef.v8', `0123456789abcdef.v8.${process.pid}`, '0123456789abcdef.v8.spare']);
  });
});

describe('readCacheFileBytes', () => {
  it('gives the bytes read whole, and nothing when they were written over during the read', async () => {
    save('version one');
    expect(parts(readCacheFileBytes(file))).toEqual(['version one', '[]']);
    await settle();
    // Written over during the read (as a second save writes over a spare a slow reader still reads), the same length.
    expect(readCacheFileBytes(file, () => writeFileSync(file, readFileSync(file)))).toBeUndefined();
  });

  it('gives the bytes when the file was only renamed away or linked during the read (its bytes unchanged)', () => {
    save('version one');
    const bytes = readCacheFileBytes(file, () => save('version two'));
    expect(parts(bytes)).toEqual(['version one', '[]']);
  });
});
