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
 * at 214 MB. With 1.5, measured on the 2-core development machine against V8's own choice
 * (`node --heap-growing-percent=0`, which this leaves alone), runs alternating:
 * - `twinops bench`, fresh render: peak RSS 7.5-7.7 KB per object against 8.1-10.4 at 20k (five
 *   runs each; median time 4.82 s against 4.55 s), 6.9 KB against 9.7-10.6 at 40k (two each);
 * - `synth` of that 20k fleet with an empty render cache (after a chart edit): 5.40-5.72 s and
 *   304-307 MB against 5.34-5.43 s and 346-369 MB (three each).
 * A render that takes units from the cache keeps V8's choice: its extra collections would
 * cost 15% of a one-app change for little (steady editing 262-280 ms against 219-246 ms at 20k
 * with the factor always at 1.5); `synth` after a one-app change: 1.05-1.17 s against
 * 1.00-1.10 s, the same peak RSS (four each).
 *
 * `--heap-growing-percent` is a V8 flag of its heap controller, in Node 20's V8 and in V8's
 * current sources alike; node's `v8.setFlagsFromString` is how a program sets one after start.
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
