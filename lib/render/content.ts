/**
 * What a rendered file holds: text, or text in parts that is never joined on the way to the
 * disk. The runbook of the bench fleet is 11 MB in some 3,400 parts; V8 joins a string that size
 * at about 6 ns a character (60-100 ms, measured, whether or not it must widen it to two bytes a
 * character), and encoding the joined text as UTF-8 took as long again. Encoded part by part
 * into one buffer, the same bytes take 3-7 ms. Whatever needs the text itself (`twinops check`,
 * the diff, tests) joins it once, on demand.
 *
 * Encoding itself is not free: V8 writes a two-byte string (any part with a dash) as UTF-8 at
 * 5-10 ns a character, 60-75 ms for the bench fleet's runbook on every change. A render reuses
 * most parts of the last one as they were, so the parts of the file's last text that were
 * encoded then are not encoded again (`chunks(earlier)`). Nor are the chunks copied into one
 * buffer on the way: 11 MB of fresh memory cost 40-46 ms of page faults on these VMs (measured),
 * so the writer compares and writes them as they are (./tree.ts `sameFile`, ./journal.ts).
 */
import type { Hash } from 'node:crypto';

export class TextParts {
  private joined: string | undefined;
  /** Each part's bytes, once `bytes` made them. */
  private encoded: readonly Buffer[] | undefined;

  public constructor(public readonly parts: readonly string[]) {}

  /** The text, joined on first use. */
  public text(): string {
    this.joined ??= this.parts.join('');
    return this.joined;
  }

  /**
   * The UTF-8 bytes, a buffer per part. Each part is encoded once (the writer asks twice: to
   * compare, then to write), and the parts `earlier` (the file's last content) encoded are taken
   * as they are.
   */
  public chunks(earlier?: Content): readonly Buffer[] {
    this.encoded ??= this.encode(earlier instanceof TextParts ? earlier : undefined);
    return this.encoded;
  }

  /** The UTF-8 bytes in one buffer. */
  public bytes(): Buffer {
    // Copied by hand: Buffer.concat of these 3,400 buffers took 25-30 ms in Node 20, this 1-2 ms (measured).
    const chunks = this.chunks();
    let size = 0;
    for (const chunk of chunks) size += chunk.length;
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  }

  private encode(earlier: TextParts | undefined): Buffer[] {
    const known = new Map<string, Buffer>();
    const before = earlier?.encoded;
    if (earlier !== undefined && before !== undefined) earlier.parts.forEach((part, i) => known.set(part, before[i] as Buffer));
    return this.parts.map((part) => known.get(part) ?? Buffer.from(part, 'utf8'));
  }
}

export type Content = string | TextParts;

export function textOf(content: Content): string {
  return typeof content === 'string' ? content : content.text();
}

export function bytesOf(content: Content): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content.bytes();
}

/** `content`'s UTF-8 bytes in chunks; `earlier`, the last content of the same file, may spare encoding its parts again. */
export function chunksOf(content: Content, earlier?: Content): readonly Buffer[] {
  return typeof content === 'string' ? [Buffer.from(content, 'utf8')] : content.chunks(earlier);
}

/**
 * Whether `a` and `b` are known to hold the same text without joining either: equal strings, or
 * parts equal one by one (a render reuses most parts of the last one as they were). False says
 * only "not known": the same text in other parts is compared by its bytes elsewhere.
 */
export function knownSame(a: Content, b: Content): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (a.parts.length !== b.parts.length) return false;
  for (let i = 0; i < a.parts.length; i += 1) if (a.parts[i] !== b.parts[i]) return false;
  return true;
}

/** Feeds the UTF-8 bytes of `content` to `hash`, part by part. */
export function hashContent(hash: Hash, content: Content): Hash {
  if (typeof content === 'string') return hash.update(content, 'utf8');
  for (const part of content.parts) hash.update(part, 'utf8');
  return hash;
}
