/**
 * How far V8 lets the heap grow past what its last full collection kept, for a render that
 * renders every unit (issue 11, goal 4: memory).
 *
 * V8 sizes the old generation at each full collection: what it kept, times a factor it picks
 * between 1.1 and 4 from how fast collecting is against allocating, capped at 4 when the heap
 * limit is 2 GB or more (4 GB on the 24 GB development machine). A render of every unit keeps
 * what it renders until its end (the units' objects, the runbook's blocks, the render cache's
 * entries) and makes several times that in garbage on the way, so the factor sits at the cap:
 * `--trace-gc` of the 20k bench fleet showed one full collection keeping 51 MB and the next
 * at 214 MB. With 1.5, measured with `twinops bench` (`--heap-growing-percent=0` for V8's own
 * choice) on the 2-core development machine: peak RSS per object 7.6-9.1 KB against 10.2-10.4
 * at 20k (three runs each) and 7.0-7.2 KB against 8.7 at 40k (two each); the fresh render
 * 4.51-4.62 s against 4.10-4.37 s at 20k, 8.71-8.73 s against 8.64-8.92 s at 40k. A render
 * that takes most units from the cache keeps V8's choice: there the extra collections cost
 * 15% of a one-app change (steady editing 262-280 ms against 219-246 ms at 20k) for little.
 */
import { setFlagsFromString } from 'node:v8';

/** The factor's percent over 1 while everything renders: the old generation may grow to 1.5 times what was kept. */
export const HEAP_GROWING_PERCENT = 50;

/** A factor given to node on the command line (`--heap-growing-percent`), which is left alone. */
function givenOnCommandLine(execArgv: readonly string[]): boolean {
  return execArgv.some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag));
}

/**
 * Sets V8's heap growing factor for a render that renders every unit (`everything`: 1.5) or
 * not (V8's own choice); V8 reads it each time it sizes the heap, so it holds from the next full
 * collection until the next render sets it. Whether it was set: a factor given to node on the
 * command line wins.
 */
export function heapGrowthFor(everything: boolean, execArgv: readonly string[] = process.execArgv): boolean {
  if (givenOnCommandLine(execArgv)) return false;
  // 0 is V8's default: no fixed factor.
  setFlagsFromString(`--heap-growing-percent=${everything ? HEAP_GROWING_PERCENT : 0}`);
  return true;
}
