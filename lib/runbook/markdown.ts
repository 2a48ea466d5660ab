/**
 * The few GitHub-flavoured Markdown shapes the runbook uses: plain text, inline code, tables and
 * fenced blocks. Every section builds its text with these, so escaping happens in one place:
 * a value from the environment or the render reaches the Markdown through `text` or `code`.
 */

/** Line breaks become one space: a value never starts a block (a heading, a list, raw HTML). */
function flatten(value: string): string {
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
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
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
  return ['```' + language, ...lines, '```'].join('\n');
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
      const indented = rest.map((block) =>
        block
          .split('\n')
          .map((line) => (line === '' ? line : indent + line))
          .join('\n'),
      );
      return [marker + first, ...indented].join('\n\n');
    })
    .join('\n\n');
}

/** Sections and paragraphs joined by one blank line; empty parts are dropped. */
export function blocks(parts: readonly (string | undefined)[]): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join('\n\n');
}
