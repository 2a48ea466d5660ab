/** Where a checkout keeps its render cache files: never committed. */
export declare const RENDER_CACHE_FOLDER: string;
/** The output folder of `synth` and `dr` when `--out` is not given. */
export declare const DEFAULT_OUT: string;
/** The cache file of the output folder whose real path is `real`, in `folder`. */
export declare function renderCacheFile(folder: string, real: string): string;
/** A render cache file being read on the thread pool: its path, and its bytes once read (undefined when it could not be read whole). */
export interface ReadAhead {
  readonly file: string;
  readonly bytes: Promise<Buffer | undefined>;
}
/** For `twinops synth …` in `cwd` from the checkout `root`: starts reading its render cache file; undefined for anything else. */
export declare function readAheadRenderCache(root: string, argv: readonly string[], cwd: string): ReadAhead | undefined;
/** Whether two stats of one open file show its bytes unchanged between them: the same size and modification time. */
export declare function sameFileStat(before: { readonly size: number; readonly mtimeMs: number }, after: { readonly size: number; readonly mtimeMs: number }): boolean;
