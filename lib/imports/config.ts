/**
 * The import sources, as `cdk8s.yaml` lists them: CRDs under `imports:` (what `cdk8s import`
 * reads) and the Kubernetes API definitions under `twinops.kubernetesDefinitions` (not a CRD, so
 * kept away from `cdk8s import`; cdk8s ignores unknown top-level keys).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isRecord } from '../json';

export const CONFIG_FILE = 'cdk8s.yaml';

/** The separator of cdk8s's `NAME:=SPEC` import syntax. */
const MODULE_NAME_DELIMITER = ':=';

export interface ImportSources {
  /** URLs of CustomResourceDefinition files (YAML), in `cdk8s.yaml` order. */
  readonly crds: readonly string[];
  /** URL of the Kubernetes OpenAPI `_definitions.json` (cdk8s-team/cdk8s `kubernetes-schemas/`). */
  readonly kubernetesDefinitions: string;
}

/** Reads the import sources from `<projectDir>/cdk8s.yaml`. */
export async function readImportSources(projectDir: string): Promise<ImportSources> {
  const file = join(projectDir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new Error(`cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  return parseImportSources(text, file);
}

/** Parses the text of a `cdk8s.yaml`; `file` names it in errors. */
export function parseImportSources(text: string, file = CONFIG_FILE): ImportSources {
  const config: unknown = parse(text);
  if (!isRecord(config)) throw new Error(`${file}: expected a mapping at the top level`);
  const imports = config['imports'];
  if (!Array.isArray(imports) || imports.length === 0 || !imports.every(i => typeof i === 'string')) {
    throw new Error(`${file}: "imports" must be a non-empty list of CRD URLs`);
  }
  const twinops = config['twinops'];
  const definitions = isRecord(twinops) ? twinops['kubernetesDefinitions'] : undefined;
  if (typeof definitions !== 'string' || definitions === '') {
    throw new Error(`${file}: "twinops.kubernetesDefinitions" must be the URL of the Kubernetes _definitions.json`);
  }
  return { crds: (imports as string[]).map(sourceOf), kubernetesDefinitions: definitions };
}

/**
 * The source of an import spec. A `NAME:=` prefix is accepted for compatibility with cdk8s and
 * dropped: twinops names every module after its API group, because it merges a group's CRDs.
 */
export function sourceOf(spec: string): string {
  const at = spec.indexOf(MODULE_NAME_DELIMITER);
  return at < 0 ? spec : spec.slice(at + MODULE_NAME_DELIMITER.length);
}

