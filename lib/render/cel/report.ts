/**
 * The README's account of the CEL rules, made from `imports/cel/rules.json` so its numbers are
 * never typed by hand: how many rules, evaluated or not and why, which CEL functions they call,
 * and the list of the rules that are not evaluated.
 */
import { compareCodePoints } from '../../imports/stable-json';
import { calledFunctions, program } from './program';
import type { CelRulesFile } from './rules-file';

/** Function/macro name → how many rules call it, for the rules that parse. */
export function functionUse(file: CelRulesFile): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { rule } of Object.values(file.kinds).flatMap(kind => kind.rules)) {
    let names: Set<string>;
    try {
      names = calledFunctions(program(rule).ast);
    } catch {
      continue; // counted in the summary as not parsing
    }
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a, x], [b, y]) => y - x || compareCodePoints(a, b)));
}

/** Markdown: the counts, the reasons, the functions used, and every rule not evaluated. */
export function celReport(file: CelRulesFile): string {
  const { summary } = file;
  const kinds = Object.keys(file.kinds).length;
  const lines = [
    `The imported CRDs carry ${summary.rules} CEL rules in ${kinds} kind versions; ${summary.evaluated} are evaluated at synth (${file.implementation}), ${summary.notEvaluated} are not.`,
    '',
    '| not evaluated because | rules |',
    '| --- | --- |',
    ...Object.entries(summary.reasons).sort(([a], [b]) => compareCodePoints(a, b)).map(([reason, count]) => `| ${reason} | ${count} |`),
    '',
    `Functions and macros the rules call (rules calling each): ${[...functionUse(file)].map(([name, count]) => `\`${name}\` ${count}`).join(', ')}.`,
    '',
    '| kind | path | rule not evaluated |',
    '| --- | --- | --- |',
  ];
  for (const [kind, { rules }] of Object.entries(file.kinds)) {
    for (const rule of rules) {
      if (rule.notEvaluated !== undefined) lines.push(`| ${kind} | \`${rule.path || '(root)'}\` | \`${rule.rule.replaceAll('|', '\\|')}\` |`);
    }
  }
  return lines.join('\n') + '\n';
}
