/** Runbook section: the DR state of the environment and of every app with a twin, per cluster. */
import { clusterBlock } from './cluster-blocks';
import type { Environment } from '../config/environment';
import type { DrState } from '../config/schema';
import { drHost } from '../variant/rules';
import type { ClusterFacts } from './facts';
import { hasTwin, twinElsewhere, twinWorkloads } from './facts';
import { blocks, bullets, code, listing, table, text, type Blocks } from './markdown';

export const STATE_MEANING: Readonly<Record<DrState, string>> = {
  standby: 'the twin runs beside prod with its own identity (production\'s, for `identity: production`), one warm replica',
  syncing: 'the twin is held at zero replicas in Git, so data can be copied into its volumes',
  active: 'the twin serves production with the production replica count',
};

function clusterState(facts: ClusterFacts): string {
  const heading = `### Cluster ${code(facts.cluster.name)}`;
  const twinned = facts.apps.filter(hasTwin);
  if (twinned.length === 0) return blocks([heading, 'No app on this cluster has a twin.']);
  const rows = twinned.map((app) => {
    const { placement, twin } = app;
    const override = placement.dr.state === undefined ? '' : ' (app override)';
    return [
      text(placement.app),
      `**${app.state}**${override}`,
      placement.dr.identity,
      text(placement.host ?? ''),
      text(drHost(facts.env, placement) ?? ''),
      text(twin.variant.identityHost ?? ''),
      // Read from the rendered objects: each twin workload against its prod original.
      twinWorkloads(app, facts.env.dr.suffix)
        .map((workload) => `${code(workload.name)} ${workload.replicas} of ${workload.prodReplicas}`)
        .join(', ') || 'no workload',
    ];
  });
  const local = twinned.filter((app) => !twinElsewhere(app));
  const drNode = facts.drNode && local.length > 0 ? `Twins run on ${code(facts.drNode.name)}.` : undefined;
  const homes = [...new Set(twinned.filter(twinElsewhere).map((app) => app.twinSite.cluster))];
  const elsewhere = homes.map(
    (home) => `The twins of ${listing(twinned.filter((app) => app.twinSite.cluster === home).map((app) => code(app.placement.app)))} run on cluster ${code(home.name)}.`,
  );
  return blocks([
    heading,
    drNode,
    ...elsewhere,
    table(['App', 'State', 'Identity', 'Prod host', 'DR host', 'Twin answers as', 'Twin replicas (of prod\'s)'], rows),
  ]);
}

export function stateSection(env: Environment, clusters: readonly ClusterFacts[]): Blocks {
  return [
    '## DR state',
    `Environment state: **${env.dr.state}** (${code('dr.state')} in ${code(`environments/${env.name}.yaml`)}); an app's own ${code('dr.state')} overrides it.`,
    bullets((Object.keys(STATE_MEANING) as DrState[]).map((name) => `${code(name)}: ${STATE_MEANING[name]}.`)),
    ...clusters.map((facts) => clusterBlock('state', facts.cluster.name, () => clusterState(facts))),
  ];
}
