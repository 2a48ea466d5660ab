/**
 * What every semantic check shares: the defaulted environment, the app catalog and a way to
 * report a problem at the node it concerns.
 */
import type { AppCatalog } from './catalog';
import type { Environment } from './environment';
import { expectedGiven, formatPath, type ConfigPath, type ConfigProblem } from './errors';
import type { Locator, Position } from './source';

/** What a check found, before it is placed in the file. */
export interface Finding {
  readonly expected: string;
  readonly given: string;
  readonly message: string;
}

/** Where to point when it is not the value at the problem's path. */
export interface Placement {
  /** Another node to point at, e.g. the app when its missing `host` is the problem. */
  readonly at?: ConfigPath;
  /** Point at the key naming the node rather than its value. */
  readonly target?: 'key' | 'value';
}

export interface CheckContext {
  readonly env: Environment;
  readonly catalog: AppCatalog;
  /** Where a node is, to say where the first of two duplicates is or to order findings. */
  position(path: ConfigPath): Position;
  report(path: ConfigPath, finding: Finding, placement?: Placement): void;
}

export function checkContext(env: Environment, catalog: AppCatalog, locate: Locator): { context: CheckContext; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const context: CheckContext = {
    env,
    catalog,
    position: (path) => locate(path),
    report: (path, finding, placement = {}) => {
      const at = locate(placement.at ?? path, placement.target);
      problems.push({ file: env.file, ...at, path: formatPath(path), ...finding });
    },
  };
  return { context, problems };
}

/** Indices of names seen before, each with the index of its first occurrence. */
export function repeats(names: readonly string[]): Array<{ readonly index: number; readonly first: number }> {
  const first = new Map<string, number>();
  const out: Array<{ index: number; first: number }> = [];
  names.forEach((name, index) => {
    const seen = first.get(name);
    if (seen === undefined) first.set(name, index);
    else out.push({ index, first: seen });
  });
  return out;
}

/** The usual finding: `expected X; given Y`, optionally led by what is wrong. */
export function finding(expected: string, given: string, lead?: string): Finding {
  return { expected, given, message: expectedGiven(expected, given, lead) };
}

/** A quoted value as shown to the user: `"blog.example.org"`. */
export const quote = (value: string): string => JSON.stringify(value);
