/**
 * The answer of the writer's path checks for the last set of paths that passed them. Checking
 * every produced path (its form, file/folder clashes) and listing the folders the paths keep
 * costs 60-100 ms on the bench fleet's 22,756 paths (issue 11), and after a one-app change the
 * set of paths is nearly always the one of the last render: the answer, a function of that set
 * only, cannot have changed. Comparing the sets costs one lookup per path (2-5 ms). Kept in the
 * render cache file (./unit-cache-file.ts), so a CLI run skips the checks as well.
 */
import type { Content } from './content';

export class CheckedPaths {
  private last: { readonly paths: ReadonlySet<string>; readonly kept: ReadonlySet<string> } | undefined;

  /** The folders kept by `files` and `preserved` when they are exactly the last paths that passed, else undefined. */
  public keptIfSame(files: ReadonlyMap<string, Content>, preserved: readonly string[]): ReadonlySet<string> | undefined {
    const last = this.last;
    if (last === undefined || last.paths.size !== files.size + preserved.length) return undefined;
    for (const path of files.keys()) if (!last.paths.has(path)) return undefined;
    for (const path of preserved) if (!last.paths.has(path)) return undefined;
    return last.kept;
  }

  /** Notes that `files` and `preserved` (disjoint) passed every check, keeping `kept`. */
  public remember(files: ReadonlyMap<string, Content>, preserved: readonly string[], kept: ReadonlySet<string>): void {
    this.last = { paths: new Set([...files.keys(), ...preserved]), kept };
  }

  public clear(): void {
    this.last = undefined;
  }

  /** The last paths that passed and the folders they keep, for the render cache file; undefined when none did. */
  public saved(): { readonly paths: ReadonlySet<string>; readonly kept: ReadonlySet<string> } | undefined {
    return this.last;
  }

  /** Puts back what the render cache file kept: a new process skips the checks of an unchanged set of paths too. */
  public restore(paths: ReadonlySet<string>, kept: ReadonlySet<string>): void {
    this.last = { paths, kept };
  }
}
