/**
 * The bench at twice the fleet, for goals 4 and 5 of issue 11: a process of its own (the
 * launcher, `twinops bench --json`), so that its peak memory is its own and its code as cold as
 * a user's run, and its figures come back as JSON (./figures.ts).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseFigures, type BenchFigures } from './figures';

export interface TwiceOptions {
  readonly objects: number;
  /** Absolute: the child runs in the project root. */
  readonly dir: string;
  readonly changes: number;
}

/** The arguments of the child: the twinops part only (no baselines, no goals of its own), as JSON. */
export function twiceArguments(options: TwiceOptions): string[] {
  return ['bench', '--objects', String(options.objects), '--dir', options.dir, '--changes', String(options.changes), '--no-baselines', '--no-goals', '--json'];
}

/** Runs the bench at `options.objects` through the launcher of `projectRoot`, and gives its figures. */
export function benchTwice(projectRoot: string, options: TwiceOptions): BenchFigures {
  const launcher = join(projectRoot, 'bin', 'twinops.mjs');
  const what = `twinops bench --objects ${options.objects}`;
  // The JSON is a few kilobytes; the default buffer (1 MB) holds it.
  const child = spawnSync(process.execPath, [launcher, ...twiceArguments(options)], { cwd: projectRoot, encoding: 'utf8', env: process.env });
  if (child.error !== undefined) throw new Error(`cannot run ${what}: ${child.error.message}`, { cause: child.error });
  if (child.status !== 0) throw new Error(`${what} failed (exit ${child.status ?? child.signal}):\n${child.stderr.trimEnd()}`);
  return parseFigures(child.stdout, what);
}
