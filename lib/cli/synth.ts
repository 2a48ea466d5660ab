/** `twinops synth`: render every environment into `dist/`. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AppCatalogEntry } from '../config/catalog';
import { synthesize, type Compose } from '../synth';
import { reportError } from './errors';
import { seconds, type Io } from './io';

export interface RenderDeps {
  readonly compose: Compose;
  readonly catalog: ReadonlyMap<string, AppCatalogEntry>;
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
    const summary = synthesize({
      environmentsDir: join(io.cwd, values.environments),
      distDir: join(io.cwd, values.out),
      compose: deps.compose,
      catalog: deps.catalog,
      onProgress: (line) => io.stderr.write(`  ${line}\n`),
    });
    io.stdout.write(
      `synth: ${summary.environments} environment(s), ${summary.clusters} cluster(s), ${summary.units} unit(s), ` +
        `${summary.objects} object(s); ${summary.written} file(s) written, ${summary.removed} removed in ${seconds(start)}s\n`,
    );
    return 0;
  } catch (error) {
    return reportError(io, 'synth', error, values.verbose);
  }
}
