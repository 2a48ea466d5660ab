// How far V8 lets the heap grow past what the last full collection kept (issue 11, goal 4).
// Plain JavaScript: bin/twinops.mjs sets it first, before the program loads.
//
// V8 sizes the old generation at each full collection from what it kept, times a factor it
// picks between 1.1 and 4 from how fast collecting is against allocating; on a machine with
// 2 GB or more of heap limit (these 24 GB machines: 4 GB) the cap is 4. A fresh render keeps
// what it renders (the units' objects, the runbook's blocks, the render cache) and makes much
// more that dies soon, so the factor settles at the cap: a fresh 20k render kept ~60 MB and
// its heap reached 200 MB before V8 collected it. 1.5 instead, measured with `twinops bench`
// on the 2-core development machine, three runs each way at 20k and two at 40k: peak RSS per
// object 6.8-7.0 KB against 8.3-9.6 at 20k, 5.8-6.7 against 6.8-8.1 at 40k; the fresh render
// 4.22-4.32 s against 4.31-4.60 s at 20k (more collections, but each of less), a one-app change
// 398-415 ms against 364-451 ms, steady editing 206-249 ms against 198-221 ms. Lower (1.3)
// took less memory still and made the fresh render 5-15% slower.
import { setFlagsFromString } from 'node:v8';

/** The factor's percent over 1: the old generation may grow to 1.5 times what the last full collection kept. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets V8's heap growing factor for this process. V8 reads it each time it sizes the old
 * generation, so it holds from the next full collection on; a `--heap-growing-percent` given to
 * node on the command line wins.
 */
export function limitHeapGrowth(execArgv = process.execArgv) {
  if (execArgv.some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
