/**
 * The runbook's per-cluster blocks, kept between renders when the render cache is on
 * (`../cache/blocks.ts`): a one-app change re-writes the blocks of the clusters it touches, not
 * the whole document (issue 11). Without a cache, `clusterBlock` is a plain call.
 */
import type { BlockCache } from '../cache/blocks';

let cache: BlockCache | undefined;

/** Runs `work` (the runbook's sections) with its cluster blocks kept in `blocks`. */
export function withBlockCache<T>(blocks: BlockCache | undefined, work: () => T): T {
  const outer = cache;
  cache = blocks;
  try {
    return work();
  } finally {
    cache = outer;
  }
}

/**
 * Section `section`'s block for the cluster named `cluster`: a value (text, lines, or nothing)
 * computed by `compute` from the environment and the cluster's facts only through what it reads.
 */
export function clusterBlock<T extends string | readonly string[] | undefined>(section: string, cluster: string, compute: () => T): T {
  return cache === undefined ? compute() : cache.block(`${section}\u0000${cluster}`, compute);
}
