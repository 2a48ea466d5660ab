/**
 * Images pinned (kube-linter `latest-tag`, Polaris `tagNotSpecified`): every container's image
 * names a tag other than `latest`, or a digest. No tag at all pulls `latest`. A digest pins the
 * content whatever the tag says, so `name:latest@sha256:…` passes.
 */
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { ALL_CONTAINERS, containerName, containersOf, lintObject, lintWorkloads, type Finding, type WorkloadCheck } from './lint';
import type { PolicyProblem } from './problem';

/** The tag of an image reference; undefined when it has none (a registry port is no tag). */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  return colon < 0 ? undefined : lastPart.slice(colon + 1);
}

/** Why an image is not pinned; undefined when it is. */
export function unpinnedBecause(image: string): string | undefined {
  if (/@[a-z0-9]+([+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(image)) return undefined;
  const tag = imageTag(image);
  if (tag === undefined) return 'no tag, which pulls latest';
  if (tag === 'latest') return 'the tag latest';
  return undefined;
}

/** Every container's image pinned, of a workload object that does not waive it. */
const imageTags: WorkloadCheck = (_object, template) =>
  containersOf(template, ALL_CONTAINERS).flatMap(({ path, container }): Finding[] => {
    const image = container['image'];
    const because = typeof image === 'string' ? unpinnedBecause(image) : undefined;
    if (typeof image !== 'string' || because === undefined) return [];
    return [
      {
        path: `${path}.image`,
        message: `container ${containerName(container)}'s image must be pinned: expected a tag other than latest, or a digest; given ${JSON.stringify(image)} (${because})`,
      },
    ];
  });

export function imagesPinned(units: readonly RenderedUnit[]): PolicyProblem[] {
  return lintWorkloads(units, 'image-tag', imageTags);
}

/** The problems of one object of `unit` (the object's alone: the unit only names where it is). */
export function imagesPinnedIn(unit: RenderedUnit, object: ApiObjectJson): PolicyProblem[] {
  return lintObject(unit, object, 'image-tag', imageTags);
}
