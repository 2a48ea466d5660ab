/**
 * What a rendered file holds: text, or text in parts that is never joined on the way to the
 * disk. The runbook of the bench fleet is 11 MB in some 3,400 parts; V8 joins a string that size
 * at about 6 ns a character (60-100 ms, measured, whether or not it must widen it to two bytes a
 * character). Whatever needs the text itself (`twinops check`, the diff, tests) joins it once, on
 * demand.
 *
 * Text in parts is encoded on the way to the disk a run at a time, into one buffer reused by
 * every write (`eachByteRun`), and its bytes are never kept: kept, they were a second copy of the
 * runbook beside its parts (22 MB at 40,000 objects, issue 11's memory goal), and 11 MB of fresh
 * buffers cost 40-46 ms of page faults on these VMs. Encoding the bench fleet's runbook again on
 * each change costs 2-10 ms (measured: its parts are one byte a character but for a few).
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
  /**
   * What the text is made from alone, when that is one value that does not change while a write
   * runs (an object): made texts of the same source are the same text. Default: none.
   */
  public get source(): object | undefined {
    return undefined;
  }
}

/**
 * The texts of the files a write stages, made once for all the files whose made text has the same
 * source (`MadeText.source`). The render holds equal objects once (./shared-subtrees.ts), and
 * 12,880 of the 20k bench fleet's 19,980 objects are one another unit holds (the same Deployment
 * or Namespace on every cluster), as are most units' file lists. A text is kept only while files
 * still to be staged share it, and let go with the last of them: the objects most clusters share
 * are few, so what is kept at once stays small.
 */
export class SharedTexts {
  /** How many of the files still to be staged are made from each source that more than one is. */
  private readonly left = new Map<object, number>();
  private readonly made = new Map<object, string>();

  public constructor(contents: Iterable<Content>) {
    const seen = new Set<object>();
    for (const content of contents) {
      const source = content instanceof MadeText ? content.source : undefined;
      if (source === undefined) continue;
      if (!seen.has(source)) seen.add(source);
      else this.left.set(source, (this.left.get(source) ?? 1) + 1);
    }
  }

  /** `content`, or for made text whose source other files share, that text, made once. Each staged file asks once. */
  public take(content: Content): Content {
    const source = content instanceof MadeText ? content.source : undefined;
    const left = source === undefined ? undefined : this.left.get(source);
    if (source === undefined || left === undefined) return content;
    const text = this.made.get(source) ?? (content as MadeText).make();
    if (left > 1) {
      this.left.set(source, left - 1);
      this.made.set(source, text);
    } else {
      this.left.delete(source);
      this.made.delete(source);
    }
    return text;
  }
}

export class TextParts {
  private joined: string | undefined;

  public constructor(public readonly parts: readonly string[]) {}

  /** The text, joined on first use. */
  public text(): string {
    this.joined ??= this.parts.join('');
    return this.joined;
  }

  /** The UTF-8 bytes in one new buffer, encoded part by part (for a caller that wants them whole). */
  public bytes(): Buffer {
    let size = 0;
    for (const part of this.parts) size += Buffer.byteLength(part, 'utf8');
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for (const part of this.parts) at += bytes.write(part, at, 'utf8');
    return bytes;
  }
}

export type Content = string | TextParts | MadeText;

export function textOf(content: Content): string {
  if (typeof content === 'string') return content;
  return content instanceof TextParts ? content.text() : content.make();
}

/** The UTF-8 bytes of `content`, whole. */
export function bytesOf(content: Content): Buffer {
  return content instanceof TextParts ? content.bytes() : Buffer.from(textOf(content), 'utf8');
}

/**
 * How many bytes of text in parts are encoded before they are handed on: large enough that a
 * write takes a run in one call (the bench fleet's runbook: 11 runs), small enough that it never
 * matters as memory.
 */
export const RUN_BYTES = 1 << 20;

/** The buffer runs are encoded into, made once; `eachByteRun` is never reentered (it calls out only to write). */
let runBuffer: Buffer | undefined;

/**
 * Hands `each` the UTF-8 bytes of `content` in order, in one or more runs. A run of text in parts
 * lives in a buffer the next run reuses: `each` must be done with it when it returns (a write is).
 */
export function eachByteRun(content: Content, each: (bytes: Uint8Array) => void): void {
  if (!(content instanceof TextParts)) {
    each(Buffer.from(textOf(content), 'utf8'));
    return;
  }
  runBuffer ??= Buffer.allocUnsafe(RUN_BYTES);
  const run = runBuffer;
  let at = 0;
  for (const part of content.parts) {
    // At most 3 bytes per UTF-16 code unit: a part that surely fits is not measured first.
    const most = part.length * 3;
    if (at + most > RUN_BYTES && at + Buffer.byteLength(part, 'utf8') > RUN_BYTES) {
      if (at > 0) each(run.subarray(0, at));
      at = 0;
      // A part larger than a run is a run of its own.
      if (most > RUN_BYTES && Buffer.byteLength(part, 'utf8') > RUN_BYTES) {
        each(Buffer.from(part, 'utf8'));
        continue;
      }
    }
    at += run.write(part, at, 'utf8');
  }
  if (at > 0) each(run.subarray(0, at));
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
