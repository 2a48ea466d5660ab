/**
 * Cluster entry folders that `flux bootstrap` wrote into and that no environment renders any
 * more (an environment or a cluster renamed or removed). The writer keeps their `flux-system/`
 * (it preserves `<env>/clusters/<cluster>/flux-system/…`, see `lib/synth.ts`) and removes the
 * rest, because that folder is the user's. But the cluster's Flux still reads that entry: pushed
 * as it is, it finds only `flux-system/` there and prunes every unit. So synth names each one.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The folder `flux bootstrap` writes into a cluster entry folder. */
export const FLUX_BOOTSTRAP_FOLDER = 'flux-system';

/** The sub-folders of `folder`, sorted; none when it is missing or not a folder. */
function subfolders(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Entry folders (`<env>/clusters/<cluster>`, relative to `distDir`) that hold a `flux-system/`
 * folder but are not in `renderedEntries` (the plan's `entryPath` of every cluster rendered), sorted.
 */
export function findOrphanedBootstraps(distDir: string, renderedEntries: ReadonlySet<string>): string[] {
  return subfolders(distDir).flatMap((env) =>
    subfolders(join(distDir, env, 'clusters'))
      .map((cluster) => `${env}/clusters/${cluster}`)
      .filter((entry) => !renderedEntries.has(entry) && isFolder(join(distDir, entry, FLUX_BOOTSTRAP_FOLDER))),
  );
}

/**
 * The warning for one orphaned entry: `shown` is the folder as the user sees it (e.g.
 * `dist/home/clusters/old`). One line: what was kept, why pushing it as it is would prune every
 * unit, and what to do for a rename and for a removal.
 */
export function orphanedBootstrapWarning(shown: string): string {
  return (
    `warning: ${shown}/ holds ${FLUX_BOOTSTRAP_FOLDER}/ but no environment renders that cluster entry any more ` +
    `(environment or cluster renamed or removed); ${FLUX_BOOTSTRAP_FOLDER}/ was kept, the rest removed. ` +
    'Do not push this as it is: Flux on that cluster still reads this folder and would prune every unit. ' +
    `Renamed: git mv ${shown}/${FLUX_BOOTSTRAP_FOLDER} into the new entry folder, run npm run synth again, push, ` +
    'then re-run flux bootstrap with --path at the new entry. ' +
    `Removed: run flux uninstall on that cluster first, then delete ${shown}/ by hand. ` +
    `See README "Bootstrap Flux at a cluster's entry folder".`
  );
}
