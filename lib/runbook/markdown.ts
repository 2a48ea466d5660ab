/**
 * The few GitHub-flavoured Markdown shapes the runbook uses: inline code, tables and fenced
 * blocks. Every section builds its text with these, so escaping happens in one place.
 */

/** `name` as inline code; a backtick inside widens the fence, as CommonMark allows. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** A table cell: pipes escaped, line breaks flattened, empty shown as a dash. */
function cell(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replaceAll('|', '\\|').trim();
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
