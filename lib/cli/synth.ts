/** `twinops synth`: render every environment into `dist/`. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AppCatalogEntry } from '../config/catalog';
import type { DrState } from '../config/schema';
import { parseDrState } from '../config/state';
import { synthesize, type Compose, type SynthSummary } from '../synth';
import { reportError } from './errors';
import { seconds, type Io } from './io';

export interface RenderDeps {
  readonly compose: Compose;
  readonly catalog: ReadonlyMap<string, AppCatalogEntry>;
}

/** The variable that previews a DR state for one run: every app of every environment in it. */
export const STATE_OVERRIDE_VARIABLE = 'TWINOPS_DR_STATE';

/** The override in `env`, if set (an empty value counts as unset); throws on an unknown state. */
export function stateOverride(env: Io['env']): DrState | undefined {
  const value = env[STATE_OVERRIDE_VARIABLE];
  if (value === undefined || value === '') return undefined;
  try {
    return parseDrState(value, STATE_OVERRIDE_VARIABLE);
  } catch (cause) {
    throw new Error(`${cause instanceof Error ? cause.message : String(cause)}; nothing was written`, { cause });
  }
}

/** `synth: 1 environment(s), …; 0 file(s) written, 0 removed in 0.51s`: every render ends with it. */
export function synthSummaryLine(summary: SynthSummary, start: number): string {
  return (
    `synth: ${summary.environments} environment(s), ${summary.clusters} cluster(s), ${summary.units} unit(s), ` +
    `${summary.objects} object(s); ${summary.written} file(s) written, ${summary.removed} removed in ${seconds(start)}s`
  );
}

export function runSynth(argv: readonly string[], io: Io, deps: RenderDeps): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      environments: { type: 'string', default: 'environments' },
      // `cdk8s synth` passes its output folder as CDK8S_OUTDIR.
      out: { type: 'string', default: io.env.CDK8S_OUTDIR ?? 'dist' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const start = performance.now();
  try {
    const override = stateOverride(io.env);
    const summary = synthesize({
      environmentsDir: join(io.cwd, values.environments),
      distDir: join(io.cwd, values.out),
      compose: deps.compose,
      catalog: deps.catalog,
      onProgress: (line) => io.stderr.write(`  ${line}\n`),
      ...(override === undefined ? {} : { stateOverride: override }),
    });
    if (override !== undefined) {
      io.stderr.write(
        `twinops synth: warning: ${STATE_OVERRIDE_VARIABLE}=${override} is in effect: every app rendered as ${override}; ` +
          `${values.out}/ now differs from the environment files (unset it and run synth again)\n`,
      );
    }
    io.stdout.write(`${synthSummaryLine(summary, start)}\n`);
    return 0;
  } catch (error) {
    return reportError(io, 'synth', error, values.verbose);
  }
}
