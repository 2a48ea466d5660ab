/**
 * The runbook of an environment (DESIGN.md "DR state and activation"): what Git cannot do,
 * written for the environment's actual names on every render: the DR state, data
 * resynchronisation per claim pair, DNS changes by hand, activation and failback, node failures
 * and a diagram. Pure and deterministic: the same environment and render give the same bytes.
 */
import type { BlockCache } from '../cache/blocks';
import { withReads } from '../cache/reads';
import type { Environment } from '../config/environment';
import { ConfigError, expectedGiven, formatPath, type ConfigPath } from '../config/errors';
import type { RenderedEnvironment } from '../model';
import { TextParts } from '../render/content';
import type { EnvironmentPlan } from '../plan';
import { bootstrapSection } from './bootstrap';
import { certificateLines } from './certificates';
import { credentialsSection, teardownSection } from './credentials';
import { contextsNote } from './contexts';
import { clusterBlock, withBlockCache } from './cluster-blocks';
import { code, text, type Blocks } from './markdown';
import { diagramSection } from './diagram';
import { dnsSection } from './dns-section';
import { clusterFacts, useComposedPlan, type ClusterFacts } from './facts';
import { nodesSection } from './nodes';
import { proceduresSection } from './procedures';
import { regionLossSection } from './region-loss';
import { resyncSection } from './resync';
import { snapshotsSection } from './snapshots';
import { hasControlCharacter, UnquotableValueError } from './shell';
import { stateSection } from './state';

/** Where the runbook of an environment goes, relative to `dist/`. */
export function runbookPath(env: Environment): string {
  return `${env.name}/RUNBOOK.md`;
}


/** A section's title and its Markdown anchor, for the contents line. */
type Entry = readonly [title: string, anchor: string];

function introduction(env: Environment, contents: readonly Entry[]): string {
  const description = env.description === undefined ? '' : `${text(env.description.trim())} `;
  return [
    `# Runbook: ${text(env.name)}`,
    '',
    `${description}This runbook holds what Git cannot do for the environment ${code(env.name)}: the current DR state, ` +
      'copying data between each app and its twin, the DNS changes external-dns does not make, failing over and back, ' +
      `and what to do when a node fails, written for this environment's actual names. twinops generates it from ` +
      `${code(`environments/${env.name}.yaml`)} and the rendered objects on every render: do not edit it; change the environment ` +
      `(or the charts) and regenerate it with ${code('npm run synth')}.`,
    ...(contextsNote(env) === undefined ? [] : ['', contextsNote(env) ?? '']),
    '',
    `Contents: ${contents.map(([title, anchor]) => `[${title}](#${anchor})`).join(' · ')}`,
  ].join('\n');
}

/**
 * The fields of the environment whose text ends up in `value` (the value itself or the name it
 * is part of) and holds a line break or control character: where an unquotable value came from.
 */
function fieldsHolding(node: unknown, value: string, path: ConfigPath = []): ConfigPath[] {
  if (typeof node === 'string') return hasControlCharacter(node) && value.includes(node) ? [path] : [];
  if (Array.isArray(node)) return node.flatMap((item, index) => fieldsHolding(item, value, [...path, index]));
  if (typeof node === 'object' && node !== null) {
    return Object.entries(node).flatMap(([key, item]) => fieldsHolding(item, value, [...path, key]));
  }
  return [];
}

/** The environment problem an unquotable value is: its field(s), what was expected and given. */
function unquotable(env: Environment, error: UnquotableValueError): ConfigError {
  const expected = 'a value without line breaks or control characters (the runbook pastes it into shell commands)';
  const given = JSON.stringify(error.value);
  const { file: _file, name: _name, ...content } = env;
  const paths = fieldsHolding(content, error.value);
  const problems = (paths.length > 0 ? paths : [[]]).map((path) => ({
    file: env.file,
    line: 0,
    column: 0,
    path: formatPath(path),
    expected,
    given,
    message: expectedGiven(expected, given, path.length > 0 ? undefined : 'a rendered name reaches the runbook'),
  }));
  return new ConfigError(problems, { cause: error });
}

export interface RunbookInputs {
  /** The render cache's blocks of this environment. */
  readonly blocks?: BlockCache;
  /** The plan the units were composed from (`ComposedEnvironment.plan`), else the runbook plans. */
  readonly plan?: EnvironmentPlan;
}

/**
 * Throws a `ConfigError` when a value pasted into a command cannot be quoted safely. With
 * `blocks` (the render cache), each cluster's block of each section is kept and reused while
 * what it read holds; `env` must then be the tracked environment the render reads.
 */
export function renderRunbook(env: Environment, rendered: RenderedEnvironment, inputs: RunbookInputs = {}): string {
  return runbookParts(env, rendered, inputs).text();
}

/** `renderRunbook`'s document in parts, as the writer takes it without joining them (../render/content.ts). */
export function runbookParts(env: Environment, rendered: RenderedEnvironment, { blocks, plan }: RunbookInputs = {}): TextParts {
  if (plan !== undefined) useComposedPlan(env, plan);
  try {
    if (blocks === undefined) return renderSections(env, rendered);
    const document = withBlockCache(blocks, () => withReads(blocks.level, () => renderSections(env, rendered)));
    blocks.finish();
    return document;
  } catch (error) {
    if (error instanceof UnquotableValueError) throw unquotable(env, error);
    throw error;
  }
}

/** Whether the DR Traefik can serve the prod hosts the moment it is activated, per cluster with an edge. */
function certificatesSection(clusters: readonly ClusterFacts[]): Blocks {
  const parts = clusters.map((facts) => clusterBlock('certificates', facts.cluster.name, () => certificateLines(facts).join('\n'))).filter((part) => part !== '');
  const none = 'No cluster has an edge: twinops serves nothing over HTTPS, so no certificate moves at failover.';
  return ['## Certificates', ...(parts.length === 0 ? [none] : parts)];
}

/**
 * The document: every part followed by a blank line, the last by a line break; in parts, never
 * joined here (see `Blocks` and ../render/content.ts): most are the cached blocks themselves.
 */
function documentOf(parts: Blocks): TextParts {
  const document: string[] = [];
  for (const part of parts) if (part !== undefined && part !== '') document.push(part, '\n\n');
  if (document.length === 0) return new TextParts(['\n']);
  document[document.length - 1] = '\n';
  return new TextParts(document);
}

function renderSections(env: Environment, rendered: RenderedEnvironment): TextParts {
  const clusters = clusterFacts(env, rendered);
  const snapshots = snapshotsSection(env, clusters);
  const teardown = teardownSection(env);
  const regionLoss = regionLossSection(env, clusters);
  const sections: readonly (readonly [Entry, Blocks])[] = [
    [['DR state', 'dr-state'], stateSection(env, clusters)],
    [['Data resynchronisation', 'data-resynchronisation'], resyncSection(env, clusters)],
    ...(snapshots === undefined ? [] : [[['Volume snapshots', 'volume-snapshots'], [snapshots]] as const]),
    [['DNS', 'dns'], dnsSection(clusters)],
    [['Certificates', 'certificates'], certificatesSection(clusters)],
    [['Activation and failback', 'activation-and-failback'], proceduresSection(env, clusters)],
    [['When a node fails', 'when-a-node-fails'], nodesSection(env, clusters)],
    ...(regionLoss === undefined ? [] : [[['Region loss', 'region-loss'], [regionLoss]] as const]),
    [['Diagram', 'diagram'], [diagramSection(clusters)]],
    [['Bootstrap', 'bootstrap'], bootstrapSection(env, clusters)],
    [['Credentials', 'credentials'], [credentialsSection(env, rendered)]],
    ...(teardown === undefined ? [] : [[['Tearing a cluster down', 'tearing-a-cluster-down'], [teardown]] as const]),
  ];
  return documentOf([introduction(env, sections.map(([entry]) => entry)), ...sections.flatMap(([, section]) => section)]);
}
