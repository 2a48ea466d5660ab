/** The folders whose source files make up the program that renders. */
export declare const SOURCE_FOLDERS: readonly ['bin', 'charts', 'lib', 'imports'];
/** Files outside those folders that change the verdict: the compiler settings and the lock. */
export declare const SETTINGS_FILES: readonly ['tsconfig.json', 'tsconfig.synth.json', 'package-lock.json'];
/** sha256 (hex) over the path and content of every source file of SOURCE_FOLDERS and of SETTINGS_FILES in `root`. */
export declare function sourcesHash(root: string): string;
/** Where `stampedSourcesHash` keeps the last hash and the stat of each file it covered, relative to the project root. */
export declare const SOURCES_STAMPS_FILE: string;
/** `sourcesHash(root)`, answered from the files' stats when none changed since the last hash (kept in SOURCES_STAMPS_FILE). */
export declare function stampedSourcesHash(root: string): string;
