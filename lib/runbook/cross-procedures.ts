/**
 * Activation and failback of an app whose twin runs on another cluster (`dr: { cluster: … }`):
 * the twin's unit is reconciled on its own cluster and never waited on prod's, and the prod DNS
 * record changes owner. external-dns runs `upsert-only` with a TXT registry owned per cluster, so
 * the DR cluster's instance never takes over a record the prod cluster's owns: the handover (and
 * the hand back) is a change at the DNS provider, by hand, named here.
 */
import type { Environment } from '../config/environment';
import { appEdgeNames } from '../variant/edge';
import { commitLines, drCommand, drPlanCommand, resumeLine, suspendAndStopLines } from './commands';
import { contextOf, inContext } from './contexts';
import { copyLines, isCopyable } from './copy';
import { deliveryCommands } from './delivery';
import { clusterDelivery, type ClusterDelivery } from './delivery-site';
import { appRecords, lookupLine } from './dns';
import { handChanges } from './dns-section';
import type { ClusterFacts, TwinnedApp } from './facts';
import { twinWorkloads } from './facts';
import { blocks, bullets, code, fenced, listing, steps, text } from './markdown';
import { shellArg } from './shell';
import { verifyLines } from './verify';
import { volumePairs } from './volumes';

/** The DNS handover of prod's host to the twin's cluster (`toTwin`) or back: the changes by hand, named. */
export function handoverLines(facts: ClusterFacts, app: TwinnedApp, toTwin: boolean): string[] {
  const host = app.placement.host;
  const home = app.twinSite.cluster;
  if (host === undefined) return [`DNS: ${code(app.placement.app)} has no host: nothing to move.`];
  const records = appRecords(facts, app).filter((record) => record.handover !== undefined);
  if (records.length === 0) {
    const bare = home.edge === undefined ? home : facts.cluster;
    return [
      `DNS: ${code(bare.name)} has no edge, so twinops moves no record: point the clients of ${code(host)} ` +
        (toTwin ? `at ${code(app.twin.fluxName)} on ${code(home.name)} by hand.` : `back at prod on ${code(facts.cluster.name)} by hand.`),
    ];
  }
  const moment = toTwin ? 'activate' : 'failback';
  const changes = records.flatMap(handChanges).filter((change) => change.moment === moment);
  const lookups = records.flatMap((record) => {
    const line = lookupLine(toTwin ? record.active : record.standby);
    return line === undefined ? [] : [line];
  });
  return [
    `DNS, by hand at the DNS provider: external-dns runs ${code('upsert-only')} with a TXT registry owned per cluster, so no cluster takes over another's records${toTwin ? ', even once prod\'s cluster is gone' : ''}:`,
    bullets(changes.map((change) => `${code(change.record.host)} ${change.record.type}: ${change.action}`)),
    ...(lookups.length > 0 ? ['The address to expect, as assigned after the reconcile:', fenced('sh', lookups)] : []),
  ];
}

/** The lines in order, each once: two workload clusters share their management cluster's entry. */
export function distinct(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}

/** Apply the entry of the cluster holding a unit, then the unit, now. */
export function reconcileUnit(delivery: ClusterDelivery, fluxName: string): string[] {
  return [...delivery.entryLines, delivery.commands.reconcile(fluxName)];
}

function branchLines(env: Environment, branch: string, state: 'active' | 'standby', app: string, cluster: string, message: string): string[] {
  return [`git switch -c ${shellArg(branch)}`, drCommand(env, state, app, cluster), ...commitLines(env, message).slice(0, 2), `git push -u origin ${shellArg(branch)}`];
}

function activationDiff(facts: ClusterFacts, app: TwinnedApp): string[] {
  const home = app.twinSite.cluster;
  const changes: string[] = [];
  const workloads = twinWorkloads(app, facts.env.dr.suffix);
  if (workloads.length > 0) {
    const counts = workloads.map((workload) => {
      const [now, active] = [workload.replicas, workload.inState('active')];
      return `${code(workload.name)} ${now === active ? `stays at ${active}` : `${now} → ${active}`}`;
    });
    changes.push(`replicas on ${code(home.name)}, as prod runs them: ${listing(counts)}`);
  }
  if (home.edge !== undefined && app.placement.host !== undefined) {
    const record = appEdgeNames(home.edge.prod.name, app.placement.app).record;
    changes.push(
      `DNS record: ${code(home.name)} renders Service ${code(`${app.twin.variant.namespace}/${record}`)} for ${code(app.placement.host)}` +
        (facts.cluster.edge ? `; ${code(facts.cluster.name)} no longer renders ${code(`${app.prod.variant.namespace}/${record}`)}` : ''),
    );
  }
  changes.push(`no dependency change: ${code(app.twin.fluxName)} on ${code(home.name)} never depends on ${code(app.prod.fluxName)}, so a dead prod cluster does not block it`);
  return changes;
}

/** The numbered activation of an app whose twin runs on another cluster. */
export function crossActivation(facts: ClusterFacts, app: TwinnedApp): string {
  const { env } = facts;
  const name = app.placement.app;
  const home = app.twinSite.cluster;
  const [prodDelivery, twinDelivery] = [clusterDelivery(env, facts.cluster.name), clusterDelivery(env, home.name)];
  const engine = deliveryCommands(env.gitops).engine;
  const items: string[][] = [];
  if (volumePairs(facts, app).length > 0) {
    items.push([
      `Optionally refresh the twin's data first ([Data resynchronisation](#data-resynchronisation), ${code(name)}) while ${code(facts.cluster.name)} answers. ` +
        `If it does not, the twin keeps the data of its last resync: go on.`,
    ]);
  }
  items.push(
    ['Render the activation on a branch and open a pull request:', fenced('sh', branchLines(env, `dr-activate-${name}`, 'active', name, facts.cluster.name, `dr: activate ${name}`))],
    [`Review the diff (${code(drPlanCommand(env, 'active', name, facts.cluster.name))} shows it without writing). Activation renders this:`, bullets(activationDiff(facts, app))],
    [
      `Merge it, then have ${engine} apply it now: for ${code(home.name)}, where the twin runs, then for ${code(facts.cluster.name)} too, if it answers:`,
      fenced('sh', distinct([...reconcileUnit(twinDelivery, app.twin.fluxName), ...reconcileUnit(prodDelivery, app.prod.fluxName)])),
    ],
    handoverLines(facts, app, true),
    ['Check that the twin serves production:', fenced('sh', inContext(verifyLines(facts, app, 'active'), contextOf(env, home.name)))],
  );
  return blocks([
    `#### Activate ${text(name)}`,
    `The twin ${code(app.twin.fluxName)} runs on cluster ${code(home.name)}; prod on ${code(facts.cluster.name)}.`,
    app.state === 'active' ? `${code(name)} is **active** now: this has been done; see *Fail back ${text(name)}*.` : undefined,
    steps(items),
  ]);
}

/** The numbered failback of an app whose twin runs on another cluster: stop both, copy back, standby, DNS back. */
export function crossFailback(facts: ClusterFacts, app: TwinnedApp): string {
  const { env } = facts;
  const name = app.placement.app;
  const home = app.twinSite.cluster;
  const [prodContext, twinContext] = [contextOf(env, facts.cluster.name), contextOf(env, home.name)];
  const [prodDelivery, twinDelivery] = [clusterDelivery(env, facts.cluster.name), clusterDelivery(env, home.name)];
  const engine = deliveryCommands(env.gitops).engine;
  const pairs = volumePairs(facts, app).filter(isCopyable);
  const items: string[][] = [];
  if (pairs.length > 0) {
    items.push([
      `Stop both variants by hand, the twin first, each on its cluster: Git cannot hold prod at zero replicas, so ${engine} is suspended for both.`,
      fenced('sh', [
        ...inContext(suspendAndStopLines(env, app.twin, twinDelivery.commands), twinContext),
        ...inContext(suspendAndStopLines(env, app.prod, prodDelivery.commands), prodContext),
      ]),
    ]);
    for (const pair of pairs) items.push([`Copy ${code(pair.twin.name)} on ${code(home.name)} back to ${code(pair.prod.name)} on ${code(facts.cluster.name)}:`, fenced('sh', copyLines(pair, 'to-prod'))]);
  }
  items.push(
    ['Render the standby state on a branch and open a pull request; its diff is the activation\'s, reversed:', fenced('sh', branchLines(env, `dr-failback-${name}`, 'standby', name, facts.cluster.name, `dr: fail ${name} back to prod`))],
    [
      `Merge it, then have ${engine} apply it on both clusters:`,
      // Suspended for the copy, a unit is resumed (which applies it); else it is reconciled.
      fenced(
        'sh',
        distinct([
          ...(pairs.length > 0 ? [...prodDelivery.entryLines, resumeLine(env, app.prod, prodDelivery.commands)] : reconcileUnit(prodDelivery, app.prod.fluxName)),
          ...(pairs.length > 0 ? [...twinDelivery.entryLines, resumeLine(env, app.twin, twinDelivery.commands)] : reconcileUnit(twinDelivery, app.twin.fluxName)),
        ]),
      ),
    ],
    handoverLines(facts, app, false),
    ['Check that prod serves again:', fenced('sh', inContext(verifyLines(facts, app, 'standby'), prodContext))],
  );
  return blocks([`#### Fail back ${text(name)}`, steps(items)]);
}
