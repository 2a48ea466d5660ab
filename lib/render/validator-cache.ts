/**
 * Compiled schema validators kept between runs. Compiling the Kubernetes and CRD schemas with
 * ajv is most of a small render's time (about 0.9 s for the example estate's 25 kinds); ajv's
 * standalone code of a compiled validator is the same function as JavaScript source, loaded in
 * milliseconds. One file per validator, compiled on first use: compiling every kind of
 * `imports/schemas/` ahead of time takes 12 s and 8.8 MB of code that then costs 0.7 s to load.
 *
 * The folder's name is a hash of everything the generated code depends on: the schemas, ajv's
 * version and the options (./validate.ts), so an `npm run import` or an ajv upgrade starts an
 * empty folder. A folder that cannot be written (read-only node_modules) keeps nothing: the
 * validators are then compiled on every run, as without the cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';

const require = createRequire(import.meta.url);

export class CompiledValidatorCache {
  /** `folder`: this cache's own folder (see `validatorCacheFolder`); created on the first save. */
  constructor(readonly folder: string) {}

  /** The validator saved under `name` (e.g. `apps/v1/Deployment`), or undefined when none was. */
  load(name: string): ValidateFunction | undefined {
    const file = this.fileOf(name);
    if (!existsSync(file)) return undefined;
    // A CommonJS module whose `require("ajv/dist/runtime/…")` resolves from this program, wherever the folder is.
    const module = { exports: {} as unknown };
    compileFunction(readFileSync(file, 'utf8'), ['module', 'exports', 'require'], { filename: file })(module, module.exports, require);
    return module.exports as ValidateFunction;
  }

  /**
   * Saves `validate`, compiled by `ajv` (which must have the `code.source` option), under `name`.
   * Written whole then renamed: two renders at once never read a torn file.
   */
  save(name: string, ajv: Ajv, validate: ValidateFunction): void {
    const file = this.fileOf(name);
    const code = standaloneCode(ajv, validate);
    try {
      if (!existsSync(this.folder)) {
        mkdirSync(this.folder, { recursive: true });
        removeSiblings(this.folder);
      }
      writeFileSync(`${file}.${process.pid}`, code);
      renameSync(`${file}.${process.pid}`, file);
    } catch (error) {
      if (!isUnwritable(error)) throw error;
    }
  }

  private fileOf(name: string): string {
    return join(this.folder, `${createHash('sha256').update(name).digest('hex').slice(0, 32)}.cjs`);
  }
}

/**
 * `<parent>/<key>`: the key hashes ajv's version, `options` (the Ajv options of the validators,
 * as JSON) and the path and content of every file below `schemasDir`.
 */
export function validatorCacheFolder(parent: string, schemasDir: string, options: unknown): string {
  const hash = createHash('sha256');
  hash.update(`ajv ${(require('ajv/package.json') as { version: string }).version}\0${JSON.stringify(options)}\0`);
  for (const path of filesBelow(schemasDir)) {
    const content = readFileSync(join(schemasDir, path));
    hash.update(`${path}\0${content.length}\0`).update(content);
  }
  return join(parent, hash.digest('hex').slice(0, 16));
}

/** `<parent>/<key>` for validators compiled from in-memory `inputs` (a schema and its options): the key hashes ajv's version and their JSON. */
export function validatorCacheFolderFor(parent: string, inputs: unknown): string {
  const hash = createHash('sha256').update(`ajv ${(require('ajv/package.json') as { version: string }).version}\0${JSON.stringify(inputs)}`);
  return join(parent, hash.digest('hex').slice(0, 16));
}

/** The files below `folder`, relative and sorted; none when it does not exist. */
function filesBelow(folder: string): string[] {
  const files: string[] = [];
  const walk = (relativeFolder: string) => {
    for (const entry of readdirSync(join(folder, relativeFolder), { withFileTypes: true })) {
      const path = join(relativeFolder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  if (existsSync(folder)) walk('');
  return files.sort();
}

/** The folders of other schemas or ajv versions: only the current one is kept. */
function removeSiblings(folder: string): void {
  const parent = dirname(folder);
  for (const entry of readdirSync(parent, { withFileTypes: true })) {
    if (entry.isDirectory() && join(parent, entry.name) !== folder) rmSync(join(parent, entry.name), { recursive: true, force: true });
  }
}

function isUnwritable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'ENOTDIR';
}
