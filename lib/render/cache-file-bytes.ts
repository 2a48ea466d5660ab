/**
 * The render cache file's bytes on disk (./unit-cache-file.ts says what they hold): written into
 * the file the save before last left, in place, then renamed over the cache file; read whole, and
 * refused when the file changed during the read.
 *
 * Why in place: a save of the bench fleet's 40 MB file into a new file cost 100-370 ms, nearly
 * all of it the kernel handing the new file fresh pages (these VMs are slow at it); the same
 * bytes written over a file of that size took 6-15 ms (measured, ext4 and tmpfs alike). So the
 * file a save replaces is kept as `<file>.spare` (a hard link taken before the rename), and the
 * next save claims it by a rename, overwrites it and renames it into place. At every instant the
 * cache file is a whole version; the spare costs the disk one more copy of the file.
 *
 * Why a read checks the file: a reader holds the inode it opened, and that inode becomes the
 * spare once a save replaces it. A second save could then overwrite it while the first reader
 * still reads it. So a spare is claimed only once its last change is older than the clock's
 * grain (./racy.mjs), and a reader compares the file's size and modification time before and
 * after its read: an overwrite during the read then always shows as another modification time,
 * and the read is refused (the render is fresh: never wrong, only slower once).
 */
import { closeSync, fstatSync, ftruncateSync, linkSync, lstatSync, openSync, readSync, renameSync, rmSync, writevSync } from 'node:fs';
import { sameFileStat } from '../build/read-ahead.mjs';
import { racy } from './racy.mjs';

/** The file the save before last replaced, kept to be written over by the next save. */
export const spareOf = (file: string): string => `${file}.spare`;

/**
 * The file: the byte length of `serialized` (8 bytes, little endian), `serialized`, then `jsons`
 * (`jsonLength` bytes in all), by one `writev`. Written over what `path` holds, if anything, and
 * cut to the new length after: its pages are used again.
 */
export function writeCacheFile(path: string, serialized: Buffer, jsons: readonly Buffer[], jsonLength: number): void {
  const header = Buffer.alloc(8);
  header.writeBigUInt64LE(BigInt(serialized.length));
  const length = header.length + serialized.length + jsonLength;
  const fd = openForWriting(path);
  try {
    const written = writevSync(fd, [header, serialized, ...jsons], 0);
    if (written !== length) throw new Error(`short write of ${path}`);
    ftruncateSync(fd, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` with the bytes `writeCacheFile` writes, through `temporary` (beside it): the
 * spare claimed as `temporary` when there is one old enough, the file kept as the next spare.
 * Throws when it cannot; `temporary` is removed then, and `file` is as it was.
 */
export function replaceCacheFile(file: string, temporary: string, serialized: Buffer, jsons: readonly Buffer[], jsonLength: number): void {
  const keptSpare = `${spareOf(file)}.${process.pid}`;
  try {
    claimSpare(file, temporary);
    writeCacheFile(temporary, serialized, jsons, jsonLength);
    try {
      linkSync(file, keptSpare);
    } catch {
      // No file yet (the first save), or a file system without hard links: no spare this time.
    }
    renameSync(temporary, file);
    try {
      renameSync(keptSpare, spareOf(file));
    } catch {
      rmSync(keptSpare, { force: true });
    }
  } catch (error) {
    for (const leftover of [temporary, keptSpare]) {
      try {
        rmSync(leftover, { force: true });
      } catch {
        // Not a file (a folder in the way): left for the user; the cache file is whole.
      }
    }
    throw error;
  }
}

/** Renames the spare of `file` to `temporary` when its last change is older than the clock's grain; else makes `temporary` an empty file. */
function claimSpare(file: string, temporary: string): void {
  const spare = spareOf(file);
  const stat = lstatSync(spare, { throwIfNoEntry: false });
  if (stat?.isFile() && !racy(stat, Date.now())) {
    try {
      // Atomic: of two saves, one claims it; the other writes a new file.
      renameSync(spare, temporary);
      return;
    } catch {
      // Claimed by another save.
    }
  }
  closeSync(openSync(temporary, 'w', 0o644));
}

/**
 * The bytes of `path`, read whole; undefined when the file changed during the read (`afterRead`:
 * a hook for tests, called between the read and the second stat). Throws when it cannot be read.
 */
export function readCacheFileBytes(path: string, afterRead?: () => void): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const before = fstatSync(fd);
    const bytes = Buffer.allocUnsafeSlow(before.size);
    let read = 0;
    while (read < bytes.length) {
      const count = readSync(fd, bytes, read, bytes.length - read, read);
      if (count === 0) break;
      read += count;
    }
    afterRead?.();
    return read === before.size && sameFileStat(before, fstatSync(fd)) ? bytes : undefined;
  } finally {
    closeSync(fd);
  }
}

/** `path` opened to be written over from its start; created when it does not exist. */
function openForWriting(path: string): number {
  try {
    return openSync(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return openSync(path, 'w', 0o644);
  }
}
