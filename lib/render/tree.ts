/** Reading an existing output folder: what is in it, and whether a file already holds given bytes. */
import { closeSync, fstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { codeOf } from './write-error';

/** An existing entry below the folder that is not a folder. */
export interface Entry {
  /** A regular file (the only kind that can be unchanged); else a link, fifo, socket… */
  readonly regular: boolean;
}

/** What is below a folder: non-folders by relative path, folders parents first. */
export interface Tree {
  readonly entries: ReadonlyMap<string, Entry>;
  readonly folders: readonly string[];
}

/** Everything below `root` (links not followed); undefined if there is no `root`. */
export function listTree(root: string): Tree | undefined {
  const entries = new Map<string, Entry>();
  const folders: string[] = [];
  const visit = (dirents: Dirent[], folder: string, prefix: string): void => {
    for (const dirent of dirents) {
      const relative = prefix + dirent.name;
      if (dirent.isDirectory()) {
        const path = join(folder, dirent.name);
        folders.push(relative);
        visit(readdirSync(path, { withFileTypes: true }), path, `${relative}/`);
      } else {
        entries.set(relative, { regular: dirent.isFile() });
      }
    }
  };
  let top: Dirent[];
  try {
    top = readdirSync(root, { withFileTypes: true });
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  visit(top, root, '');
  return { entries, folders };
}

/** How much of a file `sameFile` and `sameFileText` read at a time. */
const CHUNK = 1 << 16;
/**
 * Reused by every `sameFile`: reading a large file into fresh memory cost as much as the rest of
 * the compare (page faults: 40 ms for the bench fleet's 11 MB runbook, measured).
 */
let scratch: Buffer | undefined;

/**
 * Whether the regular file at `path` holds exactly the bytes of `expected`, one chunk after the
 * other, and is not executable (the one mode bit Git records). One open, one fstat, reads of
 * 64 KB.
 */
export function sameFile(path: string, expected: readonly Uint8Array[]): boolean {
  let size = 0;
  for (const chunk of expected) size += chunk.length;
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.size !== size || (stat.mode & 0o111) !== 0) return false;
    scratch ??= Buffer.allocUnsafe(CHUNK);
    const buffer = scratch;
    let chunk = 0;
    let within = 0;
    for (let position = 0; position < size; ) {
      const want = Math.min(CHUNK, size - position);
      for (let read = 0; read < want; ) {
        const got = readSync(fd, buffer, read, want - read, position + read);
        if (got === 0) return false;
        read += got;
      }
      // The bytes read against the chunks they cover.
      for (let at = 0; at < want; ) {
        const part = expected[chunk] as Uint8Array;
        const take = Math.min(want - at, part.length - within);
        if (Buffer.compare(buffer.subarray(at, at + take), part.subarray(within, within + take)) !== 0) return false;
        at += take;
        within += take;
        // Past this chunk (and any empty ones after it).
        while (chunk < expected.length && within === (expected[chunk] as Uint8Array).length) {
          chunk += 1;
          within = 0;
        }
      }
      position += want;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * `sameFile` for text in parts, whose bytes are not kept (./content.ts): the bench fleet's 11 MB
 * runbook when its stamp does not hold. A part that is ASCII, as nearly every part is, is
 * compared with the bytes read as Latin-1 text (the same characters, for ASCII), so that only the
 * other parts are encoded. Encoding every part first took 80 ms of such a run, most of it the
 * page faults of 11 MB of new buffers (profiled).
 */
export function sameFileText(path: string, parts: readonly string[]): boolean {
  const sizes = parts.map((part) => Buffer.byteLength(part, 'utf8'));
  let size = 0;
  for (const bytes of sizes) size += bytes;
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.size !== size || (stat.mode & 0o111) !== 0) return false;
    scratch ??= Buffer.allocUnsafe(CHUNK);
    const buffer = scratch;
    let part = 0;
    let within = 0;
    // The UTF-8 of the part being compared, when it is not ASCII.
    let encoded: Buffer | undefined;
    const skipDone = () => {
      while (part < parts.length && within === sizes[part]) {
        part += 1;
        within = 0;
        encoded = undefined;
      }
    };
    skipDone();
    for (let position = 0; position < size; ) {
      const want = Math.min(CHUNK, size - position);
      for (let read = 0; read < want; ) {
        const got = readSync(fd, buffer, read, want - read, position + read);
        if (got === 0) return false;
        read += got;
      }
      for (let at = 0; at < want; ) {
        const text = parts[part] as string;
        const bytes = sizes[part] as number;
        const take = Math.min(want - at, bytes - within);
        // As many bytes as characters: every character is ASCII, one byte each.
        if (bytes === text.length) {
          if (buffer.toString('latin1', at, at + take) !== text.slice(within, within + take)) return false;
        } else {
          encoded ??= Buffer.from(text, 'utf8');
          if (Buffer.compare(buffer.subarray(at, at + take), encoded.subarray(within, within + take)) !== 0) return false;
        }
        at += take;
        within += take;
        skipDone();
      }
      position += want;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}
