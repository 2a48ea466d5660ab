/** Where the bundles live, relative to the project root. */
export declare const PROGRAM_CACHE_DIR: string;
/** The bundle file of the program in `root` whose sources hash to `sources`. */
export declare function bundleFile(root: string, sources: string): string;
/** What cachedProgram found or did. */
export type CachedProgram =
  | { readonly status: 'cached' | 'built'; readonly file: string }
  /** `reason`: the error code and the folder that could not be written. */
  | { readonly status: 'unwritable'; readonly reason: string };
/** The cached bundle for `sources`, built with esbuild when there is none; throws esbuild's error when the sources do not build. */
export declare function cachedProgram(root: string, sources: string): Promise<CachedProgram>;
/** The bundle's exports, compiled with its V8 code cache; `save` writes the cache when there was none or V8 rejected it. With `sourceMaps`, Node's loader runs it (stack traces mapped to the sources). */
export declare function loadProgram(file: string, sourceMaps?: boolean): { readonly exports: unknown; readonly save: () => void };
