/**
 * CustomResourceDefinition documents: parsed from a source, reduced to their served versions,
 * and bundled by API group for `cdk8s import`.
 */
import { parseAllDocuments } from 'yaml';
import { compareCodePoints } from './stable-json';

export type JsonObject = Record<string, unknown>;

export interface CrdVersion {
  readonly name: string;
  /** `spec.versions[].schema.openAPIV3Schema`. */
  readonly schema: JsonObject;
}

export interface Crd {
  /** The URL the CRD came from. */
  readonly source: string;
  readonly group: string;
  readonly kind: string;
  /** The served versions only: an unserved version cannot be applied. */
  readonly versions: readonly CrdVersion[];
  /** The CRD manifest with the unserved versions removed (what `cdk8s import` gets). */
  readonly manifest: JsonObject;
}

const CRD_API_VERSION = 'apiextensions.k8s.io/v1';

/** The CRDs of one source text (YAML, one or more documents). `source` names it in errors. */
export function parseCrds(text: string, source: string): Crd[] {
  const crds: Crd[] = [];
  for (const [index, document] of parseAllDocuments(text).entries()) {
    const where = `${source} (document ${index + 1})`;
    const error = document.errors[0];
    if (error !== undefined) throw new Error(`${where}: invalid YAML: ${error.message}`);
    const manifest: unknown = document.toJS();
    if (manifest === null || manifest === undefined) continue;
    crds.push(toCrd(manifest, source, where));
  }
  if (crds.length === 0) throw new Error(`${source}: no CustomResourceDefinition found`);
  return crds;
}

function toCrd(manifest: unknown, source: string, where: string): Crd {
  if (!isObject(manifest) || manifest['kind'] !== 'CustomResourceDefinition') {
    throw new Error(`${where}: expected a CustomResourceDefinition`);
  }
  if (manifest['apiVersion'] !== CRD_API_VERSION) {
    throw new Error(`${where}: expected apiVersion ${CRD_API_VERSION}, given ${String(manifest['apiVersion'])}`);
  }
  const spec = manifest['spec'];
  const names = isObject(spec) ? spec['names'] : undefined;
  const group = isObject(spec) ? spec['group'] : undefined;
  const kind = isObject(names) ? names['kind'] : undefined;
  const versions = isObject(spec) ? spec['versions'] : undefined;
  if (!isObject(spec) || typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(versions)) {
    throw new Error(`${where}: spec.group, spec.names.kind and spec.versions are required`);
  }
  const served = versions.filter(v => isObject(v) && v['served'] === true) as JsonObject[];
  if (served.length === 0) throw new Error(`${where}: ${group}/${kind} has no served version`);
  return {
    source,
    group,
    kind,
    versions: served.map(v => {
      const schema = isObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
      if (typeof v['name'] !== 'string' || !isObject(schema)) {
        throw new Error(`${where}: ${group}/${kind} version ${String(v['name'])} has no openAPIV3Schema`);
      }
      return { name: v['name'], schema };
    }),
    manifest: { ...manifest, spec: { ...spec, versions: served } },
  };
}

/** The CRDs grouped by API group, groups and kinds in sorted order. */
export function groupCrds(crds: readonly Crd[]): Map<string, Crd[]> {
  const groups = new Map<string, Crd[]>();
  const sorted = [...crds].sort(
    (a, b) => compareCodePoints(a.group, b.group) || compareCodePoints(a.kind, b.kind),
  );
  for (const crd of sorted) {
    const group = groups.get(crd.group) ?? [];
    if (group.some(other => other.kind === crd.kind)) {
      throw new Error(`${crd.group}/${crd.kind} is defined twice (${crd.source} and ${group[0]?.source})`);
    }
    group.push(crd);
    groups.set(crd.group, group);
  }
  return groups;
}

/**
 * One multi-document file holding every CRD: `cdk8s import` writes one module per API group of
 * a file, whereas importing the files one by one would overwrite a group's module with its
 * last CRD. JSON documents are valid YAML and keep the bundle exact.
 */
export function crdBundle(crds: readonly Crd[]): string {
  return [...groupCrds(crds).values()]
    .flat()
    .map(crd => `---\n${JSON.stringify(crd.manifest)}\n`)
    .join('');
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
