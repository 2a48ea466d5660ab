/** Never committed (node_modules is ignored), so a fresh clone checks once. */
export declare const TYPE_CHECK_CACHE_DIR: string;
/** The hash of the sources at the last check that passed. */
export declare const STAMP_FILE: string;
/** What a check prints when it starts (a line). */
export declare const CHECKING: string;
/** What the final error line says when the check fails; the diagnostics come before it. */
export declare const NOT_TYPE_CHECKED: string;
/** The project's own TypeScript, not whatever `tsc` is on PATH. */
export declare const TSC: string;
/** What a checker found. */
export type TypeCheckResult =
  | { readonly status: 'passed' }
  /** `diagnostics`: tsc's output, one `file(line,col): error TS…` per problem, paths relative to the root. */
  | { readonly status: 'failed'; readonly diagnostics: string }
  /** `reason`: why no check could run (no TypeScript installed). */
  | { readonly status: 'unavailable'; readonly reason: string };
/** A type check under way: its verdict, waited for when it is not in yet. */
export interface RunningTypeCheck {
  result(): TypeCheckResult;
}
/** The hash of the last check that passed, or undefined (none yet, or a stamp that does not parse). */
export declare function readStamp(root: string): string | undefined;
/** Whether `twinops <argv>` type-checks before it renders (synth, check, diff, dr activate|sync|standby; never with --help). */
export declare function checksBeforeRendering(argv: readonly string[]): boolean;
/** Starts tsc over the program in `root` on a thread of its own; stopped at exit unless its result was taken. */
export declare function startTypeCheck(root: string): RunningTypeCheck;
