/**
 * The labels twinops puts on every object of an app variant, and on the pods and claims it creates: who
 * manages it, which app it belongs to and which variant it is. The runbook and the policies find
 * a variant's pods by them (`-l twinops.dev/app=wordpress,twinops.dev/variant=dr`).
 */
import { sortedKeys } from '../json';
import type { ApiObjectJson } from '../model';
import { LABEL, type VariantKind } from './rules';
import { cloneJson, expand, getAt, isMap, setAt, type JsonMap } from './twin/paths';
import { ruleFor } from './twin/table';

/** The labels of one variant of `app`. */
export function variantLabels(app: string, kind: VariantKind): Record<string, string> {
  return { [LABEL.managedBy]: 'twinops', [LABEL.app]: app, [LABEL.variant]: kind };
}

/**
 * A copy of `object` with the variant's labels on its metadata and on every pod template the
 * rule table knows for its kind (a CronJob's job template too). The chart's own labels stay;
 * twinops' keys win, since they say what twinops rendered. Keys come out sorted as cdk8s sorts them.
 */
export function stampVariant(object: ApiObjectJson, app: string, kind: VariantKind): ApiObjectJson {
  const stamped = cloneJson(object) as JsonMap;
  const labels = variantLabels(app, kind);
  const podLabelPaths = ruleFor(object.apiVersion, object.kind)?.podLabels ?? [];
  const templates = [
    ...podLabelPaths.map((pattern) => pattern.replace(/\.metadata\.labels$/, '')),
    // The claims a StatefulSet creates carry the labels too, so the volume snapshot job finds them.
    ...(object.kind === 'StatefulSet' ? ['spec.volumeClaimTemplates[]'] : []),
  ];
  const parents = [['metadata', 'labels'], ...templates.flatMap((pattern) => expand(stamped, pattern).map((path) => [...path, 'metadata', 'labels']))];
  for (const path of parents) {
    const current = getAt(stamped, path);
    setAt(stamped, path, { ...(isMap(current) ? current : {}), ...labels });
  }
  return sortedKeys(stamped) as unknown as ApiObjectJson;
}
