/**
 * Runbook section: a Mermaid flowchart of the estate: clusters and their nodes as subgraphs,
 * the Traefik instances where they run (prod unpinned, in the cluster; DR on the DR node), each
 * app's prod (on the node its volumes are pinned to, else in the cluster) and twin (on the DR
 * node), the routes each instance serves now, and a dotted prod → twin edge per sync method.
 */
import { clusterBlock } from './cluster-blocks';
import { drHost } from '../variant/rules';
import type { AppFacts, ClusterFacts } from './facts';
import { hostedTwinsByCluster, twinElsewhere } from './facts';
import { blocks, fenced } from './markdown';
import { METHOD_LABEL, volumePairs } from './volumes';

/** A Mermaid id: parts joined by `__`; names never hold `_`, so two ids never collide. */
export function mermaidId(...parts: readonly string[]): string {
  return parts.map((part) => part.replace(/[^A-Za-z0-9]/g, '_')).join('__');
}

/** A quoted Mermaid label, on one line (a line break would end the statement). */
function label(text: string): string {
  return `"${text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').replaceAll('"', '#quot;')}"`;
}

function prodNodeOf(facts: ClusterFacts, app: AppFacts): string | undefined {
  const nodes = new Set(volumePairs(facts, app).map((pair) => pair.prod.node));
  const [only] = [...nodes];
  return nodes.size === 1 ? only : undefined;
}

function syncLabel(facts: ClusterFacts, app: AppFacts): string {
  const methods = [...new Set(volumePairs(facts, app).flatMap((pair) => (pair.method ? [METHOD_LABEL[pair.method]] : [])))];
  return methods.length === 0 ? 'no data to sync' : methods.join(', ');
}

/** `hosted`: the twins other clusters' apps run here (`dr: { cluster: … }`), drawn in this cluster. */
function clusterLines(facts: ClusterFacts, hosted: readonly AppFacts[]): string[] {
  const { cluster, env } = facts;
  const c = cluster.name;
  const edge = cluster.edge;
  const prodId = (app: AppFacts) => mermaidId('prod', c, app.placement.app);
  // A twin is named after its prod cluster, wherever it is drawn.
  const twinId = (app: AppFacts) => mermaidId('twin', app.cluster.name, app.placement.app);
  const traefikId = (variant: 'prod' | 'dr') => mermaidId('traefik', c, variant);
  const members = new Map<string, string[]>(cluster.nodes.map((node) => [node.name, []]));
  const loose: string[] = [];
  const place = (node: string | undefined, line: string) => {
    const list = node === undefined ? undefined : members.get(node);
    (list ?? loose).push(line);
  };
  if (edge) {
    loose.push(`${traefikId('prod')}[${label(`Traefik ${edge.prod.name}`)}]`);
    if (facts.drNode) place(facts.drNode.name, `${traefikId('dr')}[${label(`Traefik ${edge.dr.name}`)}]`);
    // Without a DR node, a cluster running other clusters' twins has its DR instance anywhere.
    else if (hosted.length > 0) loose.push(`${traefikId('dr')}[${label(`Traefik ${edge.dr.name}`)}]`);
  }
  for (const app of facts.apps) {
    place(prodNodeOf(facts, app), `${prodId(app)}[${label(app.placement.app)}]`);
    if (app.twin && !twinElsewhere(app)) place(facts.drNode?.name, `${twinId(app)}[${label(app.twin.fluxName)}]`);
  }
  for (const app of hosted) if (app.twin) place(facts.drNode?.name, `${twinId(app)}[${label(app.twin.fluxName)}]`);
  const lines = [`  subgraph ${mermaidId('cluster', c)}[${label(`cluster ${c}`)}]`];
  for (const node of cluster.nodes) {
    const roles = [...(node.controlPlane ? ['control plane'] : []), ...(node.name === facts.drNode?.name ? ['DR node'] : [])];
    lines.push(`    subgraph ${mermaidId('node', c, node.name)}[${label(roles.length > 0 ? `${node.name} (${roles.join(', ')})` : node.name)}]`);
    lines.push(...(members.get(node.name) ?? []).map((line) => `      ${line}`));
    lines.push('    end');
  }
  lines.push(...loose.map((line) => `    ${line}`), '  end');
  for (const app of facts.apps) {
    const host = app.placement.host;
    const active = app.state === 'active' && app.twin !== undefined;
    if (edge && host !== undefined && !active) lines.push(`  ${traefikId('prod')} -- ${label(host)} --> ${prodId(app)}`);
    if (edge && app.twin && facts.drNode) {
      const hosts = [drHost(env, app.placement), ...(active ? [host] : [])].filter((name): name is string => name !== undefined);
      if (hosts.length > 0) lines.push(`  ${traefikId('dr')} -- ${label(hosts.join(', '))} --> ${twinId(app)}`);
    }
    // A twin on another cluster is drawn there: its edges follow every subgraph (crossLines).
    if (app.twin && !twinElsewhere(app)) lines.push(`  ${prodId(app)} -. ${label(syncLabel(facts, app))} .-> ${twinId(app)}`);
  }
  for (const app of hosted) {
    const host = app.placement.host;
    const hosts = [drHost(env, app.placement), ...(app.state === 'active' ? [host] : [])].filter((name): name is string => name !== undefined);
    if (edge && hosts.length > 0) lines.push(`  ${traefikId('dr')} -- ${label(hosts.join(', '))} --> ${twinId(app)}`);
  }
  return lines;
}

/** The dotted prod → twin edges of the twins on other clusters, once every subgraph has declared its nodes. */
function crossLines(facts: ClusterFacts): string[] {
  return facts.apps
    .filter(twinElsewhere)
    .map((app) => `  ${mermaidId('prod', facts.cluster.name, app.placement.app)} -. ${label(syncLabel(facts, app))} .-> ${mermaidId('twin', facts.cluster.name, app.placement.app)}`);
}

export function diagramSection(clusters: readonly ClusterFacts[]): string {
  const hosted = hostedTwinsByCluster(clusters);
  return blocks([
    '## Diagram',
    'Solid arrows: the hosts each Traefik instance serves now. Dotted arrows: how each twin is resynchronised.',
    fenced('mermaid', [
      'flowchart LR',
      ...clusters.flatMap((facts) => clusterBlock('diagram', facts.cluster.name, () => clusterLines(facts, hosted.get(facts.cluster) ?? []))),
      ...clusters.flatMap((facts) => clusterBlock('diagram-edges', facts.cluster.name, () => crossLines(facts))),
    ]),
  ]);
}
