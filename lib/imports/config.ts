/**
 * The import sources, as `cdk8s.yaml` lists them: CRDs under `imports:` (what `cdk8s import`
 * reads), the Kubernetes API definitions under `twinops.kubernetesDefinitions` and the charts'
 * values schemas under `twinops.helmValues` (neither is a CRD, so both are kept away from
 * `cdk8s import`; cdk8s ignores unknown top-level keys).
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
  /** The charts whose values schema validates HelmRelease values, in `cdk8s.yaml` order (default: none). */
  readonly helmValues: readonly HelmValuesSource[];
}

/** One `twinops.helmValues` entry: the `values.schema.json` a chart version ships. */
export interface HelmValuesSource {
  /** The chart name, as a HelmRelease's `spec.chart.spec.chart` gives it, e.g. `traefik`. */
  readonly chart: string;
  /** The exact chart version, as a HelmRelease's `spec.chart.spec.version` pins it, e.g. `41.3.0`. */
  readonly version: string;
  /** URL of the chart's `values.schema.json` at that version (pinned to a tag or commit). */
  readonly url: string;
}

/** Helm's chart names: lower case letters, digits and dashes (they also name generated files). */
const CHART_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A SemVer version, optionally with a leading `v` (cert-manager's charts have one). */
const CHART_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/;
const HELM_VALUES_FIELDS = ['chart', 'version', 'url'] as const;

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
  return {
    crds: (imports as string[]).map(sourceOf),
    kubernetesDefinitions: definitions,
    helmValues: parseHelmValues(isRecord(twinops) ? twinops['helmValues'] : undefined, file),
  };
}

/** `twinops.helmValues`: absent means none; every problem of every entry is reported at once. */
function parseHelmValues(list: unknown, file: string): HelmValuesSource[] {
  if (list === undefined || list === null) return [];
  const where = `${file}: twinops.helmValues`;
  if (!Array.isArray(list)) throw new Error(`${where}: expected a list of {chart, version, url}, given ${describeValue(list)}`);
  const problems: string[] = [];
  const seen = new Set<string>();
  const sources: HelmValuesSource[] = [];
  for (const [index, entry] of list.entries()) {
    const at = `${where}[${index}]`;
    if (!isRecord(entry)) {
      problems.push(`${at}: expected a mapping with chart, version and url, given ${describeValue(entry)}`);
      continue;
    }
    for (const key of Object.keys(entry)) {
      if (!(HELM_VALUES_FIELDS as readonly string[]).includes(key)) problems.push(`${at}: unknown field "${key}" (expected ${HELM_VALUES_FIELDS.join(', ')})`);
    }
    const { chart, version, url } = entry;
    const before = problems.length;
    if (typeof chart !== 'string' || !CHART_NAME.test(chart)) {
      problems.push(`${at}.chart: expected a chart name (lower case letters, digits, dashes), given ${describeValue(chart)}`);
    }
    if (typeof version !== 'string' || !CHART_VERSION.test(version)) {
      problems.push(`${at}.version: expected an exact chart version such as 41.3.0, given ${describeValue(version)}`);
    }
    if (typeof url !== 'string' || url === '') problems.push(`${at}.url: expected the URL of the chart's values.schema.json, given ${describeValue(url)}`);
    if (problems.length > before) continue;
    const source = { chart, version, url } as HelmValuesSource;
    const key = `${source.chart} ${source.version}`;
    if (seen.has(key)) problems.push(`${at}: chart ${source.chart} version ${source.version} is listed twice`);
    seen.add(key);
    sources.push(source);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return sources;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return JSON.stringify(value);
}

/**
 * The source of an import spec. A `NAME:=` prefix is accepted for compatibility with cdk8s and
 * dropped: twinops names every module after its API group, because it merges a group's CRDs.
 */
export function sourceOf(spec: string): string {
  const at = spec.indexOf(MODULE_NAME_DELIMITER);
  return at < 0 ? spec : spec.slice(at + MODULE_NAME_DELIMITER.length);
}

