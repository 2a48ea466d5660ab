/**
 * `twinops diff --format markdown`: a pull-request comment. The first line is the marker the CI
 * workflow finds its comment by; the summary comes first, then one collapsible `<details>`
 * section per unit. GitHub refuses comments over 65,536 characters: whole unit sections are left
 * out from the first one that does not fit, and a note says how many and how to see them.
 */
import type { DiffReport, UnitEntry } from './report';
import { hasDifferences } from './report';
import { baseName, fieldLine, objectLine, summaryLine, summarySections, unitHead } from './wording';

/** The first line of every comment: how the CI workflow finds the comment to update. */
export const COMMENT_MARKER = '<!-- twinops-diff -->';

/** GitHub's limit on the body of an issue or pull-request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `text` as inline code, with a delimiter longer than any backtick run inside it. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A fenced block whose fence no line of `text` can close. */
function block(language: string, text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.trimEnd()}\n${fence}`;
}

function summary(report: DiffReport): string[] {
  const lines: string[] = [];
  for (const section of summarySections(report)) {
    lines.push(`### ${section.title}`, '');
    if (section.items.length === 0) lines.push('None.');
    for (const item of section.items) {
      lines.push(`- ${item.warning ? '⚠️ ' : ''}${code(item.head)}`);
      for (const detail of item.details) lines.push(`  - ${code(detail)}`);
    }
    lines.push('');
  }
  return lines;
}

/** One unit as a collapsible section: field changes in a `diff` block, unified diffs after it. */
function unitSection(unit: UnitEntry): string {
  const changes = unit.objects.flatMap((entry) => [objectLine(entry), ...entry.fields.map((field) => `    ${fieldLine(field)}`)]);
  const unified = unit.objects.flatMap((entry) => (entry.unified === undefined ? [] : [block('diff', entry.unified)]));
  return ['<details>', `<summary>${escapeHtml(unitHead(unit))}</summary>`, '', block('diff', changes.join('\n')), ...unified.map((text) => `\n${text}`), '', '</details>', ''].join('\n');
}

/** The note that ends a comment with units left out. */
function leftOutNote(count: number, report: DiffReport): string {
  return `_${count} unit(s) left out to stay within GitHub's comment limit: run ${code(`npm run twinops -- diff --base ${report.base.ref}`)} locally to see them._\n`;
}

export function formatMarkdown(report: DiffReport, limit: number = GITHUB_COMMENT_LIMIT): string {
  const head = [COMMENT_MARKER, `## twinops diff: ${code(`dist/`)} at ${code(baseName(report))} → this change`, ''];
  for (const note of report.notes) head.push(`> ${escapeHtml(note)}`, '');
  if (!hasDifferences(report)) return `${[...head, 'No difference in the rendered tree.'].join('\n')}\n`;
  head.push(`**${summaryLine(report)}**`, '', ...summary(report), '### Units', '');
  const documents = report.documents.map((document) => `- ${document.change}: ${code(document.path)}`);
  const tail = documents.length > 0 ? `\n### Documents\n\n${documents.join('\n')}\n` : '';
  let body = `${head.join('\n')}\n`;
  const sections = report.units.map(unitSection);
  // Room for the worst-case note, so that it always fits after the sections kept.
  const reserve = leftOutNote(sections.length, report).length + tail.length + 1;
  let kept = 0;
  for (const section of sections) {
    if (body.length + section.length + reserve > limit) break;
    body += section;
    kept++;
  }
  const left = sections.length - kept;
  // A summary too long on its own is cut at a line, never inside one.
  if (body.length + reserve > limit) body = `${body.slice(0, body.lastIndexOf('\n', limit - reserve - 3))}\n…\n`;
  return `${body}${tail}${left > 0 ? `\n${leftOutNote(left, report)}` : ''}`;
}
