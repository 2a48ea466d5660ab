/** `twinops schema`: write `environments/schema.json`, the JSON Schema editors validate with. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderSchemaFile } from '../config/schema-file';
import type { Io } from './io';

export function runSchema(argv: readonly string[], io: Io): number {
  const { values } = parseArgs({ args: [...argv], options: { out: { type: 'string', default: 'environments/schema.json' } } });
  writeFileSync(join(io.cwd, values.out), renderSchemaFile());
  io.stdout.write(`schema: wrote ${values.out}\n`);
  return 0;
}
