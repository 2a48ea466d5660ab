/** The machine line of `twinops bench`: what the figures were measured on. */
import { readFileSync, statfsSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

/** Filesystem types by `statfs` magic number, for when /proc/mounts cannot be read. */
const MAGIC: Readonly<Record<number, string>> = {
  0x01021994: 'tmpfs',
  0xef53: 'ext4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x794c7630: 'overlay',
  0x6969: 'nfs',
};

/** One mount of /proc/mounts: where it is mounted, and its type and source. */
interface Mount {
  readonly point: string;
  readonly type: string;
  readonly source: string;
}

/** The mounts of /proc/mounts text (octal escapes such as `\040` decoded). */
export function parseMounts(text: string): Mount[] {
  const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 3)
    .map(([source = '', point = '', type = '']) => ({ source: unescape(source), point: unescape(point), type }));
}

/** The mount holding `path`: the longest mount point that is `path` or one of its parents. */
export function mountOf(mounts: readonly Mount[], path: string): Mount | undefined {
  const holds = (point: string) => point === '/' || path === point || path.startsWith(`${point}/`);
  return mounts.filter((mount) => holds(mount.point)).sort((a, b) => b.point.length - a.point.length)[0];
}

/** `tmpfs (tmpfs on /dev/shm)` or `ext4 (/dev/sda1 on /)`; the statfs type when /proc/mounts is unreadable. */
export function filesystemOf(dir: string): string {
  const path = resolve(dir);
  try {
    const mount = mountOf(parseMounts(readFileSync('/proc/mounts', 'utf8')), path);
    if (mount !== undefined) return `${mount.type} (${mount.source} on ${mount.point})`;
  } catch {
    // Not Linux: fall back to the type number.
  }
  try {
    const type = statfsSync(path).type;
    return MAGIC[type] ?? `type 0x${type.toString(16)}`;
  } catch {
    return 'unknown';
  }
}

/** `machine: <CPU model>, 2 cores, 24.1 GB memory, Node v20.x, --dir /tmp on ext4 (...)`. */
export function machineLine(dir: string): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${(totalmem() / 1e9).toFixed(1)} GB memory`;
  return `machine: ${model}, ${availableParallelism()} cores, ${memory}, Node ${process.version}, --dir ${dir} on ${filesystemOf(dir)}\n`;
}
