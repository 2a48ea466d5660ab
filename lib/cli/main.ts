/** The `twinops` command: parses the subcommand, runs it, returns the exit code. */
import { didYouMean } from '../config/wording';
import { EXIT_USAGE } from './errors';
import type { Io } from './io';
import { runSynth, type RenderDeps } from './synth';

const COMMANDS = ['synth', 'check', 'dr', 'diff', 'import', 'schema', 'bench'] as const;

const USAGE = `usage: twinops <command> [options]

commands:
  synth     render every environment in environments/ into dist/ (TWINOPS_DR_STATE: preview a DR state)
  check     render in memory and list stale, missing and extra files of dist/ (exit 1); writes nothing
  dr        DR state: status <env>, plan <env> <state>, activate|sync|standby <env> [--app A]
  diff      the render's semantic, DR-aware diff against dist/ at a git ref (--base REF, --format text|markdown|json)
  import    regenerate imports/ from the sources in cdk8s.yaml (TWINOPS_CRD_DIR: offline folder)
  schema    write environments/schema.json from the environment schema
  bench     measure a synthetic fleet render (--objects N, --dir FOLDER)

Every command takes --help (its options) and --verbose (stack traces on errors).
`;

export async function main(argv: readonly string[], io: Io, deps: RenderDeps): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'synth':
      return runSynth(rest, io, deps);
    case 'check': {
      const { runCheck } = await import('./check');
      return runCheck(rest, io, deps);
    }
    case 'dr': {
      const { runDr } = await import('./dr');
      return runDr(rest, io, deps);
    }
    case 'diff': {
      const { runDiff } = await import('./diff');
      return runDiff(rest, io, deps);
    }
    case 'import': {
      const { runImport } = await import('./import');
      return runImport(rest, io);
    }
    case 'schema': {
      const { runSchema } = await import('./schema');
      return runSchema(rest, io);
    }
    case 'bench': {
      const { runBench } = await import('./bench');
      return runBench(rest, io, deps);
    }
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(USAGE);
      return 0;
    case undefined:
      io.stderr.write(`twinops: missing command; expected one of ${COMMANDS.join(', ')} (see twinops --help)\n`);
      return EXIT_USAGE;
    default:
      io.stderr.write(
        `twinops: unknown command "${command}"${didYouMean(command, COMMANDS)}; expected one of ${COMMANDS.join(', ')} (see twinops --help)\n`,
      );
      return EXIT_USAGE;
  }
}
