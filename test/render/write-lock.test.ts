import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockError, withOutputLock } from '../../lib/render/lock';
import { writeTree } from '../../lib/render/write';

let root: string;
let dist: string;
let lock: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-lock-'));
  dist = join(root, 'dist');
  lock = join(root, '.dist.twinops-lock');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const STARTED = '2024-05-01T10:00:00.000Z';
const holdLock = (pid: number, host = hostname()) => writeFileSync(lock, `${JSON.stringify({ pid, hostname: host, started: STARTED })}\n`);
const files = new Map([['home/RUNBOOK.md', '# Runbook\n']]);

describe('withOutputLock', () => {
  it('holds a lock file beside the folder naming this process, and removes it after', () => {
    const seen = withOutputLock(dist, () => JSON.parse(readFileSync(lock, 'utf8')) as Record<string, unknown>);

    expect(seen).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(typeof seen.started).toBe('string');
    expect(readdirSync(root)).toEqual([]);
  });

  it('removes the lock when the work throws', () => {
    expect(() =>
      withOutputLock(dist, () => {
        throw new Error('render failed');
      }),
    ).toThrow('render failed');
    expect(existsSync(lock)).toBe(false);
  });

  it('lets work under the lock take it again (dr activate around its render)', () => {
    const result = withOutputLock(dist, () => writeTree(dist, files, { lockTimeoutMs: 0 }));

    expect(result.written).toBe(2);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose process is gone, saying so', () => {
    const dead = spawnSync('true').pid ?? 0;
    holdLock(dead);
    const notices: string[] = [];

    writeTree(dist, files, { onNotice: (line) => notices.push(line) });

    expect(notices).toEqual([`took over the lock ${lock} of pid ${dead} (started ${STARTED}), which is no longer running`]);
    expect(readdirSync(root)).toEqual(['dist']);
  });

  it('takes over a lock left unreadable long ago, saying so', () => {
    writeFileSync(lock, '');
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const notices: string[] = [];

    writeTree(dist, files, { onNotice: (line) => notices.push(line) });

    expect(notices).toEqual([`took over the unreadable lock ${lock}, left by a run that did not finish writing it`]);
  });

  it('fails clearly after the timeout when a live process holds the lock, writing nothing', () => {
    holdLock(process.ppid);
    const notices: string[] = [];

    expect(() => writeTree(dist, files, { lockTimeoutMs: 300, onNotice: (line) => notices.push(line) })).toThrow(
      new LockError(
        `cannot render into ${root}: ${lock} is held by the render of pid ${process.ppid} (started ${STARTED}) for more than 0.3 s; ` +
          `nothing was written; if that render is not running any more, delete ${lock}`,
      ),
    );
    expect(notices).toEqual([`waiting for the render of pid ${process.ppid} (started ${STARTED}) to finish`]);
    expect(readdirSync(root)).toEqual(['.dist.twinops-lock']);
  });

  it('does not judge a lock of another host by its pid: it waits', () => {
    const dead = spawnSync('true').pid ?? 0;
    holdLock(dead, 'elsewhere.example.org');

    expect(() => writeTree(dist, files, { lockTimeoutMs: 200 })).toThrow(
      `is held by the render of pid ${dead} on elsewhere.example.org (started ${STARTED}) for more than 0.2 s`,
    );
  });

  it('waits for a running holder, with one line, then renders', () => {
    // A process that holds the lock for a moment, then releases it.
    const holder = spawn('sh', ['-c', `sleep 0.5; rm '${lock}'`], { stdio: 'ignore' });
    holdLock(holder.pid ?? 0);
    const notices: string[] = [];

    const result = writeTree(dist, files, { onNotice: (line) => notices.push(line) });

    expect(notices).toEqual([`waiting for the render of pid ${holder.pid} (started ${STARTED}) to finish`]);
    expect(result.written).toBe(2);
    expect(readdirSync(root)).toEqual(['dist']);
  });
});
