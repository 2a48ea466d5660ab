#!/usr/bin/env -S npx tsx
/**
 * The entry point: the only module that knows both `lib/` and `charts/`. It hands the charts'
 * composition root and catalog to the library commands and sets the exit code.
 */
import { APP_CATALOG } from '../charts/catalog';
import { composeEnvironment } from '../charts/estate';
import { processIo } from '../lib/cli/io';
import { main } from '../lib/cli/main';
import { typeCheckProgram } from '../lib/cli/typecheck';

process.exitCode = await main(process.argv.slice(2), processIo(), {
  compose: composeEnvironment,
  catalog: APP_CATALOG,
  // tsx runs the charts without checking their types: this refuses to render when they do not type-check.
  typecheck: typeCheckProgram,
});
