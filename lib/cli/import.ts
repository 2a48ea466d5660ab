/**
 * `twinops import`: regenerate `imports/` (cdk8s constructs and validation schemas) from the
 * sources in `cdk8s.yaml`, downloading them, or offline from TWINOPS_CRD_DIR / `--crd-dir`.
 */
import { fileURLToPath } from 'node:url';
import { importAll, IMPORTS_DIR } from '../imports/run';

export interface ImportIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  /** Environment variables (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const USAGE = `usage: twinops import [--crd-dir <folder>] [--project <folder>] [--verbose]

Regenerates imports/ (cdk8s constructs, strict validation schemas) from the sources in cdk8s.yaml.
  --crd-dir <folder>  read the sources from a local folder instead of downloading them
                      (default: $TWINOPS_CRD_DIR); each URL maps to the file with the longest
                      matching path suffix
  --project <folder>  the folder holding cdk8s.yaml (default: this twinops checkout)
  --verbose           show cdk8s-cli's output and error stacks
`;

/** Runs the command; resolves with the process exit code. */
export async function runImport(argv: readonly string[], io: ImportIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    io.stderr.write(`twinops import: ${parsed}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const env = io.env ?? process.env;
  const localFolder = parsed.crdDir ?? (env['TWINOPS_CRD_DIR'] || undefined);
  try {
    const summary = await importAll({
      projectDir: parsed.project ?? fileURLToPath(new URL('../../', import.meta.url)),
      ...(localFolder === undefined ? {} : { localFolder }),
      progress: line => io.stderr.write(`  ${line}\n`),
    });
    if (parsed.verbose) io.stderr.write(summary.cdk8sLog);
    io.stdout.write(
      `import: ${summary.sources} sources → ${summary.modules.length} modules, ${summary.crdKinds} CRD kinds + ` +
        `${summary.kubernetesKinds} Kubernetes ${summary.kubernetesVersion} kinds in ${IMPORTS_DIR}/ ` +
        `(${summary.seconds.toFixed(1)}s)\n`,
    );
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`twinops import: error: ${message}\n`);
    if (parsed.verbose && error instanceof Error && error.stack !== undefined) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

interface ImportArgs {
  readonly help: boolean;
  readonly verbose: boolean;
  readonly crdDir?: string;
  readonly project?: string;
}

/** The parsed arguments, or a usage error message. */
function parseArgs(argv: readonly string[]): ImportArgs | string {
  let help = false;
  let verbose = false;
  const values: { crdDir?: string; project?: string } = {};
  const options = { '--crd-dir': 'crdDir', '--project': 'project' } as const;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--verbose' || flag === '-v') verbose = true;
    else if (flag === '--crd-dir' || flag === '--project') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') return `${flag} needs a folder`;
      values[options[flag]] = value;
    } else return `unknown argument "${arg}"`;
  }
  return { help, verbose, ...values };
}
