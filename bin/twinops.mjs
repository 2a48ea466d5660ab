#!/usr/bin/env node
// The launcher the npm scripts run: plain JavaScript, so starting it costs no TypeScript
// transform. It hashes the sources (the hash the type check uses), runs the cached esbuild
// bundle of bin/program.ts when the sources are those it was built from, else builds it first.
// The charts are still type-checked before a render writes (lib/cli/typecheck.ts); when they
// changed, tsc is started here, before the build, and runs beside it. When the
// cache cannot be written, it runs the sources under tsx, as before, and says so.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedProgram, loadProgram } from '../lib/build/program-cache.mjs';
import { stampedSourcesHash } from '../lib/build/sources-hash.mjs';
import { readAheadRenderCache } from '../lib/build/read-ahead.mjs';
import { CHECKING, checksBeforeRendering, NOT_TYPE_CHECKED, readStamp, startTypeCheck } from '../lib/build/type-check.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const argv = process.argv.slice(2);
// --verbose prints stack traces: map them to the sources (the map is read only then).
const verbose = argv.includes('--verbose');
if (verbose) process.setSourceMapsEnabled(true);

// First: the read runs on the thread pool while the sources are hashed and the program loaded.
const readAhead = readAheadRenderCache(root, argv, process.cwd());
const sources = stampedSourcesHash(root);
// Sources changed since the last check that passed: tsc starts now, on the other core, and
// checks while the program is built, loaded and renders; the command awaits it before writing.
const typeCheck = checksBeforeRendering(argv) && readStamp(root) !== sources ? startTypeCheck(root) : undefined;
let program;
try {
  program = await cachedProgram(root, sources);
} catch (error) {
  process.stderr.write(`twinops: cannot build the program from bin/, lib/, charts/ and imports/:\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
let runProgram;
let saveCodeCache = () => undefined;
try {
  if (program.status === 'unwritable') {
    process.stderr.write(`twinops: note: cannot write the build cache (${program.reason}); running the sources with tsx (slower)\n`);
    const { register } = await import('tsx/esm/api');
    register();
    ({ runProgram } = await import('./program.ts'));
  } else {
    const loaded = loadProgram(program.file, verbose);
    ({ runProgram } = loaded.exports);
    saveCodeCache = loaded.save;
  }
} catch (error) {
  // A module that throws as it loads (a chart's top level, say): when the sources do not
  // type-check, tsc's diagnostics are the better answer.
  const verdict = typeCheck?.result();
  if (verdict?.status === 'failed') {
    process.stderr.write(`${CHECKING}${verdict.diagnostics}\ntwinops ${argv[0]}: ${NOT_TYPE_CHECKED}\n`);
  } else {
    const detail = verbose && error instanceof Error && error.stack !== undefined ? error.stack : error instanceof Error ? error.message : String(error);
    process.stderr.write(`twinops: the program stopped as it loaded (a module of bin/, lib/, charts/ or imports/ threw at its top level); nothing was written:\n${detail}\n`);
  }
  process.exit(1);
}
process.exitCode = await runProgram(argv, { sourcesHash: sources, ...(readAhead === undefined ? {} : { readAhead }), ...(typeCheck === undefined ? {} : { typeCheck }) });
saveCodeCache();
