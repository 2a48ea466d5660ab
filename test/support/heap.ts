/** Heap measurement for tests of what the render keeps: retained bytes around full collections. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';

// A collector tests can call: what a structure keeps is measured as the heap it holds.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Heap bytes that `make`'s result holds (measured around two full collections). */
export function retainedBytes(make: () => unknown): number {
  collect();
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  collect();
  collect();
  const after = process.memoryUsage().heapUsed;
  expect(kept).toBeDefined();
  return after - before;
}
