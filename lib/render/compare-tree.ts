/**
 * How an output folder differs from a render held in memory, read without writing: what
 * `check` reports. It asks the writer's own planner (`computeChanges`), so "identical" means what
 * the writer means by unchanged (same bytes, a regular file, not executable: the mode Git
 * records), the marker counts as a rendered file, and the files synth keeps as someone else's
 * (`preserve`: the `flux-system/` folders of cluster entries) are neither compared nor listed.
 * Folders are not compared: Git does not record an empty one.
 */
import type { Content } from './content';
import { statSync } from 'node:fs';
import { UserError } from '../errors';
import { computeChanges, type Preserve } from './write';

/** What differs, as paths relative to the folder with `/`, each list sorted. */
export interface TreeDifference {
  /** Rendered files the folder holds with other bytes, an executable bit, or as a non-file (a link). */
  readonly stale: readonly string[];
  /** Rendered files the folder lacks. */
  readonly missing: readonly string[];
  /** Files of the folder the render does not produce (preserved ones left out). */
  readonly extra: readonly string[];
  /** How many rendered files the folder holds exactly. */
  readonly identical: number;
}

/** No stale, missing or extra file. */
export function isIdentical(difference: TreeDifference): boolean {
  return difference.stale.length + difference.missing.length + difference.extra.length === 0;
}

/**
 * Refuses a path that exists but is not a folder (links followed, as the writer follows them),
 * before anything reads below it; `shown` is the path as the user gave it.
 */
export function requireFolderOrAbsent(folder: string, shown: string = folder): void {
  const stat = statSync(folder, { throwIfNoEntry: false });
  if (stat !== undefined && !stat.isDirectory()) {
    throw new UserError(`${shown} is not a folder; expected the rendered tree to compare with (a folder, or absent)`);
  }
}

/**
 * Compares the folder `distDir` (absent counts as empty; see `requireFolderOrAbsent`) with `files`
 * (relative path → content, the marker excluded: it is added here as the writer adds it). Reads only.
 */
export function compareTree(distDir: string, files: ReadonlyMap<string, Content>, preserve: Preserve): TreeDifference {
  const changes = computeChanges(distDir, files, preserve);
  return { stale: changes.changed, missing: changes.added, extra: changes.removed, identical: changes.unchanged.length };
}
