/**
 * Runbook section: activation (failover) and failback, per cluster and app, in order and for
 * the actual names: the optional resync, the pull request and what its diff must change, the
 * reconcile, the DNS changes by hand, the checks; then the way back.
 */
import { clusterBlock } from './cluster-blocks';
import { deliveryCommands } from './delivery';
import type { Environment } from '../config/environment';
import { entryPath } from '../plan';
import { drHost } from '../variant/rules';
import { commitLines, drCommand, drPlanCommand, reconcileLines, resumeLine, suspendAndStopLines } from './commands';
import { copyLines, isCopyable } from './copy';
import { appRecords, edgeNames, lookupLine } from './dns';
import { handChanges, type Moment } from './dns-section';
import type { ClusterFacts, TwinnedApp } from './facts';
import { hasTwin, objectsOfKind, twinElsewhere, twinWorkloads } from './facts';
import { crossActivation, crossFailback } from './cross-procedures';
import { blocks, bullets, code, fenced, listing, steps, text, type Blocks } from './markdown';
import { shellArg } from './shell';
import { verifyLines } from './verify';
import { volumePairs } from './volumes';

function branchLines(env: Environment, branch: string, state: 'active' | 'standby', app: string, cluster: string, message: string): string[] {
  return [`git switch -c ${shellArg(branch)}`, drCommand(env, state, app, cluster), ...commitLines(env, message).slice(0, 2), `git push -u origin ${shellArg(branch)}`];
}

/** What the activation diff of an app must change, for its actual objects. */
function activationDiff(facts: ClusterFacts, app: TwinnedApp): string[] {
  const { env, cluster } = facts;
  const { placement, twin } = app;
  const hosts = [placement.host, drHost(env, placement)].filter((host): host is string => host !== undefined);
  const identity = objectsOfKind(twin, 'ConfigMap').filter((map) => hosts.some((host) => JSON.stringify(map['data'] ?? {}).includes(host)));
  const changes: string[] = [];
  if (placement.host !== undefined && identity.length > 0) {
    const names = listing(identity.map((map) => code(map.metadata.name)));
    changes.push(
      placement.dr.identity === 'production'
        ? `identity: no change; ${names} already holds ${code(placement.host)} (${code('identity: production')})`
        : `identity: ${names} takes the production host ${code(placement.host)}`,
    );
  }
  const edge = cluster.edge;
  if (edge !== undefined && placement.host !== undefined) {
    const names = edgeNames(env, edge, placement);
    const plan = edge.dr.ipv6;
    if (edge.prod.ipv6 !== undefined && plan !== undefined) {
      const from = plan.address ?? plan.public ? `the fixed address ${code(plan.address ?? plan.public ?? '')}` : `its address from ${code(plan.pool ?? 'the DR pool')}`;
      changes.push(`load balancer: Service ${code(`${edge.namespace}/${names.prodBalancer}`)} takes ${from} and selects ${code(`app: ${edge.dr.name}`)}`);
    }
    const address = edge.dr.ipv4?.public ?? edge.dr.ipv4?.address;
    if (address !== undefined) changes.push(`DNS record: Service ${code(names.prodRecord)} points at ${code(address)}`);
  }
  const workloads = twinWorkloads(app, env.dr.suffix);
  if (workloads.length > 0) {
    const counts = workloads.map((workload) => {
      const [now, active] = [workload.replicas, workload.inState('active')];
      return `${code(workload.name)} ${now === active ? `stays at ${active}` : `${now} → ${active}`}`;
    });
    changes.push(`replicas, as prod runs them: ${listing(counts)}`);
  }
  changes.push(
    env.gitops.engine === 'argocd'
      ? `Argo CD: Application ${code(twin.fluxName)} no longer waits for ${code(app.prod.fluxName)} (its sync wave drops), so a dead prod does not block it`
      : `Flux: Kustomization ${code(twin.fluxName)} no longer depends on ${code(app.prod.fluxName)}, so a dead prod does not block it`,
  );
  return changes;
}

/** The DNS step: the changes by hand due at `moment`, with the commands that print moving addresses. */
function dnsStep(facts: ClusterFacts, app: TwinnedApp, moment: Moment): string[] {
  if (facts.cluster.edge === undefined || app.placement.host === undefined) return [];
  const changes = appRecords(facts, app).flatMap(handChanges).filter((change) => change.moment === moment);
  if (changes.length === 0) return ['DNS: external-dns publishes the changed records; nothing to change by hand.'];
  const lookups = changes.flatMap((change) => {
    const value = moment === 'activate' ? change.record.active : change.record.standby;
    const line = lookupLine(value);
    return line !== undefined && change.action.startsWith('set') ? [line] : [];
  });
  return [
    'Change DNS where external-dns does not run:',
    bullets(changes.map((change) => `${code(change.record.host)} ${change.record.type}: ${change.action}`)),
    ...(lookups.length > 0 ? ['The address to set, as assigned after the reconcile:', fenced('sh', lookups)] : []),
  ];
}

function activation(facts: ClusterFacts, app: TwinnedApp): string {
  const { env } = facts;
  const name = app.placement.app;
  const entry = entryPath(env, facts.cluster);
  const hasVolumes = volumePairs(facts, app).length > 0;
  const items: string[][] = [];
  if (hasVolumes) {
    items.push([
      `Optionally refresh the twin's data first ([Data resynchronisation](#data-resynchronisation), ${code(name)}). If prod is down, the ${code('syncing')} state cannot take effect ` +
        `(the twin's unit waits for prod's until activation): hold the twin by hand instead, copy with the prod-down variant where there is one, and go on:`,
      fenced('sh', suspendAndStopLines(env, app.twin)),
    ]);
  }
  items.push(
    ['Render the activation on a branch and open a pull request:', fenced('sh', branchLines(env, `dr-activate-${name}`, 'active', name, facts.cluster.name, `dr: activate ${name}`))],
    [
      `Review the diff (${code(drPlanCommand(env, 'active', name, facts.cluster.name))} shows it without writing). Activation renders this, and nothing else but this runbook:`,
      bullets(activationDiff(facts, app)),
    ],
    [
      `Merge it, then have ${deliveryCommands(env.gitops).engine} apply it now:`,
      fenced('sh', [
        ...reconcileLines(env, entry, [app.prod.fluxName]),
        ...(hasVolumes ? [`${resumeLine(env, app.twin)}   # if you suspended it in step 1`] : []),
        ...reconcileLines(env, entry, [app.twin.fluxName]).slice(1),
      ]),
      `While prod is down, ${code(app.prod.fluxName)} stays not ready; ${deliveryCommands(env.gitops).engine} applies its objects all the same.`,
    ],
  );
  const dns = dnsStep(facts, app, 'activate');
  if (dns.length > 0) items.push(dns);
  const tls = facts.cluster.edge !== undefined && app.placement.host !== undefined;
  items.push([
    'Check that the twin serves production:',
    fenced('sh', verifyLines(facts, app, 'active')),
    ...(tls ? [`A TLS error here is the DR Traefik's certificate for ${code(app.placement.host ?? '')}: see [Certificates](#certificates) for when it has one and how to check it.`] : []),
  ]);
  return blocks([
    `#### Activate ${text(name)}`,
    app.state === 'active' ? `${code(name)} is **active** now: this has been done; see *Fail back ${text(name)}*.` : undefined,
    steps(items),
  ]);
}

function failback(facts: ClusterFacts, app: TwinnedApp): string {
  const { env } = facts;
  const name = app.placement.app;
  const entry = entryPath(env, facts.cluster);
  const pairs = volumePairs(facts, app).filter(isCopyable);
  const replicated = pairs.some((pair) => pair.method === 'zfs-clone');
  const items: string[][] = [];
  if (pairs.length > 0) {
    items.push([
      'Stop both variants by hand, the twin first: Git cannot hold prod at zero replicas, so ' + `${deliveryCommands(env.gitops).engine} is suspended for both.` +
        (replicated ? ' Pause the replication to the DR node too, until the copy is done.' : ''),
      fenced('sh', [...suspendAndStopLines(env, app.twin), ...suspendAndStopLines(env, app.prod)]),
    ]);
    for (const pair of pairs) {
      items.push([`Copy ${code(pair.twin.name)} back to ${code(pair.prod.name)}:`, fenced('sh', copyLines(pair, 'to-prod'))]);
    }
    if (replicated) items.push([`Resume the replication to ${code(facts.drNode?.name ?? 'the DR node')}.`]);
  }
  items.push(
    [
      `Render the standby state on a branch and open a pull request; its diff is the activation's, reversed:`,
      fenced('sh', branchLines(env, `dr-failback-${name}`, 'standby', name, facts.cluster.name, `dr: fail ${name} back to prod`)),
    ],
    [
      `Merge it, then have ${deliveryCommands(env.gitops).engine} apply it now:`,
      fenced('sh', [
        ...reconcileLines(env, entry, pairs.length > 0 ? [] : [app.prod.fluxName, app.twin.fluxName]),
        ...(pairs.length > 0 ? [resumeLine(env, app.prod), resumeLine(env, app.twin)] : []),
      ]),
    ],
  );
  const dns = dnsStep(facts, app, 'failback');
  if (dns.length > 0) items.push(dns);
  items.push(['Check that prod serves again:', fenced('sh', verifyLines(facts, app, 'standby'))]);
  return blocks([`#### Fail back ${text(name)}`, steps(items)]);
}

export function proceduresSection(env: Environment, clusters: readonly ClusterFacts[]): Blocks {
  return [
    '## Activation and failback',
    `Each app fails over on its own. To fail over every app at once, run ${code(drCommand(env, 'active'))} instead of the per-app command ` +
      `and follow the other steps for each app; ${code(drCommand(env, 'standby'))} brings them all back.`,
    ...clusters.map((facts) =>
      clusterBlock('procedures', facts.cluster.name, () => {
        const twinned = facts.apps.filter(hasTwin);
        return blocks([
          `### Cluster ${code(facts.cluster.name)}`,
          twinned.length === 0 ? 'No app on this cluster has a twin.' : undefined,
          ...twinned.flatMap((app) => (twinElsewhere(app) ? [crossActivation(facts, app), crossFailback(facts, app)] : [activation(facts, app), failback(facts, app)])),
        ]);
      }),
    ),
  ];
}
