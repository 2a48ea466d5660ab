// The clock's grain, for the writer's stamps (./stamps.ts, ./folder-stamps.ts) and the stamps of
// the sources (../build/sources-hash.mjs): a change made in the same tick as the stat that
// stamped a file or folder leaves that stat as it was. So a stat that changed less than `RACY_MS`
// before it was taken is not trusted for a stamp (the file is compared by its bytes, the folder
// listed, the sources hashed, next time), as git treats "racily clean" entries. Plain
// JavaScript: the launcher hashes the sources before any TypeScript can be loaded. Types:
// ./racy.d.mts.

/**
 * How old a change must be for its stat to be trusted. Linux stamps times from a clock that
 * ticks every 1-10 ms (HZ 1000-100); file systems that keep whole seconds (ext3, HFS+) or two
 * (FAT) show times without a fraction, and get `COARSE_RACY_MS`.
 */
const RACY_MS = 50;
const COARSE_RACY_MS = 2_500;

/** Whether `stat`, taken at `now` (ms since the epoch), may not show a change made since. */
export function racy(stat, now) {
  const newest = Math.max(stat.mtimeMs, stat.ctimeMs);
  const coarse = stat.mtimeMs % 1000 === 0 && stat.ctimeMs % 1000 === 0;
  return now - newest < (coarse ? COARSE_RACY_MS : RACY_MS);
}
