/** The folders whose source files make up the program that renders. */
export declare const SOURCE_FOLDERS: readonly ['bin', 'charts', 'lib', 'imports'];
/** Files outside those folders that change the verdict: the compiler settings and the lock. */
export declare const SETTINGS_FILES: readonly ['tsconfig.json', 'tsconfig.synth.json', 'package-lock.json'];
/** sha256 (hex) over the path and content of every source file of SOURCE_FOLDERS and of SETTINGS_FILES in `root`. */
export declare function sourcesHash(root: string): string;
