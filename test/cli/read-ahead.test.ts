/**
 * The launcher reads the render cache file of a `synth` ahead, on the thread pool, while it
 * loads the program (lib/build/read-ahead.mjs): the very file synth would read, and nothing for
 * any other command or when there is nothing to read.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAheadRenderCache, RENDER_CACHE_FOLDER, renderCacheFile } from '../../lib/build/read-ahead.mjs';

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'twinops-read-ahead-')));
  mkdirSync(join(root, RENDER_CACHE_FOLDER), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** An output folder `name` below the checkout with a cache file holding `bytes`; the file's path. */
function cached(name: string, bytes: string): string {
  mkdirSync(join(root, name), { recursive: true });
  const file = renderCacheFile(join(root, RENDER_CACHE_FOLDER), join(root, name));
  writeFileSync(file, bytes);
  return file;
}

describe('readAheadRenderCache', () => {
  it('reads the cache file of dist/ for a plain synth, whole', async () => {
    const file = cached('dist', 'the cache of dist');
    const ahead = readAheadRenderCache(root, ['synth'], root);
    expect(ahead?.file).toBe(file);
    expect((await ahead?.bytes)?.toString()).toBe('the cache of dist');
  });

  it.each([[['--out', 'build']], [['--out=build']], [['--environments', 'envs', '--out', 'build', '--verbose']]])('reads the cache file of the folder --out names: synth %j', async (...args) => {
    cached('dist', 'the cache of dist');
    const file = cached('build', 'the cache of build');
    const ahead = readAheadRenderCache(root, ['synth', ...args[0]], root);
    expect(ahead?.file).toBe(file);
    expect((await ahead?.bytes)?.toString()).toBe('the cache of build');
  });

  it('names the file by the real path of the output folder, relative to the working folder', async () => {
    const file = cached('real-dist', 'the cache of real-dist');
    mkdirSync(join(root, 'sub'));
    symlinkSync(join(root, 'real-dist'), join(root, 'linked'));
    const ahead = readAheadRenderCache(root, ['synth', '--out', '../linked'], join(root, 'sub'));
    expect(ahead?.file).toBe(file);
    expect((await ahead?.bytes)?.toString()).toBe('the cache of real-dist');
  });

  it.each([
    ['another command', ['diff']],
    ['no command', []],
    ['--no-cache', ['synth', '--no-cache']],
    ['--help', ['synth', '--help']],
    ['-h', ['synth', '-h']],
    ['an output folder that does not exist', ['synth', '--out', 'missing']],
    ['an output folder with no cache file', ['synth', '--out', 'empty']],
  ])('reads nothing for %s', (_, argv) => {
    cached('dist', 'the cache of dist');
    mkdirSync(join(root, 'empty'));
    expect(readAheadRenderCache(root, argv, root)).toBeUndefined();
  });

  it('gives the bytes of the file when it was opened, even if it is replaced during the read', async () => {
    const file = cached('dist', 'x'.repeat(1 << 20));
    const ahead = readAheadRenderCache(root, ['synth'], root);
    // A synth saving meanwhile replaces the file by a rename: the open file stays the old one.
    writeFileSync(`${file}.new`, 'newer');
    renameSync(`${file}.new`, file);
    expect(readFileSync(file, 'utf8')).toBe('newer');
    expect((await ahead?.bytes)?.length).toBe(1 << 20);
  });
});
