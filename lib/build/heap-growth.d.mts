/** The factor's percent over 1: the old generation may grow to 1.5 times what the last full collection kept. */
export declare const HEAP_GROWING_PERCENT: number;
/** Sets V8's heap growing factor for this process unless node was given one; whether it set it. */
export declare function limitHeapGrowth(execArgv?: readonly string[]): boolean;
