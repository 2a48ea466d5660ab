/** Text in parts: written as the bytes of the joined text, without joining it, a run at a time. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesOf, eachByteRun, hashContent, knownSame, MadeText, RUN_BYTES, SharedTexts, textOf, TextParts } from '../../lib/render/content';

const parts = ['# Runbook: home', '\n\n', '## DR state — standby', '\n\n', 'é ✓ 𝄞', '\n'];

describe('TextParts', () => {
  it('gives the UTF-8 bytes and the text of its parts joined, characters beyond ASCII included', () => {
    const content = new TextParts(parts);
    expect(textOf(content)).toBe('# Runbook: home\n\n## DR state — standby\n\né ✓ 𝄞\n');
    expect(bytesOf(content).equals(Buffer.from(parts.join(''), 'utf8'))).toBe(true);
    expect(bytesOf(new TextParts([])).length).toBe(0);
    expect(bytesOf('plain — text').equals(Buffer.from('plain — text', 'utf8'))).toBe(true);
  });

  it('hands its bytes on in runs of at most RUN_BYTES, a character never cut, a part larger than a run as a run of its own', () => {
    // 300,000 parts of 7 bytes (3 of them one "—") and 6 bytes, by turns: 1,950,000 bytes; then a 1.5 MB part.
    const many = Array.from({ length: 300_000 }, (_, i) => (i % 2 === 0 ? 'ab—c\n' : 'abcde\n'));
    const large = 'x'.repeat(1_500_000);
    const content = new TextParts([...many, large, 'é\n']);
    const runs: Buffer[] = [];
    // Each run is copied: its buffer is the next run's.
    eachByteRun(content, (bytes) => runs.push(Buffer.from(bytes)));
    expect(Buffer.concat(runs).equals(Buffer.from(content.text(), 'utf8'))).toBe(true);
    // 80,659 pairs of parts (1,048,567 bytes) and one more 7-byte part fill the first run; the
    // next 6 bytes would pass 1,048,576. The large part goes alone, the last one after it.
    expect(runs.map((run) => run.length)).toEqual([1_048_574, 901_426, 1_500_000, 3]);
    for (const run of runs.slice(0, 2)) expect(run.toString('utf8')).not.toContain('\ufffd');
    expect(RUN_BYTES).toBe(1_048_576);
  });

  it('hands a string or made text on as one run', () => {
    const runs: string[] = [];
    eachByteRun('plain — text', (bytes) => runs.push(Buffer.from(bytes).toString('utf8')));
    expect(runs).toEqual(['plain — text']);
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

describe('SharedTexts', () => {
  /** Made text that counts how often it is made. */
  class Counted extends MadeText {
    public static made = 0;
    public constructor(private readonly of: { readonly name: string } | undefined) {
      super();
    }
    public make(): string {
      Counted.made += 1;
      return `name: ${this.of?.name ?? 'none'}\n`;
    }
    public sameSource(other: MadeText): boolean {
      return other instanceof Counted && other.of === this.of;
    }
    public override get source(): object | undefined {
      return this.of;
    }
  }

  it('makes the text of files that share a source once, and leaves other contents as they are', () => {
    Counted.made = 0;
    const shared = { name: 'keycloak' };
    const files = [new Counted(shared), 'plain', new Counted({ name: 'redis' }), new Counted(shared), new Counted(undefined), new Counted(shared)];
    const texts = new SharedTexts(files);
    const taken = files.map((content) => texts.take(content));
    expect(taken.map(textOf)).toEqual(['name: keycloak\n', 'plain', 'name: redis\n', 'name: keycloak\n', 'name: none\n', 'name: keycloak\n']);
    // keycloak's once (when taken), redis's and the sourceless one only when the writer makes them.
    expect(Counted.made).toBe(3);
    expect(taken[2]).toBe(files[2]);
    expect(taken[4]).toBe(files[4]);
  });

  it('lets a text go with the last file that shares it: one more take makes it again', () => {
    Counted.made = 0;
    const shared = { name: 'keycloak' };
    const files = [new Counted(shared), new Counted(shared)];
    const texts = new SharedTexts(files);
    texts.take(files[0] as Counted);
    texts.take(files[1] as Counted);
    expect(Counted.made).toBe(1);
    expect(texts.take(files[0] as Counted)).toBe(files[0]);
  });
});
