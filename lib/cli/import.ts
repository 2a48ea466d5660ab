/**
 * `twinops import`: regenerate `imports/` (cdk8s constructs and validation schemas) from the
 * sources in `cdk8s.yaml`, downloading them, or offline from TWINOPS_CRD_DIR / `--crd-dir`.
 */
import { fileURLToPath } from 'node:url';
import { importAll, IMPORTS_DIR } from '../imports/run';
import { parseCommandLine, usageOf, type CommandSpec, type OptionSpec } from './args';
import { reportError } from './errors';

export interface ImportIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  /** Environment variables (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const IMPORT: CommandSpec<{ readonly 'crd-dir': OptionSpec; readonly project: OptionSpec }> = {
  name: 'import',
  synopsis: '[options]',
  description: 'Regenerates imports/ (cdk8s constructs, strict validation schemas) from the sources in cdk8s.yaml.',
  options: {
    'crd-dir': {
      type: 'string',
      placeholder: 'DIR',
      description: 'read the sources from a local folder instead of downloading them (default: $TWINOPS_CRD_DIR); each URL maps to the file with the longest matching path suffix',
    },
    project: { type: 'string', placeholder: 'DIR', description: 'the folder holding cdk8s.yaml (default: this twinops checkout)' },
  },
};

/** Runs the command; resolves with the process exit code. */
export async function runImport(argv: readonly string[], io: ImportIo): Promise<number> {
  let verbose = argv.includes('--verbose');
  try {
    const { values, help, ...line } = parseCommandLine(IMPORT, argv);
    verbose = line.verbose;
    if (help) {
      io.stdout.write(usageOf(IMPORT));
      return 0;
    }
    const env = io.env ?? process.env;
    const localFolder = values['crd-dir'] ?? (env['TWINOPS_CRD_DIR'] || undefined);
    const summary = await importAll({
      projectDir: values.project ?? fileURLToPath(new URL('../../', import.meta.url)),
      ...(localFolder === undefined ? {} : { localFolder }),
      progress: (progress) => io.stderr.write(`  ${progress}\n`),
    });
    if (verbose) io.stderr.write(summary.cdk8sLog);
    io.stdout.write(
      `import: ${summary.sources} sources → ${summary.modules.length} modules, ${summary.crdKinds} CRD kinds + ` +
        `${summary.kubernetesKinds} Kubernetes ${summary.kubernetesVersion} kinds in ${IMPORTS_DIR}/ ` +
        `(${summary.seconds.toFixed(1)}s)\n`,
    );
    return 0;
  } catch (error) {
    return reportError(io, 'import', error, verbose);
  }
}
