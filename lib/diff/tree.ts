/**
 * A rendered tree read back into objects: the files of `dist/` (from git at the base, or from a
 * render in memory) grouped per environment into unit folders of parsed objects, so that both
 * sides of `twinops diff` are compared the same way, through the text synth writes.
 */
import { textOf, type Content } from '../render/content';
import { parse } from 'yaml';
import { isRecord } from '../json';
import type { ApiObjectJson, RenderedEnvironment, RenderedUnit } from '../model';
import { KUSTOMIZATION_FILE } from '../render/layout';
import { byCodeUnit } from '../render/files';
import { BOOTSTRAP_FOLDER } from '../synth';

/** Files of a tree: path relative to `dist/` (with `/`) → text. */
export type TreeFiles = ReadonlyMap<string, Content>;

/** Where a unit folder sits: environment, cluster, and the folder itself. */
export interface UnitPlace {
  readonly environment: string;
  readonly cluster: string;
  readonly unit: string;
}

/**
 * The environment and cluster of a unit folder: `<env>/<cluster>/…` for a cluster's units,
 * `<env>/clusters/<cluster>` for its entry (the Flux Kustomizations or Argo CD Applications).
 */
export function placeOf(unit: string): UnitPlace {
  const [environment = '', second = '', third = ''] = unit.split('/');
  return { environment, cluster: second === 'clusters' && third !== '' ? third : second, unit };
}

/**
 * Files `twinops diff` never compares: those outside every environment's folder (the output
 * folder's marker file) and `flux bootstrap`'s own.
 */
function ignored(path: string): boolean {
  return !path.includes('/') || new RegExp(`^[^/]+/clusters/[^/]+/${BOOTSTRAP_FOLDER}/`).test(path);
}

/** The YAML value of a file, or undefined when it does not parse. */
function parsed(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/** The API object a value is, or undefined when it is not one. */
function objectOf(value: unknown): ApiObjectJson | undefined {
  if (!isRecord(value) || typeof value['kind'] !== 'string' || typeof value['apiVersion'] !== 'string') return undefined;
  const metadata = value['metadata'];
  if (!isRecord(metadata) || typeof metadata['name'] !== 'string') return undefined;
  return value as ApiObjectJson;
}

/** A unit's `kustomization.yaml`: a listing derived from the unit's objects, not an object of the cluster. */
function isUnitListing(path: string, value: unknown): boolean {
  const apiVersion = isRecord(value) ? value['apiVersion'] : undefined;
  return path.endsWith(`/${KUSTOMIZATION_FILE}`) && typeof apiVersion === 'string' && apiVersion.startsWith('kustomize.config.k8s.io/');
}

/**
 * Every environment of a tree, by name: each `.yaml` file holding one API object belongs to the
 * unit of its folder; any other file (the runbook) is a document.
 */
export function readRenders(files: TreeFiles): Map<string, RenderedEnvironment> {
  const units = new Map<string, Map<string, ApiObjectJson[]>>();
  const documents = new Map<string, { path: string; content: string }[]>();
  for (const path of [...files.keys()].sort(byCodeUnit)) {
    if (ignored(path)) continue;
    const text = textOf(files.get(path) ?? '');
    const environment = path.split('/')[0] ?? '';
    const value = path.endsWith('.yaml') ? parsed(text) : undefined;
    if (isUnitListing(path, value)) continue;
    const object = objectOf(value);
    const folder = path.slice(0, path.lastIndexOf('/'));
    if (object === undefined || !folder.includes('/')) {
      documents.set(environment, [...(documents.get(environment) ?? []), { path, content: text }]);
      continue;
    }
    const byUnit = units.get(environment) ?? new Map<string, ApiObjectJson[]>();
    byUnit.set(folder, [...(byUnit.get(folder) ?? []), object]);
    units.set(environment, byUnit);
  }
  const names = [...new Set([...units.keys(), ...documents.keys()])].sort(byCodeUnit);
  return new Map(
    names.map((environment) => {
      const unitList: RenderedUnit[] = [...(units.get(environment) ?? new Map<string, ApiObjectJson[]>())].map(([path, objects]) => ({ path, objects }));
      return [environment, { environment, units: unitList, documents: documents.get(environment) ?? [] }];
    }),
  );
}

/** An environment with nothing in it: the other side of one that is added or removed. */
export function emptyRender(environment: string): RenderedEnvironment {
  return { environment, units: [], documents: [] };
}
