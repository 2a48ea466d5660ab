/** Text in parts: written as the bytes of the joined text, without joining it, each part encoded once. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesOf, hashContent, knownSame, textOf, TextParts } from '../../lib/render/content';

const parts = ['# Runbook: home', '\n\n', '## DR state — standby', '\n\n', 'é ✓ 𝄞', '\n'];

describe('TextParts', () => {
  it('gives the UTF-8 bytes and the text of its parts joined, characters beyond ASCII included', () => {
    const content = new TextParts(parts);
    expect(textOf(content)).toBe('# Runbook: home\n\n## DR state — standby\n\né ✓ 𝄞\n');
    expect(bytesOf(content).equals(Buffer.from(parts.join(''), 'utf8'))).toBe(true);
    expect(bytesOf(new TextParts([])).length).toBe(0);
    expect(bytesOf('plain — text').equals(Buffer.from('plain — text', 'utf8'))).toBe(true);
  });

  it('takes the bytes the file\'s last content encoded for a part it shares, and encodes the new parts', () => {
    const earlier = new TextParts(parts);
    earlier.chunks();
    const next = new TextParts([parts[0] as string, '\n\n', parts[2] as string, '\n\n', 'new block', '\n']);
    expect(Buffer.concat(next.chunks(earlier)).equals(Buffer.from(next.text(), 'utf8'))).toBe(true);
    // White-box: a mark put in the buffer earlier made for a shared part shows in the bytes of a
    // text that takes it, and not in those of a text that has nothing to take it from.
    ((earlier as unknown as { encoded: Buffer[] }).encoded[2] as Buffer)[0] = 'X'.charCodeAt(0);
    expect(Buffer.concat(new TextParts(next.parts).chunks(earlier)).toString('utf8')).toContain('\n\nX# DR state');
    expect(Buffer.concat(new TextParts(next.parts).chunks(new TextParts(['unrelated']))).toString('utf8')).toContain('\n\n## DR state');
  });

  it('hashes as its joined text does', () => {
    const content = new TextParts(parts);
    expect(hashContent(createHash('sha256'), content).digest('hex')).toBe(createHash('sha256').update(parts.join('')).digest('hex'));
  });
});

describe('knownSame', () => {
  it('knows equal strings and equal parts the same, and does not claim the same text in other parts', () => {
    expect(knownSame('a', 'a')).toBe(true);
    expect(knownSame('a', 'b')).toBe(false);
    expect(knownSame(new TextParts(['a', 'b']), new TextParts(['a', 'b']))).toBe(true);
    expect(knownSame(new TextParts(['a', 'b']), new TextParts(['a', 'c']))).toBe(false);
    expect(knownSame(new TextParts(['ab']), new TextParts(['a', 'b']))).toBe(false);
    expect(knownSame(new TextParts(['ab']), 'ab')).toBe(false);
  });
});
