/** The writer's compare of a file with the bytes it should hold, given in chunks, read 64 KB at a time. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sameFile } from '../../lib/render/tree';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'twinops-same-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** 200,000 bytes (three 64 KB reads and a bit), in chunks of 3,000 with empty ones between. */
const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => 97 + (i % 26)));
const chunked = (data: Buffer): Buffer[] => {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += 3_000) chunks.push(data.subarray(at, at + 3_000), Buffer.alloc(0));
  return chunks;
};

describe('sameFile', () => {
  it('holds for the same bytes in any chunks, across the 64 KB reads and empty chunks', () => {
    const file = join(dir, 'RUNBOOK.md');
    writeFileSync(file, bytes);
    expect(sameFile(file, chunked(bytes))).toBe(true);
    expect(sameFile(file, [bytes])).toBe(true);
    expect(sameFile(file, [Buffer.alloc(0), bytes.subarray(0, 65_536), bytes.subarray(65_536)])).toBe(true);
  });

  it('fails on one byte changed past the first read, on another size, and on an executable file', () => {
    const file = join(dir, 'RUNBOOK.md');
    writeFileSync(file, bytes);
    const changed = Buffer.from(bytes);
    changed[150_001] = 0x21;
    expect(sameFile(file, chunked(changed))).toBe(false);
    expect(sameFile(file, chunked(bytes.subarray(1)))).toBe(false);
    expect(sameFile(file, [])).toBe(false);
    chmodSync(file, 0o755);
    expect(sameFile(file, chunked(bytes))).toBe(false);
  });

  it('holds for an empty file and no bytes', () => {
    const file = join(dir, 'empty');
    writeFileSync(file, '');
    expect(sameFile(file, [])).toBe(true);
    expect(sameFile(file, [Buffer.alloc(0)])).toBe(true);
  });
});
