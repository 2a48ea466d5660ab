/**
 * `twinops import`: regenerates `imports/` from the sources in `cdk8s.yaml`. Everything is built
 * in a staging folder next to `imports/` and swapped in at the end, so a failure leaves the
 * committed `imports/` untouched.
 */
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readImportSources } from './config';
import { CEL_DIR, CEL_RULES_FILE, buildCelRules } from './cel-rules';
import { generateConstructs } from './constructs';
import { crdBundle, groupCrds, parseCrds, type Crd } from './crds';
import { HELM_VALUES_DIR, helmValuesMirrorName } from './helm-values';
import { obtainSources } from './obtain';
import { buildSchemas, type ObtainedHelmValues, type SchemaIndex } from './schemas';

export interface ImportOptions {
  /** The folder holding `cdk8s.yaml`; `imports/` is written there. */
  readonly projectDir: string;
  /** A local folder mirroring the sources (offline); when absent, sources are downloaded. */
  readonly localFolder?: string;
  /** Progress lines (one per source, then one per step). */
  readonly progress?: (line: string) => void;
}

export interface ImportSummary {
  readonly sources: number;
  /** Generated construct modules, e.g. `traefik.io.ts`. */
  readonly modules: readonly string[];
  readonly crdKinds: number;
  readonly kubernetesKinds: number;
  readonly kubernetesVersion: string;
  /** Generated chart values schemas (`twinops.helmValues`). */
  readonly helmValuesSchemas: number;
  /** The CEL rules (`x-kubernetes-validations`) of the imported CRD versions, written to `imports/cel/rules.json`. */
  readonly celRules: { readonly total: number; readonly evaluated: number };
  readonly seconds: number;
  /** What cdk8s-cli printed. */
  readonly cdk8sLog: string;
}

export const IMPORTS_DIR = 'imports';
export const SCHEMAS_DIR = 'schemas';

export async function importAll(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const progress = options.progress ?? (() => {});
  const { crds: crdUrls, kubernetesDefinitions, helmValues } = await readImportSources(options.projectDir);
  const urls = [...crdUrls, kubernetesDefinitions, ...helmValues.map(chart => chart.url)];
  const obtained = await obtainSources(urls, {
    ...(options.localFolder === undefined ? {} : { localFolder: options.localFolder }),
    localNames: new Map(helmValues.map(chart => [chart.url, helmValuesMirrorName(chart)])),
    onSource: (source, index, total) =>
      progress(`[${index + 1}/${total}] ${source.url.split('/').pop()} ← ${source.origin} (${kilobytes(source.text)})`),
  });
  const crds: Crd[] = obtained.slice(0, crdUrls.length).flatMap(s => parseCrds(s.text, s.url));
  const kubernetes = obtained[crdUrls.length];
  if (kubernetes === undefined) throw new Error('internal: Kubernetes definitions not obtained');
  const charts: ObtainedHelmValues[] = helmValues.map((source, i) => {
    const text = obtained[crdUrls.length + 1 + i]?.text;
    if (text === undefined) throw new Error(`internal: values schema of ${source.chart} ${source.version} not obtained`);
    return { source, text };
  });
  const groups = groupCrds(crds);

  const staging = await mkdtemp(join(options.projectDir, `.twinops-tmp-${IMPORTS_DIR}-`));
  try {
    const outDir = join(staging, IMPORTS_DIR);
    await mkdir(join(outDir, SCHEMAS_DIR, HELM_VALUES_DIR), { recursive: true });
    const bundle = join(staging, 'crds.yaml');
    await writeFile(bundle, crdBundle(crds));
    progress(`generating constructs for ${groups.size} API groups (cdk8s import)`);
    const generated = await generateConstructs(bundle, outDir);
    progress(`generating strict validation schemas and ${charts.length} chart values schema${charts.length === 1 ? '' : 's'}`);
    const schemas = buildSchemas(kubernetes, crds, charts);
    for (const [file, content] of schemas.files) await writeFile(join(outDir, SCHEMAS_DIR, file), content);
    const cel = buildCelRules(crds);
    progress(`extracting ${cel.file.summary.rules} CEL rules (${cel.file.summary.evaluated} evaluated at synth)`);
    await mkdir(join(outDir, CEL_DIR));
    await writeFile(join(outDir, CEL_DIR, CEL_RULES_FILE), cel.text);
    await writeFile(join(outDir, 'README.md'), readme(groups, schemas.index));
    await swapIn(outDir, join(options.projectDir, IMPORTS_DIR), join(staging, 'previous'));
    return {
      sources: urls.length,
      modules: generated.files,
      crdKinds: schemas.crdKinds,
      kubernetesKinds: schemas.kubernetesKinds,
      kubernetesVersion: schemas.index.kubernetes.version,
      helmValuesSchemas: charts.length,
      celRules: { total: cel.file.summary.rules, evaluated: cel.file.summary.evaluated },
      seconds: (performance.now() - started) / 1000,
      cdk8sLog: generated.log,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Replaces `target` by `fresh` with two renames (same file system, so each is atomic). */
async function swapIn(fresh: string, target: string, parking: string): Promise<void> {
  const exists = await stat(target).then(() => true, () => false);
  if (exists) await rename(target, parking);
  try {
    await rename(fresh, target);
  } catch (cause) {
    if (exists) await rename(parking, target);
    throw cause;
  }
}

function readme(groups: ReadonlyMap<string, readonly Crd[]>, index: SchemaIndex): string {
  const kubernetesVersion = index.kubernetes.version;
  const rows = [...groups].map(([group, crds]) =>
    `| \`${group}.ts\` | ${crds.map(c => `${c.kind} (${c.versions.map(v => v.name).join(', ')})`).join(', ')} |`);
  const charts = Object.entries(index.helmValues).flatMap(([chart, versions]) =>
    Object.entries(versions).map(([version, { file, source }]) => `| ${chart} | ${version} | \`schemas/${file}\` | ${source} |`));
  return `# imports/ (generated)

Everything in this folder is generated by \`npm run import\` (\`twinops import\`) from the sources
listed in \`../cdk8s.yaml\`. Do not edit it by hand; regenerate it:

    npm run import                                  # downloads the pinned upstream URLs
    TWINOPS_CRD_DIR=../shared/crds npm run import   # offline, from a local mirror folder

- \`<api group>.ts\`: cdk8s constructs, one module per API group, made by the project's cdk8s-cli
  (\`cdk8s import\`). Core Kubernetes types come from \`cdk8s-plus-28\`, not from here.
- \`schemas/\`: strict JSON Schemas for offline validation (\`lib/render/validate.ts\`): Kubernetes
  ${kubernetesVersion} and one file per served CRD version; \`schemas/index.json\` maps
  \`apiVersion/Kind\` to its schema. Unknown fields are errors.
- \`schemas/${HELM_VALUES_DIR}/\`: the \`values.schema.json\` of each chart version in
  \`twinops.helmValues\`, normalized (annotations dropped, \`$id\` = the file); a HelmRelease of that
  chart and exact version has its \`spec.values\` checked against it. \`index.json\`'s \`helmValues\`
  maps chart → version → file and source.

| module | kinds (served versions) |
| --- | --- |
${rows.join('\n')}
${charts.length === 0 ? '' : `
| chart | version | values schema | source |
| --- | --- | --- | --- |
${charts.join('\n')}
`}`;
}

function kilobytes(text: string): string {
  return `${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`;
}
