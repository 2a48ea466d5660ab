/**
 * The runbook of an environment (DESIGN.md "DR state and activation"): what Git cannot do,
 * written for the environment's actual names on every render: the DR state, data
 * resynchronisation per claim pair, DNS changes by hand, activation and failback, node failures
 * and a diagram. Pure and deterministic: the same environment and render give the same bytes.
 */
import type { Environment } from '../config/environment';
import type { RenderedEnvironment } from '../model';
import { code } from './markdown';
import { diagramSection } from './diagram';
import { dnsSection } from './dns-section';
import { clusterFacts } from './facts';
import { nodesSection } from './nodes';
import { proceduresSection } from './procedures';
import { resyncSection } from './resync';
import { stateSection } from './state';

/** Where the runbook of an environment goes, relative to `dist/`. */
export function runbookPath(env: Environment): string {
  return `${env.name}/RUNBOOK.md`;
}

const CONTENTS = [
  ['DR state', 'dr-state'],
  ['Data resynchronisation', 'data-resynchronisation'],
  ['DNS', 'dns'],
  ['Activation and failback', 'activation-and-failback'],
  ['When a node fails', 'when-a-node-fails'],
  ['Diagram', 'diagram'],
] as const;

function introduction(env: Environment): string {
  const description = env.description === undefined ? '' : `${env.description.trim()} `;
  return [
    `# Runbook: ${env.name}`,
    '',
    `${description}This runbook holds what Git cannot do for the environment ${code(env.name)}: the current DR state, ` +
      'copying data between each app and its twin, the DNS changes external-dns does not make, failing over and back, ' +
      `and what to do when a node fails, written for this environment's actual names. twinops generates it from ` +
      `${code(`environments/${env.name}.yaml`)} and the rendered objects on every render: do not edit it; change the environment ` +
      `(or the charts) and regenerate it with ${code('npm run synth')}.`,
    '',
    `Contents: ${CONTENTS.map(([title, anchor]) => `[${title}](#${anchor})`).join(' · ')}`,
  ].join('\n');
}

export function renderRunbook(env: Environment, rendered: RenderedEnvironment): string {
  const clusters = clusterFacts(env, rendered);
  const sections = [
    introduction(env),
    stateSection(env, clusters),
    resyncSection(env, clusters),
    dnsSection(clusters),
    proceduresSection(env, clusters),
    nodesSection(env, clusters),
    diagramSection(clusters),
  ];
  return `${sections.join('\n\n')}\n`;
}
