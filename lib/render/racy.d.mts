/** Whether a stat (its `mtimeMs` and `ctimeMs`), taken at `now` (ms since the epoch), may not show a change made since. */
export declare function racy(stat: { readonly mtimeMs: number; readonly ctimeMs: number }, now: number): boolean;
