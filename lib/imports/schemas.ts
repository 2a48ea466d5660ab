/**
 * The strict validation schemas of `imports/schemas/`: one file for the Kubernetes API (every
 * definition with `x-kubernetes-group-version-kind` is a kind), one file per served CRD version,
 * the values schemas of the charts in `twinops.helmValues`, and `index.json` mapping
 * `apiVersion/Kind` (and chart/version) to the schema that validates it.
 */
import type { HelmValuesSource } from './config';
import { compareCodePoints, stableStringify } from './stable-json';
import { isObject, type Crd, type JsonObject } from './crds';
import { helmValuesFile, helmValuesSchema, type HelmValuesIndex } from './helm-values';
import { INT_OR_STRING, strictify } from './strictify';

/** `index.json`: what `lib/render/validate.ts` reads. */
export interface SchemaIndex {
  /** `apiVersion/Kind` → `<file>` or `<file>#<JSON pointer>`, relative to `imports/schemas/`. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly kubernetes: { readonly version: string; readonly file: string; readonly source: string };
  /** Source URL → the `apiVersion/Kind`s it defines. */
  readonly sources: Readonly<Record<string, readonly string[]>>;
  /** Chart → exact version → its values schema (`helm-values/<chart>-<version>.json`) and source URL. */
  readonly helmValues: HelmValuesIndex;
}

/** A chart's `values.schema.json` as obtained, with the `cdk8s.yaml` entry it answers. */
export interface ObtainedHelmValues {
  readonly source: HelmValuesSource;
  readonly text: string;
}

export interface SchemaFiles {
  /** File name (relative to `imports/schemas/`) → content. */
  readonly files: ReadonlyMap<string, string>;
  readonly index: SchemaIndex;
  readonly kubernetesKinds: number;
  readonly crdKinds: number;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/** Kubernetes accepts `cpu: 1` as well as `cpu: "500m"`. */
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING_DEFINITION = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

export function buildSchemas(
  kubernetes: { readonly url: string; readonly text: string },
  crds: readonly Crd[],
  charts: readonly ObtainedHelmValues[] = [],
): SchemaFiles {
  const version = kubernetesVersion(kubernetes.url);
  const k8sFile = `kubernetes-${version}.json`;
  const definitions = parseDefinitions(kubernetes.text, kubernetes.url);
  const kinds: Record<string, string> = {};
  const sources: Record<string, string[]> = { [kubernetes.url]: [] };

  for (const name of Object.keys(definitions).sort(compareCodePoints)) {
    for (const gvk of groupVersionKinds(definitions[name])) {
      kinds[gvk] ??= `${k8sFile}#/definitions/${name}`;
      sources[kubernetes.url]?.push(gvk);
    }
  }
  const kubernetesKinds = Object.keys(kinds).length;
  if (definitions[OBJECT_META] === undefined) throw new Error(`${kubernetes.url}: no ${OBJECT_META} definition`);

  const files = new Map<string, string>();
  files.set(k8sFile, stableStringify(strictify({ $id: k8sFile, definitions: withScalars(definitions) })) + '\n');
  const objectMeta = { $ref: `${k8sFile}#/definitions/${OBJECT_META}` };
  for (const crd of crds) {
    for (const { name, schema } of crd.versions) {
      const gvk = `${crd.group}/${name}/${crd.kind}`;
      if (kinds[gvk] !== undefined) throw new Error(`${crd.source}: ${gvk} is defined twice (${kinds[gvk]})`);
      const file = `${crd.group}_${name}_${crd.kind}.json`;
      kinds[gvk] = file;
      (sources[crd.source] ??= []).push(gvk);
      files.set(file, stableStringify(crdSchema(file, schema, objectMeta)) + '\n');
    }
  }

  const helmValues: Record<string, Record<string, { file: string; source: string }>> = {};
  for (const { source, text } of charts) {
    const file = helmValuesFile(source);
    files.set(file, stableStringify(helmValuesSchema(source, text)) + '\n');
    (helmValues[source.chart] ??= {})[source.version] = { file, source: source.url };
  }

  const index: SchemaIndex = {
    kinds,
    kubernetes: { version, file: k8sFile, source: kubernetes.url },
    sources: Object.fromEntries(Object.entries(sources).map(([url, list]) => [url, list.sort(compareCodePoints)])),
    helmValues,
  };
  files.set('index.json', stableStringify(index, 1) + '\n');
  return { files, index, kubernetesKinds, crdKinds: Object.keys(kinds).length - kubernetesKinds };
}

/** A CRD version's schema, strict, with `metadata` validated as the Kubernetes ObjectMeta. */
export function crdSchema(id: string, schema: JsonObject, objectMeta: JsonObject): JsonObject {
  const strict = strictify(schema);
  const properties = isObject(strict['properties']) ? strict['properties'] : {};
  const metadata = isObject(schema['properties']) ? schema['properties']['metadata'] : undefined;
  // A CRD may constrain metadata further (a name's length, say): keep that next to ObjectMeta.
  const extra = isObject(metadata) && isObject(metadata['properties'])
    ? strictify({ allOf: [metadata] })['allOf']
    : [];
  properties['metadata'] = Array.isArray(extra) && extra.length > 0 ? { allOf: [objectMeta, ...extra] } : objectMeta;
  return { ...strict, $id: id, properties, type: 'object' };
}

/** `1.28` from `.../kubernetes-schemas/v1.28.0/_definitions.json`. */
export function kubernetesVersion(url: string): string {
  const match = /\/v(\d+)\.(\d+)\.\d+\//.exec(url);
  if (match === null) throw new Error(`${url}: cannot tell the Kubernetes version (expected a /vX.Y.Z/ folder)`);
  return `${match[1]}.${match[2]}`;
}

function parseDefinitions(text: string, url: string): Record<string, JsonObject> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${url}: invalid JSON: ${(cause as Error).message}`, { cause });
  }
  const definitions = isObject(parsed) ? parsed['definitions'] : undefined;
  if (!isObject(definitions)) throw new Error(`${url}: expected an object with "definitions"`);
  return definitions as Record<string, JsonObject>;
}

function groupVersionKinds(definition: JsonObject | undefined): string[] {
  const list = definition?.['x-kubernetes-group-version-kind'];
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map(({ group, version, kind }) =>
    `${group === '' ? '' : `${String(group)}/`}${String(version)}/${String(kind)}`);
}

/** Quantity and IntOrString as the API server accepts them, whatever the source wrote. */
function withScalars(definitions: Record<string, JsonObject>): Record<string, JsonObject> {
  return {
    ...definitions,
    [QUANTITY]: { type: ['number', 'string'] },
    [INT_OR_STRING_DEFINITION]: { type: [...INT_OR_STRING] },
  };
}
