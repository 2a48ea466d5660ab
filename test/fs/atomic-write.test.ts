import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../lib/errors';
import { removeStaleTemporaries, temporaryFileOf, writeFileAtomic } from '../../lib/fs/atomic-write';
import { spawnSync } from 'node:child_process';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'twinops-atomic-'));
  file = join(dir, 'home.yaml');
  writeFileSync(file, 'dr:\n  state: standby\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the bytes, keeps the permission bits and leaves no temporary file', () => {
    chmodSync(file, 0o640);
    writeFileAtomic(file, 'dr:\n  state: active\n');
    expect(readFileSync(file, 'utf8')).toBe('dr:\n  state: active\n');
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['home.yaml']);
  });

  it('names its temporary file beside the target, hidden, with the process id', () => {
    expect(temporaryFileOf(file)).toBe(join(dir, `.home.yaml.twinops-tmp-${process.pid}`));
  });

  it('creates a file that does not exist yet', () => {
    writeFileAtomic(join(dir, 'new.yaml'), Buffer.from([0xef, 0xbb, 0xbf, 0x61]));
    expect([...readFileSync(join(dir, 'new.yaml'))]).toEqual([0xef, 0xbb, 0xbf, 0x61]);
  });

  it('keeps the original bytes and removes the temporary file when it fails between write and rename', () => {
    let seen: string | undefined;
    const crash = (temporary: string) => {
      seen = readFileSync(temporary, 'utf8');
      throw new Error('killed before the rename');
    };
    expect(() => writeFileAtomic(file, 'dr:\n  state: active\n', { beforeRename: crash })).toThrow('killed before the rename');
    expect(seen).toBe('dr:\n  state: active\n');
    expect(readFileSync(file, 'utf8')).toBe('dr:\n  state: standby\n');
    expect(readdirSync(dir)).toEqual(['home.yaml']);
  });

  it('reports a filesystem failure naming the file as given, not the temporary path', () => {
    const missing = join(dir, 'absent', 'home.yaml');
    const write = () => writeFileAtomic(missing, 'x', { shownAs: 'absent/home.yaml' });
    expect(write).toThrow(UserError);
    expect(write).toThrow(/^cannot write absent\/home\.yaml: no such file or directory \(ENOENT\); nothing was written$/);
  });

  it('removes the temporary file when the rename fails, and the target keeps its content', () => {
    mkdirSync(join(dir, 'folder.yaml'));
    expect(() => writeFileAtomic(join(dir, 'folder.yaml'), 'x', { shownAs: 'folder.yaml' })).toThrow(
      /^cannot write folder\.yaml: .* \(E[A-Z]+\); it keeps its original content$/,
    );
    expect(readdirSync(dir).sort()).toEqual(['folder.yaml', 'home.yaml']);
  });

  it('writes through a symbolic link: the link stays, its target changes', () => {
    const link = join(dir, 'link.yaml');
    symlinkSync(file, link);
    writeFileAtomic(link, 'clusters: []\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe('clusters: []\n');
  });
});

describe('removeStaleTemporaries', () => {
  it('removes the temporary files of processes that are gone and keeps those of running ones', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid ?? 0;
    writeFileSync(temporaryFileOf(file, dead), 'half a fi');
    writeFileSync(temporaryFileOf(file, process.pid), 'in progress');
    writeFileSync(join(dir, '.other.yaml.twinops-tmp-1'), 'not this file’s');
    expect(removeStaleTemporaries(file)).toEqual([temporaryFileOf(file, dead)]);
    expect(readdirSync(dir).sort()).toEqual(['.home.yaml.twinops-tmp-' + process.pid, '.other.yaml.twinops-tmp-1', 'home.yaml']);
    expect(readFileSync(file, 'utf8')).toBe('dr:\n  state: standby\n');
  });
});
