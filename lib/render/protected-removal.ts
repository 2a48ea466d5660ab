/**
 * Destroy protection across renders (seed 000's `prevent_destroy`): a Cluster API cluster whose
 * rendered Cluster carries prune protection may not disappear from the render. Flux would leave
 * its objects in the management cluster, the machines running and unmanaged by Git; the way to
 * remove one is to lift the protection first, let Flux apply that, then remove the cluster.
 */
import type { Content } from './content';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../errors';
import { isRecord } from '../json';
import { FLUX_PRUNE_PROTECTION } from '../constructs/protect';

/** `<env>/<management>/capi/clusters/<cluster>/cluster-<cluster>.yaml`, relative to dist/. */
const CLUSTER_FILE = /^([^/]+)\/([^/]+)\/capi\/clusters\/([^/]+)\/cluster-\3\.yaml$/;

/** The Cluster files of the render in `distDir`, found by walking only the folders that can hold one. */
function renderedClusterFiles(distDir: string): string[] {
  const found: string[] = [];
  const list = (path: string) => (existsSync(join(distDir, path)) ? readdirSync(join(distDir, path), { withFileTypes: true }) : []);
  for (const env of list('').filter((entry) => entry.isDirectory())) {
    for (const cluster of list(env.name).filter((entry) => entry.isDirectory())) {
      const clusters = `${env.name}/${cluster.name}/capi/clusters`;
      for (const folder of list(clusters).filter((entry) => entry.isDirectory())) {
        const file = `${clusters}/${folder.name}/cluster-${folder.name}.yaml`;
        if (existsSync(join(distDir, file))) found.push(file);
      }
    }
  }
  return found.sort();
}

function isProtected(text: string): boolean {
  const object: unknown = parse(text);
  const annotations = isRecord(object) && isRecord(object.metadata) && isRecord(object.metadata.annotations) ? object.metadata.annotations : {};
  return Object.entries(FLUX_PRUNE_PROTECTION).every(([key, value]) => annotations[key] === value);
}

/**
 * Throws when a protected Cluster of the render in `distDir` is missing from `files` (the new
 * render, by path relative to dist/), naming each cluster and how to tear it down.
 */
export function refuseProtectedRemovals(distDir: string, files: ReadonlyMap<string, Content>): void {
  const removed = renderedClusterFiles(distDir)
    .filter((file) => !files.has(file) && isProtected(readFileSync(join(distDir, file), 'utf8')))
    .map((file) => CLUSTER_FILE.exec(file))
    .filter((match): match is RegExpExecArray => match !== null);
  if (removed.length === 0) return;
  const lines = removed.map(([, env, , cluster]) => `  - cluster ${cluster} of environment ${env}`);
  throw new UserError(
    [
      'refusing to remove protected Cluster API clusters from the render (their machines would keep running, unmanaged):',
      ...lines,
      'To tear one down: set `protect: false` on the cluster (keep it in the environment), render, merge and let Flux apply it;',
      'then remove the cluster from the environment and render again: Flux prunes its Cluster, and Cluster API deletes its machines.',
    ].join('\n'),
  );
}
