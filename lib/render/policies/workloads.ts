/**
 * Where rendered objects keep their pods and claims, whoever rendered them: the pod template of
 * every workload kind (CronJob's sits under its job template), StatefulSet claim templates, and
 * how a Service's selector matches pod labels. The DR policies read these; one helper per job.
 */
import type { ApiObjectJson } from '../../model';
import { isRecord } from '../../json';

type Json = Record<string, unknown>;

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '');

/** The path from an object to its pod template (an object with `metadata` and `spec`), per workload kind. */
const POD_TEMPLATE_PATHS: readonly { readonly group: string; readonly kind: string; readonly path: readonly string[] }[] = [
  { group: '', kind: 'Pod', path: [] },
  { group: 'apps', kind: 'Deployment', path: ['spec', 'template'] },
  { group: 'apps', kind: 'ReplicaSet', path: ['spec', 'template'] },
  { group: 'apps', kind: 'StatefulSet', path: ['spec', 'template'] },
  { group: 'apps', kind: 'DaemonSet', path: ['spec', 'template'] },
  { group: 'batch', kind: 'Job', path: ['spec', 'template'] },
  { group: 'batch', kind: 'CronJob', path: ['spec', 'jobTemplate', 'spec', 'template'] },
];

/** A pod template inside a rendered object. */
export interface PodTemplate {
  /** Field path of the pod spec in the object, e.g. `spec.jobTemplate.spec.template.spec`. */
  readonly specPath: string;
  /** The pod spec (nodeSelector, tolerations, ...). */
  readonly spec: Json;
  /** The labels of the pods it creates. */
  readonly labels: Readonly<Record<string, string>>;
}

const at = (value: unknown, keys: readonly string[]): unknown =>
  keys.reduce<unknown>((current, key) => (isRecord(current) ? current[key] : undefined), value);

const joinPath = (keys: readonly string[]) => keys.join('.');

const stringMap = (value: unknown): Record<string, string> =>
  isRecord(value) ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {};

/** The pod template of a workload object; undefined for any other kind. */
export function podTemplateOf(object: ApiObjectJson): PodTemplate | undefined {
  const entry = POD_TEMPLATE_PATHS.find((candidate) => candidate.kind === object.kind && candidate.group === groupOf(object.apiVersion));
  if (entry === undefined) return undefined;
  const template = entry.path.length === 0 ? object : at(object, entry.path);
  const spec = at(template, ['spec']);
  if (!isRecord(spec)) return undefined;
  return { specPath: joinPath([...entry.path, 'spec']), spec, labels: stringMap(at(template, ['metadata', 'labels'])) };
}

/** A claim's storage class, at its field path: a PVC's own, or each StatefulSet claim template's. */
export interface ClaimClass {
  /** Field path of `storageClassName`, e.g. `spec.volumeClaimTemplates[0].spec.storageClassName`. */
  readonly path: string;
  /** The class named; undefined when the claim names none (the cluster's default class). */
  readonly storageClass: string | undefined;
}

const classAt = (spec: unknown): string | undefined => {
  const value = at(spec, ['storageClassName']);
  return typeof value === 'string' ? value : undefined;
};

/** The storage classes the claims of an object ask for: PVCs and StatefulSet claim templates. */
export function claimClassesOf(object: ApiObjectJson): ClaimClass[] {
  const group = groupOf(object.apiVersion);
  if (object.kind === 'PersistentVolumeClaim' && group === '') {
    return [{ path: 'spec.storageClassName', storageClass: classAt(object['spec']) }];
  }
  if (object.kind === 'StatefulSet' && group === 'apps') {
    const templates = at(object, ['spec', 'volumeClaimTemplates']);
    return (Array.isArray(templates) ? templates : []).map((template, index) => ({
      path: `spec.volumeClaimTemplates[${index}].spec.storageClassName`,
      storageClass: classAt(at(template, ['spec'])),
    }));
  }
  return [];
}

/** A core Service's label selector; undefined when it has none (it selects no pod by label). */
export function serviceSelectorOf(object: ApiObjectJson): Readonly<Record<string, string>> | undefined {
  if (object.kind !== 'Service' || groupOf(object.apiVersion) !== '') return undefined;
  const selector = stringMap(at(object, ['spec', 'selector']));
  return Object.keys(selector).length === 0 ? undefined : selector;
}

/** Whether a label selector (a plain map, as a Service's) matches a set of labels. */
export const selectorMatches = (selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);
