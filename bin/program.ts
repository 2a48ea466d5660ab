/**
 * The program: the only module that knows both `lib/` and `charts/`. It hands the charts'
 * composition root and catalog to the library commands. bin/twinops.mjs runs it from a cached
 * esbuild bundle; bin/twinops.ts runs it from the sources under tsx.
 */
import { fileURLToPath } from 'node:url';
import { APPS } from '../charts/apps';
import { appCatalogOf, cachedAppCatalog } from '../lib/app/catalog';
import { composeUnits } from '../charts/estate';
import { processIo } from '../lib/cli/io';
import { main } from '../lib/cli/main';
import { typeCheckProgram } from '../lib/cli/typecheck';
import { sourcesHash as hashSources } from '../lib/build/sources-hash.mjs';
import { RENDER_CACHE_DIR } from '../lib/render/unit-cache-file';
import type { ReadAhead } from '../lib/build/read-ahead.mjs';
import type { RunningTypeCheck } from '../lib/build/type-check.mjs';

/** How the program was started. */
export interface ProgramOptions {
  /** The sources' hash the launcher computed before building this program; default: the type check hashes them itself. */
  readonly sourcesHash?: string;
  /** The render cache file the launcher started reading, if any (lib/build/read-ahead.mjs). */
  readonly readAhead?: ReadAhead;
  /** The type check of `sourcesHash`'s sources the launcher started, if any (lib/build/type-check.mjs). */
  readonly typeCheck?: RunningTypeCheck;
}

/** Runs `twinops <argv>` in this process; the exit code. */
/** Where the launcher's program keeps the app catalog of its sources (lib/app/catalog.ts `cachedAppCatalog`). */
const CATALOG_FILE = fileURLToPath(new URL('../node_modules/.cache/twinops-catalog.json', import.meta.url));

export async function runProgram(argv: readonly string[], { sourcesHash, readAhead, typeCheck }: ProgramOptions = {}): Promise<number> {
  return main(argv, processIo(), {
    compose: composeUnits,
    // Learnt by rendering each app once; kept for the sources the launcher hashed.
    catalog: sourcesHash === undefined ? appCatalogOf(APPS) : cachedAppCatalog(APPS, CATALOG_FILE, sourcesHash),
    // Neither tsx nor esbuild checks types: this refuses to render when the charts do not type-check.
    typecheck: (io, command) => typeCheckProgram(io, command, sourcesHash, sourcesHash === undefined ? undefined : typeCheck),
    // The render cache belongs to this program: any change to its sources starts an empty one.
    renderCache: {
      folder: fileURLToPath(RENDER_CACHE_DIR),
      code: sourcesHash ?? hashSources(fileURLToPath(new URL('..', import.meta.url))),
      ...(readAhead === undefined ? {} : { readAhead }),
    },
  });
}
