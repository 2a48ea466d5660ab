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
 *
 * Or text made anew each time it is asked from what the render keeps anyway (`MadeText`: a unit
 * file's YAML from its object), so that it is never kept beside its source.
 */
import type { Hash } from 'node:crypto';

/**
 * Text made from a source the render keeps anyway, each time it is asked, and never kept: the
 * YAML of the bench fleet's unit files took 20 MB of the render cache for 20,000 objects, beside
 * the objects it is made from, and a fresh render held all of it at once until the write
 * (measured). Making it again costs about 15 µs an object (./yaml.ts), asked only for the files
 * the writer must write or compare by their bytes.
 */
export abstract class MadeText {
  public abstract make(): string;
  /** Whether `other` is known to make the same text without making either: the same source. */
  public abstract sameSource(other: MadeText): boolean;
}

export class TextParts {
  private joined: string | undefined;
  /** Each part's bytes, once `bytes` made them. */
  private encoded: readonly Buffer[] | undefined;

  public constructor(public readonly parts: readonly string[]) {}

  /** The parts' bytes when they were encoded already (`chunks`), else undefined. */
  public encodedChunks(): readonly Buffer[] | undefined {
    return this.encoded;
  }

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

export type Content = string | TextParts | MadeText;

export function textOf(content: Content): string {
  if (typeof content === 'string') return content;
  return content instanceof TextParts ? content.text() : content.make();
}

export function bytesOf(content: Content): Buffer {
  return content instanceof TextParts ? content.bytes() : Buffer.from(textOf(content), 'utf8');
}

/** `content`'s UTF-8 bytes in chunks; `earlier`, the last content of the same file, may spare encoding its parts again. */
export function chunksOf(content: Content, earlier?: Content): readonly Buffer[] {
  return content instanceof TextParts ? content.chunks(earlier) : [Buffer.from(textOf(content), 'utf8')];
}

/**
 * Whether `a` and `b` are known to hold the same text without joining or making either: equal
 * strings, parts equal one by one (a render reuses most parts of the last one as they were), or
 * text made from the same source. False says only "not known": the same text otherwise is
 * compared by its bytes elsewhere.
 */
export function knownSame(a: Content, b: Content): boolean {
  if (a === b) return true;
  if (a instanceof MadeText) return b instanceof MadeText && a.sameSource(b);
  if (typeof a === 'string' || typeof b === 'string' || b instanceof MadeText) return false;
  if (a.parts.length !== b.parts.length) return false;
  for (let i = 0; i < a.parts.length; i += 1) if (a.parts[i] !== b.parts[i]) return false;
  return true;
}

/** Feeds the UTF-8 bytes of `content` to `hash`, part by part. */
export function hashContent(hash: Hash, content: Content): Hash {
  if (!(content instanceof TextParts)) return hash.update(textOf(content), 'utf8');
  for (const part of content.parts) hash.update(part, 'utf8');
  return hash;
}
