import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { code, table, text } from '../../lib/runbook/markdown';

/** HTML as GitHub-flavoured Markdown renders it. */
const html = (markdown: string) => marked.parse(markdown, { gfm: true, async: false });

const HOSTILE = '# Heading\n<script>alert(1)</script> [x](javascript:alert(1))';

describe('text', () => {
  it('renders hostile Markdown as plain text in one paragraph: no heading, no raw HTML, no link', () => {
    expect(text(HOSTILE)).toBe('\\# Heading \\<script\\>alert\\(1\\)\\</script\\> \\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(html(text(HOSTILE))).toBe('<p># Heading &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))</p>\n');
  });

  it('escapes emphasis, code, tables, images, math and entities', () => {
    const value = '*a* _b_ `c` | ![i](x) {d} ~e~ &amp; $f$ \\g';
    expect(text(value)).toBe('\\*a\\* \\_b\\_ \\`c\\` \\| \\!\\[i\\]\\(x\\) \\{d\\} \\~e\\~ \\&amp; \\$f\\$ \\\\g');
    expect(html(text(value))).toBe('<p>*a* _b_ `c` | ![i](x) {d} ~e~ &amp;amp; $f$ \\g</p>\n');
  });

  it('neutralises a list marker at the start, leaving ordinary text as it is', () => {
    expect(text('- item')).toBe('\\- item');
    expect(text('1. item')).toBe('1\\. item');
    expect(html(text('1) item'))).toBe('<p>1) item</p>\n');
    expect(text('Home lab with a warm-standby DR node in the same cluster.')).toBe('Home lab with a warm-standby DR node in the same cluster.');
    expect(text('192.0.2.10, 2001:db8::1')).toBe('192.0.2.10, 2001:db8::1');
  });

  it('flattens line breaks, so a value never opens a block', () => {
    expect(text('one\n\n- two\r\n=== ')).toBe('one - two === ');
  });
});

describe('code', () => {
  it('is a plain span for ordinary values', () => {
    expect(code('wordpress-db')).toBe('`wordpress-db`');
  });

  it('uses a longer fence than any backtick run inside, padded when a backtick is at an end', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('a``b`')).toBe('``` a``b` ```');
    for (const value of ['a`b', '`x`', 'a``b`', ' spaced ']) {
      expect(html(code(value)), value).toBe(`<p><code>${value}</code></p>\n`);
    }
  });

  it('flattens line breaks: a span cannot hold one, and the next line could start a heading', () => {
    expect(code('a\n# b')).toBe('`a # b`');
    expect(html(`x ${code('a\n# b')}`)).toBe('<p>x <code>a # b</code></p>\n');
  });
});

describe('table', () => {
  it('escapes pipes once: those text escaped already stay as they are', () => {
    const markdown = table(['A', 'B'], [[text('x|y'), code('p|q')]]);
    expect(markdown).toBe('| A | B |\n| --- | --- |\n| x\\|y | `p\\|q` |');
    expect(html(markdown)).toContain('<td>x|y</td>\n<td><code>p|q</code></td>');
  });
});
