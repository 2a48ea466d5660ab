/**
 * Runbook section: the prod/twin claim pairs of every app with a twin, and how to refresh each
 * twin from prod. The twin is held at zero replicas in Git first (state `syncing`), because a
 * `kubectl scale` alone lasts only until Flux's next reconcile (002's pain point).
 */
import { clusterBlock } from './cluster-blocks';
import { deliveryCommands, type DeliveryCommands } from './delivery';
import { clusterDelivery } from './delivery-site';
import type { Environment, Node } from '../config/environment';
import { commitLines, drCommand, getWorkloadLines } from './commands';
import { contextOf, inContext } from './contexts';
import { copyLines, copyWhenProdIsDown, isCopyable, type CopyablePair } from './copy';
import type { ClusterFacts, SiteFacts, TwinnedApp } from './facts';
import { hasTwin, twinElsewhere } from './facts';
import { blocks, code, fenced, listing, steps, table, text, type Blocks } from './markdown';
import { podsGoneLines } from './waits';
import { METHOD_LABEL, describeClass, volumePairs, type VolumePair } from './volumes';

/** `hassio` (192.0.2.10, 2001:db8:0:1::10). */
export function nodeWithAddresses(node: Node): string {
  return node.addresses.length === 0 ? code(node.name) : `${code(node.name)} (${text(node.addresses.join(', '))})`;
}

/** How a pair's copy is described in its step. */
export function methodDescription(pair: CopyablePair): string {
  switch (pair.method) {
    case 'zfs-clone':
      return `a ZFS clone of its replica in ${code(pair.replicaDataset ?? '')} on ${code(pair.twin.node ?? 'the DR node')}`;
    case 'zfs-send':
      return `a ZFS send from ${code(pair.prod.pool ?? '')}${pair.prod.node ? ` on ${code(pair.prod.node)}` : ''}`;
    case 'rsync':
      return 'an rsync of the local-path folders between the nodes';
    case 'csi-snapshot':
      return `a CSI snapshot of the prod claim, restored as the twin's claim (${code(pair.prod.classPlan?.provisioner ?? pair.prod.storageClass)} takes snapshots: prod keeps running)`;
    case 'pod':
      return `a pod mounting both claims, with prod's writers stopped (${noSnapshotReason(pair)})`;
    case 'stream':
      return `a tar stream from a helper pod on ${code(pair.contexts?.prod ?? '')} to one on ${code(pair.contexts?.twin ?? '')}, with prod's writers stopped (the twin runs in another cluster)`;
  }
}

/** Why a pair of network claims is copied by a pod rather than through a CSI snapshot. */
function noSnapshotReason(pair: CopyablePair): string {
  const driver = pair.prod.classPlan?.provisioner;
  if (pair.prod.namespace !== pair.twin.namespace) return 'the claims are in different namespaces, and a claim is restored only from a snapshot in its own';
  if (driver === undefined) return `the class ${code(pair.prod.storageClass)} is not rendered by twinops`;
  if (driver !== pair.twin.classPlan?.provisioner) return 'the twin\'s class has another driver, which cannot restore this driver\'s snapshots';
  return `twinops knows no CSI snapshot support in ${code(driver)}`;
}

/** Where the key of an encrypted replica comes from: the environment does not know it. */
function replicaKeyNote(pair: CopyablePair): string | undefined {
  if (pair.method !== 'zfs-clone' || pair.replicaDataset === undefined) return undefined;
  const node = code(pair.twin.node ?? 'the DR node');
  return (
    `If the replica ${code(pair.replicaDataset)} is encrypted, the block first loads its key when ZFS reports it ${code('unavailable')} ` +
    `(after every reboot of ${node}). The key is not in this environment: ZFS reads it from the dataset's ${code('keylocation')}, ` +
    `a key file on ${node}, or, with ${code('prompt')}, asks for the passphrase, which you keep wherever the replication was set up.`
  );
}

export function pairTable(pairs: readonly VolumePair[]): string {
  return table(
    ['Prod claim', 'Twin claim', 'Namespace', 'Size', 'Prod class', 'Twin class', 'Copy'],
    pairs.map((pair) => [
      code(pair.prod.name),
      pair.twin ? code(pair.twin.name) : 'none rendered',
      text(pair.twin && pair.twin.namespace !== pair.prod.namespace ? `${pair.prod.namespace} → ${pair.twin.namespace}` : pair.prod.namespace),
      text(pair.prod.size),
      describeClass(pair.prod),
      pair.twin ? describeClass(pair.twin) : '',
      pair.method ? METHOD_LABEL[pair.method] : '',
    ]),
  );
}

/** The step that copies one pair prod → twin (its commands run in `context`), with the prod-down alternative where there is one. */
function copyStep(pair: CopyablePair, context: string | undefined): string[] {
  const whenDown = copyWhenProdIsDown(pair);
  const keyNote = replicaKeyNote(pair);
  return [
    `Copy ${code(pair.prod.name)} to ${code(pair.twin.name)}: ${methodDescription(pair)}.`,
    ...(keyNote ? [keyNote] : []),
    fenced('sh', inContext(copyLines(pair, 'to-twin'), context)),
    ...(whenDown
      ? [
          `If ${code(pair.prod.node ?? 'the prod node')} is down (a failover), steps 2 and 3 cannot run: clone the newest snapshot the replication brought instead.`,
          fenced('sh', inContext(whenDown, context)),
        ]
      : []),
  ];
}

/** Waits until no twin pod mounts a claim the copies replace; `delivery`: the engine holding the twin's unit. */
function twinPodsGone(delivery: DeliveryCommands, pairs: readonly CopyablePair[]): string[] {
  const writers = pairs.flatMap((pair) => pair.twin.writers);
  const unique = writers.filter((writer, index) => writers.findIndex((other) => other.kind === writer.kind && other.name === writer.name && other.namespace === writer.namespace) === index);
  return podsGoneLines(
    unique,
    '10m',
    `${delivery.engine} has not applied the hold yet: ${delivery.status()} says why (a failed or suspended unit); do not copy while a twin pod runs.`,
  );
}

/** The numbered steps that refresh one app's twin from prod. */
export function resyncSteps(env: Environment, facts: ClusterFacts, app: TwinnedApp, pairs: readonly CopyablePair[]): string[][] {
  const name = app.placement.app;
  // The twin's unit is delivered by the entry of the cluster it runs on (from its management
  // cluster for a Cluster API workload cluster); its workloads run there.
  const twinCluster = app.twinSite.cluster;
  const delivery = clusterDelivery(env, twinCluster.name);
  const reconcileTwin = [...delivery.entryLines, delivery.commands.reconcile(app.twin.fluxName)];
  const context = contextOf(env, twinCluster.name);
  return [
    [
      `Hold ${code(app.twin.fluxName)} at zero replicas in Git, and wait until ${deliveryCommands(env.gitops).engine} has applied it:`,
      fenced('sh', [
        drCommand(env, 'syncing', name, facts.cluster.name),
        ...commitLines(env, `dr: hold ${app.twin.fluxName} at zero replicas for a resync`),
        ...inContext(
          [...reconcileTwin, ...getWorkloadLines(app.twin).map((line) => `${line}   # READY 0/0`), ...twinPodsGone(delivery.commands, pairs)],
          context,
        ),
      ]),
    ],
    // A stream between clusters names both contexts itself; a same-cluster copy runs in its cluster's.
    ...pairs.map((pair) => copyStep(pair, pair.method === 'stream' ? undefined : contextOf(env, facts.cluster.name))),
    [
      `Put the twin back in service (or run ${code(drCommand(env, 'active', name, facts.cluster.name))} instead, to fail over):`,
      fenced('sh', [
        drCommand(env, 'standby', name, facts.cluster.name),
        ...commitLines(env, `dr: ${app.twin.fluxName} back to standby after a resync`),
        ...inContext(reconcileTwin, context),
      ]),
    ],
  ];
}

/** The clusters other than its own where a cluster's twins run, in first-use order. */
function twinSitesElsewhere(twinned: readonly TwinnedApp[]): SiteFacts[] {
  return [...new Set(twinned.filter(twinElsewhere).map((app) => app.twinSite))];
}

function appResync(env: Environment, facts: ClusterFacts, app: TwinnedApp): string {
  const heading = `#### ${text(app.placement.app)}`;
  const pairs = volumePairs(facts, app);
  if (pairs.length === 0) {
    return blocks([heading, `No volumes: nothing to resynchronise. ${code(app.twin.fluxName)} is an independent copy (a cache, say).`]);
  }
  const copyable = pairs.filter(isCopyable);
  const missing = pairs.filter((pair) => !isCopyable(pair)).map((pair) => code(pair.prod.name));
  const warning =
    app.state === 'active'
      ? `**${text(app.placement.app)} is active: its twin holds the production data now.** Copying prod over it loses that data; fail back first (see [Activation and failback](#activation-and-failback)).`
      : undefined;
  return blocks([
    heading,
    pairTable(pairs),
    warning,
    missing.length > 0 ? `No twin claim is rendered for ${missing.join(', ')}: nothing to copy into.` : undefined,
    steps(resyncSteps(env, facts, app, copyable)),
  ]);
}

export function resyncSection(env: Environment, clusters: readonly ClusterFacts[]): Blocks {
  return [
    '## Data resynchronisation',
    'A twin keeps its own copy of the data, as old as its last resync. Refresh it from prod before a DR test or a planned failover. ' +
      `The commands run on a workstation with ${code('kubectl')} and ${code('flux')} access to the cluster, in this project's folder, ` +
      `with ssh as root to the nodes by name. ${code('${PROD_PV:?}')} stops a command when a claim has no volume yet ` +
      '(a `WaitForFirstConsumer` claim is bound only once a pod has used it: let the twin run in standby once first).',
    ...clusters.map((facts) => clusterBlock('resync', facts.cluster.name, () => {
      const twinned = facts.apps.filter(hasTwin);
      return blocks([
        `### Cluster ${code(facts.cluster.name)}`,
        `Nodes: ${facts.cluster.nodes.map(nodeWithAddresses).join(', ')}.`,
        twinned.length === 0 ? 'No app on this cluster has a twin.' : undefined,
        ...twinSitesElsewhere(twinned).map(
          (site) =>
            `The twins of ${listing(twinned.filter((app) => app.twinSite === site).map((app) => code(app.placement.app)))} run on cluster ${code(site.cluster.name)} ` +
            (site.cluster.nodes.length > 0 ? `(nodes ${site.cluster.nodes.map(nodeWithAddresses).join(', ')}). ` : '. ') + `Their units never wait on prod's, so the ${code('syncing')} hold takes effect there even while this cluster is down.`,
        ),
        ...twinned.map((app) => appResync(env, facts, app)),
      ]);
    })),
  ];
}
