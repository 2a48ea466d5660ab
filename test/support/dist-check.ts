/**
 * What makes a rendered tree buildable by Flux, Argo CD and kubectl: a kustomization.yaml in every
 * folder holding objects, and each one building exactly the objects whose files it lists. A
 * `flux-system/` folder (written by `flux bootstrap`, listed by its cluster entry) is Flux's own:
 * it is built as part of its entry but its files are not twinops objects.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

const isBootstrap = (path: string) => path.split('/').includes('flux-system');

/** Folders with a kustomization.yaml, outside flux-system/. */
export function unitFolders(tree: ReadonlyMap<string, string>): string[] {
  return [...tree.keys()]
    .filter((path) => path.endsWith('/kustomization.yaml') && !isBootstrap(path))
    .map((path) => path.slice(0, -'/kustomization.yaml'.length));
}

/** Folders holding object files, outside flux-system/. */
export function objectFolders(tree: ReadonlyMap<string, string>): string[] {
  return [
    ...new Set(
      [...tree.keys()]
        .filter((path) => path.endsWith('.yaml') && !isBootstrap(path))
        .map((path) => path.slice(0, path.lastIndexOf('/'))),
    ),
  ];
}

/** `<kind>-<name>.yaml` of every object `kubectl kustomize` builds from `folder`. */
function builtFiles(folder: string): string[] {
  const built = execFileSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
  return parseAllDocuments(built).map((doc) => {
    const object = doc.toJS() as { kind: string; metadata: { name: string } };
    return `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
  });
}

/** What `kubectl kustomize <dist>/<folder>` builds, and the object files the folder lists itself. */
export function builtAndListed(dist: string, tree: ReadonlyMap<string, string>, folder: string): { built: string[]; listed: string[] } {
  const own = (path: string) => path.startsWith(`${folder}/`) && !path.slice(folder.length + 1).includes('/');
  const listed = [...tree.keys()].filter((path) => own(path) && !path.endsWith('/kustomization.yaml')).map((path) => path.slice(folder.length + 1));
  const bootstrap = tree.has(`${folder}/flux-system/kustomization.yaml`) ? builtFiles(join(dist, folder, 'flux-system')) : [];
  const built = builtFiles(join(dist, folder));
  for (const file of bootstrap) built.splice(built.indexOf(file), 1);
  return { built: built.sort(), listed: listed.sort() };
}
