/** Running `twinops` in a scratch project, for the tests of the commands. */
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import type { Io } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';

/** Runs the command in `cwd` with the process environment `env`; collects its output. */
export async function twinops(cwd: string, argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, cwd, env };
  const code = await main(argv, io, { compose: composeUnits, catalog: APP_CATALOG });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** The 1-based line of the first line of `text` starting with `prefix` (home.yaml still grows). */
export const lineOf = (text: string, prefix: string) => text.split('\n').findIndex((line) => line.startsWith(prefix)) + 1;

/** `synth: … in 0.51s` with the time made constant, so a whole output can be compared. */
export const withoutTime = (text: string) => text.replace(/ in \d+\.\d\ds\n/g, ' in 0.00s\n');
