/**
 * The few GitHub-flavoured Markdown shapes the runbook uses: plain text, inline code, tables and
 * fenced blocks. Every section builds its text with these, so escaping happens in one place:
 * a value from the environment or the render reaches the Markdown through `text` or `code`.
 */

/** Any line break `flatten` replaces. */
const LINE_BREAK = /[\r\n\u2028\u2029]/;

/**
 * Line breaks become one space: a value never starts a block (a heading, a list, raw HTML).
 * Most values hold none: the test first spares them the replace, whose leading `[ \t]*` retries
 * at every character (measured: a third of the helpers' time on the bench fleet's runbook).
 */
function flatten(value: string): string {
  if (!LINE_BREAK.test(value)) return value;
  return value.replace(/[ \t]*(?:(?:\r\n|[\r\n\u2028\u2029])[ \t]*)+/g, ' ');
}

/**
 * Free text shown as it is: Markdown punctuation backslash-escaped (CommonMark lets any ASCII
 * punctuation be escaped), so `# x`, `<script>`, `[x](javascript:…)` or `*x*` stay plain text;
 * line breaks flattened; a leading list or heading marker neutralised.
 */
export function text(value: string): string {
  const escaped = flatten(value).replace(/[\\`*_[\]<>#|!{}()~&$]/g, '\\$&');
  // `- `, `+ `, `1. ` or `1) ` first in a block would start a list (`*` and `#` are escaped above).
  return escaped.replace(/^([-+])(?=\s|$)/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/**
 * `value` as inline code (CommonMark code span): a fence one backtick longer than the longest
 * run inside, padded with a space when the value starts or ends with a backtick or a space (the
 * parser strips one from each side); line breaks flattened, since a code span cannot hold one.
 */
export function code(value: string): string {
  const flat = flatten(value);
  // Nearly every value holds no backtick: one fence, no run to measure.
  const longest = flat.includes('`') ? Math.max(...(flat.match(/`+/g) ?? []).map((run) => run.length)) : 0;
  const fence = longest === 0 ? '`' : '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(flat) && flat.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A table cell: pipes escaped (unless `text` did already), line breaks flattened, empty shown as a dash. */
function cell(markdown: string): string {
  const flat = flatten(markdown).replace(/(?<!\\)\|/g, '\\|').trim();
  return flat === '' ? '—' : flat;
}

/** A table with a header row; every row has as many cells as the header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A fenced block, e.g. `sh` commands or a `mermaid` diagram. */
export function fenced(language: string, lines: readonly string[]): string {
  return lines.length === 0 ? `\`\`\`${language}\n\`\`\`` : `\`\`\`${language}\n${lines.join('\n')}\n\`\`\``;
}

/** A bulleted list. */
export function bullets(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Where a non-empty line starts: after the start of the text or a line break, before a character that is not one. */
const NON_EMPTY_LINE = /(^|\n)(?=[^\n])/g;

/**
 * Blocks joined by blank lines: a numbered step is its first block, and the blocks after it
 * are indented under it so GitHub keeps them inside the list item.
 */
export function steps(items: readonly (readonly string[])[]): string {
  return items
    .map((blocks, index) => {
      const [first = '', ...rest] = blocks;
      const marker = `${index + 1}. `;
      const indent = ' '.repeat(marker.length);
      // Every non-empty line of the block indented (one replace, not a split, map and join per block).
      const indented = rest.map((block) => block.replace(NON_EMPTY_LINE, `$1${indent}`));
      return [marker + first, ...indented].join('\n\n');
    })
    .join('\n\n');
}

/**
 * Parts of the document `blocks` would join, kept apart: a section hands its cluster blocks up
 * as they are, and the runbook joins every part once. A nested join copies all the text below
 * it again; at the bench fleet's 11 MB that copy (fresh memory each time) was most of the phase.
 */
export type Blocks = readonly (string | undefined)[];

/** Sections and paragraphs joined by one blank line; empty parts are dropped. */
export function blocks(parts: readonly (string | undefined)[]): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join('\n\n');
}
