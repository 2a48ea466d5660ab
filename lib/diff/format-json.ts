/**
 * `twinops diff --format json`: the report for tools. Keys sorted at every level (stable across
 * runs and versions that add keys), field values as JSON values, absent ones left out.
 */
import { sortedKeys } from '../json';
import { hasDifferences, isDocumented, type DiffReport } from './report';

export function formatJson(report: DiffReport): string {
  const document = {
    base: report.base,
    differences: hasDifferences(report),
    transitions: report.transitions.map((transition) => ({ ...transition, documented: isDocumented(transition) })),
    risky: report.risky,
    protectionRemoved: report.protectionRemoved,
    moves: report.moves,
    units: report.units,
    documents: report.documents,
    notes: report.notes,
  };
  return `${JSON.stringify(sortedKeys(document), null, 2)}\n`;
}
