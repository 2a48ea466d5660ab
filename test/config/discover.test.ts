import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverEnvironments } from '../../lib/config/discover';
import { ConfigError } from '../../lib/config/errors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'twinops-discover-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const touch = (...names: string[]) => names.forEach((name) => writeFileSync(join(dir, name), 'clusters: []\n'));

/** The formatted problems of a folder that must be refused, with `dir` shown as `environments`. */
function problems(folder = dir): string[] {
  try {
    discoverEnvironments(folder);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.file.replace(dir, 'environments')} ${p.message}`);
  }
  throw new Error('expected a ConfigError');
}

function hasMkfifo(): boolean {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('discoverEnvironments', () => {
  it('finds every <name>.yaml in name order; skips hidden files, the schema and documentation without a word', () => {
    touch('lab.yaml', 'home.yaml', '.gitkeep', '.home.yaml.twinops-tmp-42', 'schema.json', 'README.md', 'notes.txt');
    expect(discoverEnvironments(dir)).toEqual({ files: [join(dir, 'home.yaml'), join(dir, 'lab.yaml')], ignored: [] });
  });

  it('lists other files as ignored, for a note', () => {
    touch('home.yaml', 'lab.json', 'home.yaml.bak', 'lab');
    expect(discoverEnvironments(dir).ignored).toEqual([join(dir, 'home.yaml.bak'), join(dir, 'lab'), join(dir, 'lab.json')]);
  });

  it('refuses every other spelling of a YAML extension, saying what to rename it to', () => {
    touch('a.yml', 'b.YAML', 'c.Yaml', 'd.YML', 'home.yaml');
    expect(problems()).toEqual([
      'environments/a.yml expected a file name ending in .yaml; given "a.yml" (rename it to a.yaml)',
      'environments/b.YAML expected a file name ending in .yaml; given "b.YAML" (rename it to b.yaml)',
      'environments/c.Yaml expected a file name ending in .yaml; given "c.Yaml" (rename it to c.yaml)',
      'environments/d.YML expected a file name ending in .yaml; given "d.YML" (rename it to d.yaml)',
    ]);
  });

  it('refuses a folder without environments, a missing folder and a file given as the folder', () => {
    touch('README.md');
    expect(problems()).toEqual(['environments expected at least one <name>.yaml environment file in the folder; given none']);
    expect(problems(join(dir, 'absent'))).toEqual([
      'environments/absent expected a folder of <name>.yaml environment files; given nothing (it does not exist)',
    ]);
    expect(problems(join(dir, 'README.md'))).toEqual(['environments/README.md expected a folder of <name>.yaml environment files; given a file']);
  });

  it('refuses entries that are not regular files, naming what they are, without opening them', () => {
    touch('home.yaml');
    mkdirSync(join(dir, 'folder.yaml'));
    symlinkSync(join(dir, 'folder.yaml'), join(dir, 'link-to-folder.yaml'));
    symlinkSync(join(dir, 'gone.txt'), join(dir, 'dangling.yaml'));
    symlinkSync(join(dir, 'home.yaml'), join(dir, 'link-to-file.yaml'));
    if (hasMkfifo()) execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    expect(problems()).toEqual([
      'environments/dangling.yaml expected a regular file; given a symbolic link to nothing (no such file or directory (ENOENT)); it was not read',
      'environments/folder.yaml expected a regular file; given a folder; it was not read',
      'environments/link-to-folder.yaml expected a regular file; given a symbolic link to a folder; it was not read',
      ...(hasMkfifo() ? ['environments/pipe.yaml expected a regular file; given a named pipe (FIFO); it was not read'] : []),
    ]);
  });

  describe('a socket', () => {
    let server: Server | undefined;
    afterEach(() => server?.close());

    it('is refused too', async () => {
      touch('home.yaml');
      server = createServer();
      await new Promise<void>((resolve) => server?.listen(join(dir, 'socket.yaml'), resolve));
      expect(problems()).toEqual(['environments/socket.yaml expected a regular file; given a socket; it was not read']);
    });
  });
});
