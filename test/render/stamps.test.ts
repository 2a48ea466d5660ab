/** The writer's file stamps: a file is known by its stat only once that stat is older than the clock's grain. */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TextParts } from '../../lib/render/content';
import { FileStamps } from '../../lib/render/stamps';
import { NO_SLOT, prefetchList, restoredPrefetchList, StatPrefetch, type PrefetchList } from '../../lib/render/stat-prefetch';
import { writeTree } from '../../lib/render/write';

let real: string;
beforeEach(() => {
  real = mkdtempSync(join(tmpdir(), 'twinops-stamps-'));
});
afterEach(() => rmSync(real, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FileStamps', () => {
  it('does not stamp a file changed within the clock tick of its stat, and stamps it once that is past', async () => {
    writeFileSync(join(real, 'a.yaml'), 'kind: A\n');
    const stamps = new FileStamps(real);
    stamps.record('a.yaml', 'kind: A\n');
    // Just written: an edit in the same tick would leave the stat as it is, so the bytes are compared next time.
    expect(stamps.holds('a.yaml', 'kind: A\n')).toBe(false);
    await sleep(120);
    stamps.record('a.yaml', 'kind: A\n');
    expect(stamps.holds('a.yaml', 'kind: A\n')).toBe(true);
    expect(stamps.holds('a.yaml', 'kind: B\n')).toBe(false);
  });

  it('holds a file in parts by its parts', async () => {
    writeFileSync(join(real, 'RUNBOOK.md'), '# A\n\nB\n');
    const stamps = new FileStamps(real);
    const written = new TextParts(['# A', '\n\n', 'B', '\n']);
    stamps.record('RUNBOOK.md', written);
    expect(stamps.holds('RUNBOOK.md', new TextParts(written.parts))).toBe(false);
    await sleep(120);
    stamps.record('RUNBOOK.md', written);
    expect(stamps.holds('RUNBOOK.md', new TextParts(['# A', '\n\n', 'B', '\n']))).toBe(true);
    // The same text in other parts is not known the same: the writer compares its bytes.
    expect(stamps.holds('RUNBOOK.md', new TextParts(['# A\n\nB\n']))).toBe(false);
    expect(stamps.holds('RUNBOOK.md', new TextParts(['# A', '\n\n', 'C', '\n']))).toBe(false);
  });

  it('after a first write (a staged tree renamed into place), stamps each file with the stat it has there', async () => {
    const dist = join(real, 'dist');
    const stamps = new FileStamps(dist);
    const files = new Map(Array.from({ length: 40 }, (_, i) => [`env/unit-${i % 4}/file-${i}.yaml`, `kind: K\nname: n${i}\n`] as const));
    // The files are staged, then (past the clock's grain, so not racy) renamed into place and stamped.
    const pause = (what: string) => what === 'write journal draft' && Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120);
    writeTree(dist, files, { stamps, faults: { beforeStep: (_, what) => void pause(what) } });
    // Stamped from the stats taken as each file was staged: those of the files in place, to the byte.
    const stamped = new Map(stamps.entries());
    for (const path of files.keys()) {
      const stat = lstatSync(join(dist, path));
      const stamp = stamped.get(path);
      expect([stamp?.size, stamp?.mtimeMs, stamp?.ctimeMs, stamp?.ino, stamp?.mode], path).toEqual([stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.mode]);
    }
    expect(stamped.size).toBe(files.size + 1);
    writeFileSync(join(dist, 'env/unit-1/file-1.yaml'), 'kind: K\nname: edited\n');
    expect(writeTree(dist, files, { stamps })).toEqual({ written: 1, unchanged: files.size, removed: [] });
  });

  it('after a write, keeps the stamps holds confirmed in it as they are and stamps the other files again', async () => {
    writeFileSync(join(real, 'a.yaml'), 'kind: A\n');
    writeFileSync(join(real, 'b.yaml'), 'kind: B\n');
    await sleep(120);
    const stamps = new FileStamps(real);
    stamps.record('a.yaml', 'kind: A\n');
    stamps.record('b.yaml', 'kind: B\n');
    const produced = new Map([['a.yaml', 'kind: A\n'], ['b.yaml', 'kind: B\n']]);
    const before = new Map(stamps.entries());
    expect(stamps.holds('a.yaml', 'kind: A\n')).toBe(true);
    stamps.settle(produced, new Set());
    const after = new Map(stamps.entries());
    expect(after.get('a.yaml')).toBe(before.get('a.yaml'));
    expect(after.get('b.yaml')).not.toBe(before.get('b.yaml'));
    // A confirmation counts for one write only.
    stamps.settle(produced, new Set());
    expect(new Map(stamps.entries()).get('a.yaml')).not.toBe(after.get('a.yaml'));
    // Nor for a later render, when the write it was for never settled (it failed).
    expect(stamps.holds('a.yaml', 'kind: A\n')).toBe(true);
    const confirmed = new Map(stamps.entries()).get('a.yaml');
    stamps.prefetch();
    stamps.settle(produced, new Set());
    expect(new Map(stamps.entries()).get('a.yaml')).not.toBe(confirmed);
  });

  it('does not hold a stamped file once it is edited', async () => {
    writeFileSync(join(real, 'a.yaml'), 'kind: A\n');
    await sleep(120);
    const stamps = new FileStamps(real);
    stamps.record('a.yaml', 'kind: A\n');
    writeFileSync(join(real, 'a.yaml'), 'kind: B\n');
    expect(stamps.holds('a.yaml', 'kind: A\n')).toBe(false);
  });
});

/** Waits until the worker has reached `slot`, its last one (it never makes the writer wait). */
async function reached(prefetch: StatPrefetch, slot: number): Promise<void> {
  for (let tries = 0; prefetch.matches(slot, stat) === undefined; tries += 1) {
    if (tries > 500) throw new Error(`the stat worker did not reach slot ${slot}`);
    await sleep(10);
  }
}

const stat = { size: 8, mtimeMs: 1, ctimeMs: 1, ino: 1, mode: 0o100644 };
const pick = ({ size, mtimeMs, ctimeMs, ino, mode }: Stats) => ({ size, mtimeMs, ctimeMs, ino, mode });
const listing = { files: [], folders: [] };

/** The paths of a list as the worker reads them: UTF-8, each ended by a NUL. */
function pathsOf(list: PrefetchList | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const text = Buffer.from(list.bytes).toString('utf8');
  expect(text.endsWith('\0')).toBe(true);
  return text.slice(0, -1).split('\0');
}

describe('FileStamps: the paths the worker stats', () => {
  /** Stamps restored as from the cache file: `files` files and the folders `folders`. */
  function restored(files: readonly string[], folders: readonly string[]): FileStamps {
    const stamps = new FileStamps(real);
    for (const path of files) stamps.restore(path, { content: 'kind: A\n', ...stat });
    for (const folder of folders) stamps.folders.restore(folder, { mtimeMs: 1, ctimeMs: 1, ino: 1, listing });
    return stamps;
  }

  it('places folders first, then files, each stamp at its own slot', () => {
    const files = Array.from({ length: 5_000 }, (_, i) => `b/file-${i}.yaml`);
    const stamps = restored(files, ['', 'b']);
    stamps.prefetch();
    expect(pathsOf(stamps.placedPaths())).toEqual(['', 'b', ...files]);
    expect([...stamps.folders.entries()].map(([folder, stamp]) => [folder, stamp.slot])).toEqual([['', 0], ['b', 1]]);
    expect([...stamps.entries()].slice(0, 2).map(([path, stamp]) => [path, stamp.slot])).toEqual([['b/file-0.yaml', 2], ['b/file-1.yaml', 3]]);
  });

  it('keeps the list while at most 256 stamps came without a slot or lost theirs, and places the paths again past that', async () => {
    // More than the 5,000 stamps from which a worker is asked, with 200 fewer too.
    const files = Array.from({ length: 5_200 }, (_, i) => `file-${i}.yaml`);
    const stamps = restored(files, ['']);
    stamps.prefetch();
    const first = stamps.placedPaths();
    // Stamped again: the same path keeps its slot.
    writeFileSync(join(real, 'file-7.yaml'), 'kind: A\n');
    await sleep(120);
    stamps.record('file-7.yaml', 'kind: A\n');
    expect(new Map(stamps.entries()).get('file-7.yaml')?.slot).toBe(8);
    // 200 files found missing (their slots lost) and 56 new stamps (without a slot): 256 in all.
    for (const path of files.slice(200, 400)) stamps.record(path, 'kind: A\n');
    for (let i = 0; i < 56; i += 1) stamps.restore(`new-${i}.yaml`, { content: 'kind: A\n', ...stat });
    stamps.prefetch();
    expect(stamps.placedPaths()).toBe(first);
    expect(new Map(stamps.entries()).get('new-0.yaml')?.slot).toBe(NO_SLOT);
    // One more drifts: every path is placed again, those of the gone files no more.
    stamps.restore('new-56.yaml', { content: 'kind: A\n', ...stat });
    stamps.prefetch();
    const again = stamps.placedPaths();
    expect(again).not.toBe(first);
    expect(again?.all).toBe(1 + 5_000 + 57);
    expect(new Map(stamps.entries()).get('new-0.yaml')?.slot).toBe(1 + 5_000);
  });

  it('puts back a kept list with the stamps\' kept slots: the next prefetch places nothing, and the drift counts unplaced stamps, places no stamp holds and slots out of their part', () => {
    const files = Array.from({ length: 5_000 }, (_, i) => `b/file-${i}.yaml`);
    const placedBefore = restored(files, ['', 'b']);
    placedBefore.prefetch();
    const kept = placedBefore.placedPaths() as PrefetchList;
    const stamps = new FileStamps(real);
    // As the cache file gives them back: each with its slot, one file without, one file gone, one folder's slot out of the folders' part.
    files.forEach((path, i) => {
      if (i === 1) return;
      stamps.restore(path, { content: 'kind: A\n', ...stat }, i === 0 ? NO_SLOT : 2 + i);
    });
    stamps.restore('c/new.yaml', { content: 'kind: A\n', ...stat });
    stamps.folders.restore('', { mtimeMs: 1, ctimeMs: 1, ino: 1, listing }, 0);
    stamps.folders.restore('b', { mtimeMs: 1, ctimeMs: 1, ino: 1, listing }, 2);
    const list = restoredPrefetchList(Buffer.from(kept.bytes), kept.folders, kept.all);
    stamps.restorePlaced(list);
    expect(pathsOf(list)).toEqual(['', 'b', ...files]);
    expect(list.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(new Map(stamps.folders.entries()).get('b')?.slot).toBe(NO_SLOT);
    expect(new Map(stamps.entries()).get('b/file-2.yaml')?.slot).toBe(4);
    // Files: file-0 and c/new.yaml without a slot, file-0's and file-1's places held by no stamp; folders: b without, and its place.
    expect([stamps.folders.drift, (stamps as unknown as { drift: number }).drift]).toEqual([2, 4]);
    stamps.prefetch();
    expect(stamps.placedPaths()).toBe(list);
  });

  it('encodes a path that is not ASCII as UTF-8, and the worker stats it', async () => {
    writeFileSync(join(real, 'é.yaml'), 'kind: A\n');
    const list = prefetchList(['', 'ü'], ['a.yaml', 'é.yaml']);
    expect(pathsOf(list)).toEqual(['', 'ü', 'a.yaml', 'é.yaml']);
    const prefetch = new StatPrefetch(real, list);
    await reached(prefetch, 3);
    expect(prefetch.matches(3, pick(lstatSync(join(real, 'é.yaml'))))).toBe(true);
  });
});

describe('StatPrefetch', () => {
  it('gives nothing for a path the worker has not reached: the writer stats it itself rather than wait', () => {
    const paths = Array.from({ length: 20_000 }, (_, i) => `file-${i}.yaml`);
    const prefetch = new StatPrefetch(real, prefetchList([], paths));
    // Asked at once: the worker has not even started.
    expect(prefetch.matches(19_999, stat)).toBeUndefined();
  });

  it('matches a file with the stat lstat gives, to each field; a folder or a missing file matches nothing; no slot is not known', async () => {
    writeFileSync(join(real, 'a.yaml'), 'kind: A\n');
    mkdirSync(join(real, 'folder'));
    const prefetch = new StatPrefetch(real, prefetchList([], ['a.yaml', 'folder', 'gone.yaml']));
    await reached(prefetch, 2);
    const { size, mtimeMs, ctimeMs, ino, mode } = lstatSync(join(real, 'a.yaml'));
    const taken = { size, mtimeMs, ctimeMs, ino, mode };
    expect(prefetch.matches(0, taken)).toBe(true);
    for (const field of ['size', 'mtimeMs', 'ctimeMs', 'ino', 'mode'] as const) expect(prefetch.matches(0, { ...taken, [field]: taken[field] + 1 }), field).toBe(false);
    expect(prefetch.matches(1, taken)).toBe(false);
    expect(prefetch.matches(2, taken)).toBe(false);
    expect(prefetch.matches(2, { ...taken, size: -1 })).toBe(false);
    expect(prefetch.matches(NO_SLOT, taken)).toBeUndefined();
    expect(prefetch.matches(3, taken)).toBeUndefined();
  });

  it('serves the next prefetch of the same paths too, with the stats of its own time', async () => {
    writeFileSync(join(real, 'a.yaml'), 'kind: A\n');
    writeFileSync(join(real, 'b.yaml'), 'kind: B\n');
    const paths = prefetchList([], ['a.yaml', 'b.yaml']);
    const first = new StatPrefetch(real, paths);
    await reached(first, 1);
    const before = pick(lstatSync(join(real, 'b.yaml')));
    writeFileSync(join(real, 'b.yaml'), 'kind: B, longer\n');
    // The worker keeps the list it was sent; this prefetch sends none.
    const second = new StatPrefetch(real, paths);
    await reached(second, 1);
    const after = pick(lstatSync(join(real, 'b.yaml')));
    expect([before.size, after.size]).toEqual([8, 16]);
    expect(first.matches(1, before)).toBe(true);
    expect(second.matches(1, before)).toBe(false);
    expect(second.matches(1, after)).toBe(true);
    expect(second.matches(0, pick(lstatSync(join(real, 'a.yaml'))))).toBe(true);
  });

  it('gives each folder asked its stat, and nothing for a file, a missing folder, a file slot or no slot', async () => {
    writeFileSync(join(real, 'a.yaml'), 'kind: A\n');
    mkdirSync(join(real, 'folder'));
    const prefetch = new StatPrefetch(real, prefetchList(['', 'folder', 'a.yaml', 'gone'], ['a.yaml']));
    // Folders come first: once the one file is reached, every folder is.
    await reached(prefetch, 4);
    for (const [slot, path] of [[0, real], [1, join(real, 'folder')]] as const) {
      const stat = lstatSync(path);
      expect(prefetch.folder(slot)).toEqual({ mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino });
    }
    expect(prefetch.folder(2)).toBeUndefined();
    expect(prefetch.folder(3)).toBeUndefined();
    expect(prefetch.folder(4)).toBeUndefined();
    expect(prefetch.folder(NO_SLOT)).toBeUndefined();
    expect(prefetch.matches(4, pick(lstatSync(join(real, 'a.yaml'))))).toBe(true);
    // A folder's slot is no file's.
    expect(prefetch.matches(1, pick(lstatSync(join(real, 'folder'))))).toBeUndefined();
  });
});

describe('FileStamps with stats taken during the render', () => {
  it('holds the unchanged files and not the edited, deleted or re-moded ones', async () => {
    // Enough files for the stamps to ask a worker (PREFETCH_FROM).
    const paths = Array.from({ length: 5_000 }, (_, i) => `unit-${Math.floor(i / 100)}/file-${i}.yaml`);
    for (const path of paths) {
      mkdirSync(join(real, path, '..'), { recursive: true });
      writeFileSync(join(real, path), `index: ${path}\n`);
    }
    await sleep(120);
    const stamps = new FileStamps(real);
    for (const path of paths) stamps.record(path, `index: ${path}\n`);
    // Every file stamped before the edits: a file whose stat looked racy when it was recorded
    // (CI on a loaded machine once left one of the 5,000 unstamped, its clock apparently not
    // past the file's times plus the grain) is recorded again after a pause.
    const unstamped = () => paths.filter((path) => !stamps.holds(path, `index: ${path}\n`));
    for (let round = 0; round < 5 && unstamped().length > 0; round += 1) {
      await sleep(120);
      for (const path of unstamped()) stamps.record(path, `index: ${path}\n`);
    }
    expect(unstamped()).toEqual([]);
    const [edited, deleted, moded] = paths as [string, string, string];
    writeFileSync(join(real, edited), `index: ${edited.replace('file', 'fil3')}\n`);
    rmSync(join(real, deleted));
    chmodSync(join(real, moded), 0o755);
    stamps.prefetch();
    expect(paths.filter((path) => !stamps.holds(path, `index: ${path}\n`))).toEqual([edited, deleted, moded]);
  });
});

/** 5,000 files (enough for the stamps to ask a worker), written past the racy window and stamped. */
async function stampedFiles(): Promise<{ paths: string[]; stamps: FileStamps }> {
  const paths = Array.from({ length: 5_000 }, (_, i) => `file-${i}.yaml`);
  for (const path of paths) writeFileSync(join(real, path), `index: ${path}\n`);
  await sleep(120);
  const stamps = new FileStamps(real);
  for (const path of paths) stamps.record(path, `index: ${path}\n`);
  return { paths, stamps };
}

describe('FileStamps with stats taken during the render, an edit made during the render', () => {
  it('is seen by the next render, not this one: the stats are those of when the render started', async () => {
    const { paths, stamps } = await stampedFiles();
    stamps.prefetch();
    // The worker stats the first file within milliseconds; the edit comes well after.
    await sleep(500);
    writeFileSync(join(real, 'file-0.yaml'), 'index: edited during the render\n');
    expect(stamps.holds('file-0.yaml', 'index: file-0.yaml\n')).toBe(true);
    stamps.settle(new Map(paths.map((path) => [path, `index: ${path}\n`])), new Set());
    expect(stamps.holds('file-0.yaml', 'index: file-0.yaml\n')).toBe(false);
  });

  it('for a folder, a file added during the render is listed by the next render, not this one', async () => {
    const { paths, stamps } = await stampedFiles();
    expect(stamps.folders.tree()?.entries.size).toBe(5_000);
    stamps.prefetch();
    await sleep(500);
    writeFileSync(join(real, 'by-hand.yaml'), 'kind: ConfigMap\n');
    expect(stamps.folders.tree()?.entries.has('by-hand.yaml')).toBe(false);
    stamps.settle(new Map(paths.map((path) => [path, `index: ${path}\n`])), new Set());
    expect(stamps.folders.tree()?.entries.has('by-hand.yaml')).toBe(true);
  });
});

describe('FileStamps.holdsIfStatTaken', () => {
  it('answers from the worker stats, and says nothing for a file the worker has not reached', async () => {
    const { paths, stamps } = await stampedFiles();
    stamps.prefetch();
    // Asked at once: the worker has not started, so nothing is known without a stat of the writer's own.
    const last = paths[paths.length - 1] as string;
    expect(stamps.holdsIfStatTaken(last, `index: ${last}\n`)).toBeUndefined();
    // Known without a stat: no stamp, or other bytes.
    expect(stamps.holdsIfStatTaken('file-0.yaml', 'index: other bytes\n')).toBe(false);
    expect(stamps.holdsIfStatTaken('unstamped.yaml', 'kind: A\n')).toBe(false);
    await sleep(500);
    expect(stamps.holdsIfStatTaken(last, `index: ${last}\n`)).toBe(true);
  });

  it('without a worker (a small tree), stats the file itself', async () => {
    writeFileSync(join(real, 'a.yaml'), 'kind: A\n');
    await sleep(120);
    const stamps = new FileStamps(real);
    stamps.record('a.yaml', 'kind: A\n');
    stamps.prefetch();
    expect(stamps.holdsIfStatTaken('a.yaml', 'kind: A\n')).toBe(true);
    writeFileSync(join(real, 'a.yaml'), 'kind: B\n');
    expect(stamps.holdsIfStatTaken('a.yaml', 'kind: A\n')).toBe(false);
  });
});
