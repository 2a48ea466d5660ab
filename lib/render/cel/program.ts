/**
 * CEL programs of CRD rules, compiled once per expression with @marcbachmann/cel-js: `self` is
 * the schema node (dynamically typed, as the rule sees plain JSON here), and a rule is evaluable
 * when it parses, type-checks and calls only functions the library has.
 */
import { Environment, type ASTNode, type ParseResult } from '@marcbachmann/cel-js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TRANSITION_REASON } from './rules-file';

/** `<npm package>@<version>` of the CEL implementation, recorded in the generated rules file. */
export const CEL_IMPLEMENTATION = implementation();

/**
 * Kubernetes declares list and map literals of mixed types (`[has(a), 1]`) valid; the library
 * rejects them by default.
 */
const environment = new Environment({ homogeneousAggregateLiterals: false }).registerVariable('self', 'dyn');

/** The functions and macros the environment knows (`size`, `matches`, `exists_one`, ...). */
const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set(environment.getDefinitions().functions.map(f => f.name));

const programs = new Map<string, ParseResult>();

/** The compiled program of `expression`, parsed on first use and then cached. */
export function program(expression: string): ParseResult {
  let compiled = programs.get(expression);
  if (compiled === undefined) {
    compiled = environment.parse(expression);
    programs.set(expression, compiled);
  }
  return compiled;
}

/** Why `rule` cannot be evaluated at render time; undefined when it can. */
export function notEvaluableReason(rule: string): string | undefined {
  if (usesOldSelf(rule)) return TRANSITION_REASON;
  let compiled: ParseResult;
  try {
    compiled = program(rule);
  } catch (cause) {
    return `does not parse: ${firstLine(cause)}`;
  }
  const unknown = [...calledFunctions(compiled.ast)].filter(name => !KNOWN_FUNCTIONS.has(name)).sort();
  if (unknown.length > 0) return `calls ${unknown.join(', ')}, not in ${CEL_IMPLEMENTATION}`;
  const checked = compiled.check();
  return checked.valid ? undefined : `does not type-check: ${firstLine(checked.error)}`;
}

/** Every function, method and macro name the rule calls. */
export function calledFunctions(ast: ASTNode): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const { op, args } = node as { op?: unknown; args?: unknown };
    if ((op === 'call' || op === 'rcall') && Array.isArray(args) && typeof args[0] === 'string') names.add(args[0]);
    visit(args);
  };
  visit(ast);
  return names;
}

/** `oldSelf` as an identifier, not inside a string literal such as a message. */
export function usesOldSelf(rule: string): boolean {
  const withoutStrings = rule.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
  return /\boldSelf\b/.test(withoutStrings);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** The package does not export its package.json; it sits next to its entry point's folder. */
function implementation(): string {
  const entry = createRequire(import.meta.url).resolve('@marcbachmann/cel-js');
  const { name, version } = JSON.parse(readFileSync(new URL('../package.json', `file://${entry}`), 'utf8')) as { name: string; version: string };
  return `${name}@${version}`;
}
