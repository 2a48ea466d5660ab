/** `twinops schema`: write `environments/schema.json`, the JSON Schema editors validate with. */
import { resolve } from 'node:path';
import { renderSchemaFile } from '../config/schema-file';
import { writeFileAtomic } from '../fs/atomic-write';
import { parseCommandLine, usageOf, type CommandSpec, type OptionSpec } from './args';
import { reportError } from './errors';
import type { Io } from './io';

const SCHEMA: CommandSpec<{ readonly out: OptionSpec & { readonly default: string } }> = {
  name: 'schema',
  synopsis: '[options]',
  description: 'Writes the JSON Schema of the environment files, for editors (see the first line of environments/home.yaml).',
  options: { out: { type: 'string', placeholder: 'FILE', default: 'environments/schema.json', description: 'the file to write' } },
};

export function runSchema(argv: readonly string[], io: Io): number {
  let verbose = argv.includes('--verbose');
  try {
    const { values, help, ...line } = parseCommandLine(SCHEMA, argv);
    verbose = line.verbose;
    if (help) {
      io.stdout.write(usageOf(SCHEMA));
      return 0;
    }
    writeFileAtomic(resolve(io.cwd, values.out), renderSchemaFile(), { shownAs: values.out });
    io.stdout.write(`schema: wrote ${values.out}\n`);
    return 0;
  } catch (error) {
    return reportError(io, 'schema', error, verbose);
  }
}
