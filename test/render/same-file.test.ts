/** The writer's compare of a file with the bytes it should hold, given in chunks, read 64 KB at a time. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sameFile, sameFileText } from '../../lib/render/tree';

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

describe('sameFileText', () => {
  /** 200,000 characters in parts of 3,000, empty ones between, with parts that are not ASCII (a dash, an emoji across a 64 KB read) among them. */
  const text = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
  const withWide = `${text.slice(0, 65_530)}— ✓ 🚀${text.slice(65_536)}`;
  const parted = (value: string): string[] => {
    const parts: string[] = [];
    for (let at = 0; at < value.length; at += 3_000) parts.push(value.slice(at, at + 3_000), '');
    return parts;
  };

  it('holds for the same text in any parts, ASCII or not, across the 64 KB reads', () => {
    const file = join(dir, 'RUNBOOK.md');
    writeFileSync(file, withWide);
    expect(sameFileText(file, parted(withWide))).toBe(true);
    expect(sameFileText(file, [withWide])).toBe(true);
    expect(sameFileText(file, ['', withWide.slice(0, 65_536), withWide.slice(65_536)])).toBe(true);
    writeFileSync(file, text);
    expect(sameFileText(file, parted(text))).toBe(true);
  });

  it('fails on one character changed (an ASCII one, a wide one, or an ASCII byte the file holds as another byte), on another size, and on an executable file', () => {
    const file = join(dir, 'RUNBOOK.md');
    writeFileSync(file, withWide);
    expect(sameFileText(file, parted(`${withWide.slice(0, 150_001)}!${withWide.slice(150_002)}`))).toBe(false);
    expect(sameFileText(file, parted(withWide.replace('✓', '✗')))).toBe(false);
    expect(sameFileText(file, parted(withWide.slice(1)))).toBe(false);
    expect(sameFileText(file, [])).toBe(false);
    // The same size in bytes: 'é' (2 bytes) where the parts say 'ab'.
    writeFileSync(file, `é${text.slice(2)}`);
    expect(sameFileText(file, parted(text))).toBe(false);
    writeFileSync(file, text);
    chmodSync(file, 0o755);
    expect(sameFileText(file, parted(text))).toBe(false);
  });

  it('holds for an empty file and no parts, or empty ones', () => {
    const file = join(dir, 'empty');
    writeFileSync(file, '');
    expect(sameFileText(file, [])).toBe(true);
    expect(sameFileText(file, ['', ''])).toBe(true);
  });
});
