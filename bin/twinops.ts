#!/usr/bin/env -S npx tsx
/**
 * The program run from its TypeScript sources under tsx: for development, and the fallback of
 * bin/twinops.mjs (the npm scripts' launcher) when it cannot write its build cache.
 */
import { runProgram } from './program';

process.exitCode = await runProgram(process.argv.slice(2));
