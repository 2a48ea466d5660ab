/**
 * Goal 1 of issue 11: `npm run synth` of the project's environments with nothing to change,
 * timed as a user runs it (npm, the launcher, the cached build, the render cache), each run a
 * process of its own. The runs render a copy of the environments into a scratch folder, never
 * into the project's dist/ (its render cache file goes with the scratch folder: the next save
 * of any render cache prunes the files of output folders that are gone, ../render/cache-prune.ts).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../errors';
import type { SynthTiming } from './goals';

/** Runs before the timed ones: the first renders everything (and type-checks changed sources), the second settles the stamps of its files. */
const WARM_UPS = 2;

/** `npm`, as the running npm when the bench itself runs under `npm run` (npm_execpath), else from PATH. */
function npmCommand(): { readonly file: string; readonly prefix: readonly string[] } {
  const cli = process.env.npm_execpath;
  return cli !== undefined && /npm-cli\.[cm]?js$/.test(cli) ? { file: process.execPath, prefix: [cli] } : { file: 'npm', prefix: [] };
}

/** The summary line of synth: `synth: 3 environment(s), ... ; 0 file(s) written, 0 removed in 0.21s`. */
const SUMMARY = /^synth: (\d[\d,]*) environment\(s\), [^;]*?(\d[\d,]*) object\(s\); (\d[\d,]*) file\(s\) written/m;

function summaryOf(run: SpawnSyncReturns<string>, what: string): { readonly rendered: string; readonly written: number } {
  const match = SUMMARY.exec(run.stdout);
  if (match === null) throw new UserError(`${what} printed no summary line:\n${run.stdout}${run.stderr}`);
  const number = (text: string | undefined) => Number((text ?? '0').replaceAll(',', ''));
  return { rendered: `${match[1]} environment(s), ${match[2]} object(s)`, written: number(match[3]) };
}

/**
 * Times `runs` runs of `npm run synth` (after the warm-ups) in `projectRoot`, rendering a copy of
 * `environments` (the folder; `shown` is how the user named it) into `scratch`.
 */
export function timeSynth(projectRoot: string, environments: string, shown: string, scratch: string, runs: number): SynthTiming {
  const copy = join(scratch, basename(environments));
  cpSync(environments, copy, { recursive: true });
  const out = join(scratch, 'dist');
  const npm = npmCommand();
  const args = [...npm.prefix, 'run', 'synth', '--', '--environments', copy, '--out', out];
  const command = 'npm run synth';
  const run = (): { readonly ms: number; readonly rendered: string; readonly written: number } => {
    const start = performance.now();
    const result = spawnSync(npm.file, args, { cwd: projectRoot, encoding: 'utf8', env: process.env });
    const ms = performance.now() - start;
    if (result.error !== undefined) throw new UserError(`cannot run ${command}: ${result.error.message}`, { cause: result.error });
    if (result.status !== 0) throw new UserError(`${command} of ${shown} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
    return { ms, ...summaryOf(result, command) };
  };
  for (let i = 0; i < WARM_UPS; i += 1) run();
  const timed = Array.from({ length: runs }, run);
  return {
    command,
    environments: shown,
    rendered: timed.at(-1)?.rendered ?? '',
    runsMs: timed.map((one) => one.ms),
    written: timed.reduce((sum, one) => sum + one.written, 0),
  };
}
