import { describe, expect, it } from 'vitest';
import { BlockCache } from '../lib/cache/blocks';
import { Verifier } from '../lib/cache/reads';
import { compact, flat } from '../lib/flat';
import { toYamlDocument } from '../lib/render/yaml';
import { retainedBytes } from './support/heap';

const COUNT = 3000;
/** A text of 40 short lines joined with `+`: a rope of 120 pieces. */
function rope(seed: number): string {
  let text = '';
  for (let line = 0; line < 40; line += 1) text += 'key' + line + ': value-' + seed + '\n';
  return text;
}
const ropeChars = Array.from({ length: COUNT }, (_, seed) => rope(seed).length).reduce((a, b) => a + b, 0);

describe('flat', () => {
  it('returns its argument unchanged', () => {
    const text = rope(7);
    expect(flat(text)).toBe(text);
    expect(flat('')).toBe('');
  });

  it('keeps a joined text in about its length of heap, where the rope holds several times more', () => {
    const asRopes = retainedBytes(() => Array.from({ length: COUNT }, (_, seed) => rope(seed)));
    const flattened = retainedBytes(() => Array.from({ length: COUNT }, (_, seed) => flat(rope(seed))));
    expect(asRopes).toBeGreaterThan(4 * ropeChars);
    expect(flattened).toBeLessThan(1.5 * ropeChars);
  });
});

describe('compact', () => {
  /** A line of plain letters, cut from a text with a dash: V8 keeps it two bytes a character. */
  const cutFromWide = (seed: number): string => `— ${seed}\n${'line of plain text '.repeat(10)}${seed}`.split('\n')[1] as string;
  /**
   * Enough lines (8 MB of them two bytes a character) that what else the test process allocates
   * meanwhile is lost in the measure: with 3,000 (1 MB) it once failed CI by a few hundred KB.
   */
  const LINES = 20_000;
  const chars = Array.from({ length: LINES }, (_, seed) => cutFromWide(seed).length).reduce((a, b) => a + b, 0);

  it('gives the same text', () => {
    expect(compact(cutFromWide(3))).toBe(cutFromWide(3));
    expect(compact('wide — text')).toBe('wide — text');
    expect(compact('')).toBe('');
  });

  it('keeps text whose characters fit in one byte in one byte a character, whatever it was cut from', () => {
    const asCut = retainedBytes(() => Array.from({ length: LINES }, (_, seed) => flat(cutFromWide(seed))));
    const compacted = retainedBytes(() => Array.from({ length: LINES }, (_, seed) => compact(cutFromWide(seed))));
    expect(asCut).toBeGreaterThan(1.7 * chars);
    // One byte a character and a header (1.2-1.6 times the characters, measured), not two.
    expect(compacted).toBeLessThan(0.75 * asCut);
  });
});

describe('text the render keeps is flat', () => {
  it('toYamlDocument gives flat text', () => {
    const documents = Array.from({ length: COUNT }, (_, seed) => ({ metadata: { name: `app-${seed}`, labels: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, `value-${seed}`])) } }));
    const chars = documents.map((document) => toYamlDocument(document).length).reduce((a, b) => a + b, 0);
    expect(retainedBytes(() => documents.map((document) => toYamlDocument(document)))).toBeLessThan(1.5 * chars);
  });

  it('a kept runbook block holds flat strings, one byte a character where they can be', () => {
    const kept = (value: (seed: number) => string): number => {
      const blocks = new BlockCache(new Map(), new Verifier({}), () => undefined);
      return retainedBytes(() => [blocks, Array.from({ length: COUNT }, (_, seed) => blocks.block(`b${seed}`, () => [value(seed)]))]);
    };
    // What a block holds besides its text (its reads, its entry): measured with a one-character text.
    const bookkeeping = kept(() => 'x');
    expect(kept(rope) - bookkeeping).toBeLessThan(1.5 * ropeChars);
    const cutFromWide = (seed: number): string => `— ${seed}\n${rope(seed)}`.split('\n').slice(1).join('\n');
    expect(kept(cutFromWide) - bookkeeping).toBeLessThan(1.5 * ropeChars);
  });
});
