/** The arithmetic and layout of `twinops bench`'s report: pure, so tests pin exact values. */

/** `20,000`: thousands separated, as the README writes counts. */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Objects per second, rounded: `count` objects in `ms` milliseconds. */
export function perSecond(objects: number, ms: number): string {
  return ms <= 0 ? '∞' : count((objects / ms) * 1000);
}

/** `850 ms` under a second, `1.23 s` from a second on. */
export function duration(ms: number): string {
  return Math.round(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `12.4 MB` (10^6 bytes: the unit the figures use). */
export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** Kilobytes (10^3 bytes) per object, one decimal: the memory goal is ≤ 5 KB per object. */
export function kilobytesPerObject(bytes: number, objects: number): string {
  return objects <= 0 ? '-' : `${(bytes / objects / 1e3).toFixed(1)} KB`;
}

/** `a / b` as `0.42×`, two decimals; `-` when `b` is not a positive time. */
export function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(2)}×` : '-';
}

/**
 * The changes after the first, as steady editing sees them: `steady editing, 8 changes after the
 * first: median 452 ms, fastest 382 ms, slowest 611 ms` (the median of an even count is the
 * lower middle one: a time that was measured).
 */
export function steadyLine(ms: readonly number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  return `steady editing, ${sorted.length} changes after the first: median ${duration(lowerMedian(ms))}, fastest ${duration(sorted[0] ?? 0)}, slowest ${duration(sorted.at(-1) ?? 0)}\n`;
}

/** The median of times, the lower middle one of an even count: a time that was measured. */
export function lowerMedian(ms: readonly number[]): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1] ?? 0;
}

/**
 * What a render asked of the machine's cores: the process's CPU time (user and system, every
 * thread: the collector's helpers, the stat worker, the kernel's file work) over its wall time,
 * and the least wall time that work could take with every core busy throughout.
 */
export function cpuLine(title: string, cpuMs: number, wallMs: number, cores: number): string {
  const busy = wallMs > 0 ? (cpuMs / wallMs).toFixed(2) : '-';
  return `cpu (${title}): ${duration(cpuMs)} of user and system time in ${duration(wallMs)}, ${busy} cores busy on average; with all ${cores} cores busy throughout, the same work would take ${duration(cpuMs / cores)} at least\n`;
}

/** Part of a whole as a whole percentage: `37%`. */
export function share(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '-';
}

/**
 * Rows as an aligned table: the first column left-aligned, the others right-aligned (numbers),
 * columns separated by two spaces, no trailing spaces; every line ends with a newline.
 */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  const pad = (cell: string, i: number) => {
    const gap = ' '.repeat((widths[i] ?? 0) - [...cell].length);
    return i === 0 ? cell + gap : gap + cell;
  };
  return rows.map((row) => row.map(pad).join('  ').trimEnd() + '\n').join('');
}
