/** `twinops diff --format text`: the report for a terminal, summary first, then unit by unit. */
import type { DiffReport } from './report';
import { hasDifferences } from './report';
import { baseName, fieldLine, objectLine, summaryLine, summarySections, unitHead } from './wording';

const indent = (text: string, by: string) => text.split('\n').map((line) => (line === '' ? line : `${by}${line}`)).join('\n');

export function formatText(report: DiffReport): string {
  const lines: string[] = [`twinops diff: dist/ at ${baseName(report)} → the working tree`];
  for (const note of report.notes) lines.push(`note: ${note}`);
  if (!hasDifferences(report)) return `${[...lines, 'diff: no difference'].join('\n')}\n`;
  for (const section of summarySections(report)) {
    lines.push('', `${section.title}:`);
    if (section.items.length === 0) lines.push('  (none)');
    for (const item of section.items) {
      lines.push(`  ${item.warning ? '! ' : ''}${item.head}`);
      for (const detail of item.details) lines.push(`      ${detail}`);
    }
  }
  for (const unit of report.units) {
    lines.push('', unitHead(unit));
    for (const entry of unit.objects) {
      lines.push(`  ${objectLine(entry)}`);
      for (const field of entry.fields) lines.push(`      ${fieldLine(field)}`);
      if (entry.unified !== undefined) lines.push(indent(entry.unified.trimEnd(), '      '));
    }
  }
  if (report.documents.length > 0) {
    const sign = { added: '+', removed: '-', changed: '~' } as const;
    lines.push('', 'Documents:', ...report.documents.map((document) => `  ${sign[document.change]} ${document.path}`));
  }
  lines.push('', summaryLine(report));
  return `${lines.join('\n')}\n`;
}
