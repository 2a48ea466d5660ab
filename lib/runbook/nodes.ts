/**
 * Runbook section: what happens when a node fails (001's shape: expected outcome, recovery
 * steps), one subsection per node, derived from the environment: the control plane, the prod
 * workloads whose volumes are pinned to the node, the twins on the DR node, the storage classes
 * and replicas it holds.
 */
import { clusterBlock } from './cluster-blocks';
import type { Environment, Node } from '../config/environment';
import type { AppFacts, ClusterFacts, TwinnedApp } from './facts';
import { hasTwin, hostedTwinsByCluster, twinElsewhere } from './facts';
import { drCommand } from './commands';
import { deliveryCommands } from './delivery';
import { datastoreRestore, snapshotTaking } from './datastore';
import { blocks, bullets, code, fenced, listing, steps, text, type Blocks } from './markdown';
import { shellArg } from './shell';
import { volumePairs } from './volumes';
import { LABEL, drHost } from '../variant/rules';

const prodOf = (app: AppFacts) => `prod of ${code(app.placement.app)}`;

/**
 * When pods leave a failed node: the node controller marks it NotReady after its grace period
 * (40 s by default), and pods then stay for their `node.kubernetes.io/unreachable` toleration,
 * 300 s by default. No control plane, no eviction.
 */
const EVICTION =
  'the node is marked NotReady after about 40 s, and its pods are evicted after about five more minutes (the default 300 s toleration of `node.kubernetes.io/unreachable`)';
const EVICTION_AFTER_RESTORE = `once the restored control plane sees the failed node NotReady, ${EVICTION.replace('the node is marked NotReady after about 40 s, and ', '')}`;
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

interface NodeRole {
  readonly node: Node;
  readonly isDrNode: boolean;
  /** Other control-plane nodes of the cluster. */
  readonly otherControlPlanes: readonly Node[];
  /** Storage classes (prod and twin) pinned to the node. */
  readonly classes: readonly string[];
  /** Apps whose prod volumes are pinned to the node. */
  readonly prodPinned: readonly AppFacts[];
  /** Prod workloads that may run here: unpinned apps and the prod Traefik instance. */
  readonly mayRun: readonly string[];
  /** Other nodes prod pods can be scheduled on. */
  readonly otherProdNodes: readonly Node[];
}

/** Whether prod pods can land on a node: not the DR node, no taint that repels them. */
function takesProdPods(facts: ClusterFacts, node: Node): boolean {
  return node.name !== facts.drNode?.name && !node.taints.some((taint) => taint.effect !== 'PreferNoSchedule');
}

function roleOf(facts: ClusterFacts, node: Node): NodeRole {
  const pinnedNodes = (app: AppFacts) => volumePairs(facts, app).map((pair) => pair.prod.node).filter((name): name is string => name !== undefined);
  const unpinned = facts.apps.filter((app) => pinnedNodes(app).length === 0).map(prodOf);
  const edge = facts.cluster.edge;
  return {
    node,
    isDrNode: node.name === facts.drNode?.name,
    otherControlPlanes: facts.cluster.nodes.filter((other) => other.controlPlane && other.name !== node.name),
    classes: facts.storageClasses.filter((plan) => plan.node?.name === node.name).map((plan) => plan.name),
    prodPinned: facts.apps.filter((app) => pinnedNodes(app).includes(node.name)),
    mayRun: takesProdPods(facts, node) ? [...unpinned, ...(edge ? [`Traefik ${code(edge.prod.name)}`] : [])] : [],
    otherProdNodes: facts.cluster.nodes.filter((other) => other.name !== node.name && takesProdPods(facts, other)),
  };
}

/** `hosted`: twins of other clusters' apps that run on this cluster, on no DR node (anywhere). */
function runsHere(facts: ClusterFacts, role: NodeRole, hosted: readonly TwinnedApp[]): string[] {
  const items: string[] = [];
  if (role.node.controlPlane) items.push(role.otherControlPlanes.length === 0 ? 'the control plane (the only one)' : 'a control-plane member');
  if (role.prodPinned.length > 0) {
    const whose = role.prodPinned.length === 1 ? 'its' : 'their';
    items.push(`prod of ${listing(role.prodPinned.map((app) => code(app.placement.app)))} (${whose} volumes are pinned here)`);
  }
  if (role.mayRun.length > 0) items.push(`possibly ${listing(role.mayRun)} (not pinned)`);
  if (role.isDrNode) {
    const twins = facts.apps.filter(hasTwin).map((app) => code(app.twin.fluxName));
    if (twins.length > 0) items.push(`the twins ${listing(twins)}`);
    if (facts.cluster.edge) items.push(`Traefik ${code(facts.cluster.edge.dr.name)}`);
    const replicas = facts.cluster.storageClasses.flatMap((sc) => (sc.dr?.replicaDataset ? [code(sc.dr.replicaDataset)] : []));
    if (replicas.length > 0) items.push(`the replicas of prod's volumes in ${listing(replicas)}`);
  }
  if (role.classes.length > 0) items.push(`the volumes of ${listing(role.classes.map(code))}`);
  if (facts.drNode === undefined && hosted.length > 0) {
    items.push(`possibly the twins ${listing(hosted.map((app) => `${code(app.twin.fluxName)} of ${code(app.cluster.name)}`))} (not pinned)`);
  }
  return items;
}

function controlPlaneLoss(env: Environment, facts: ClusterFacts, role: NodeRole, affected: readonly AppFacts[]): { outcome: string[]; recovery: string[][] } {
  const survivor = facts.drNode && facts.drNode.name !== role.node.name ? facts.drNode : facts.cluster.nodes.find((node) => node.name !== role.node.name);
  const name = survivor ? code(survivor.name) : 'a surviving or new node';
  const address = survivor && survivor.addresses.length > 0 ? ` (${text(survivor.addresses.join(', '))})` : '';
  const restore = survivor ? datastoreRestore(facts.cluster, survivor) : undefined;
  const recovery: string[][] = [
    [
      `Restore the control plane on ${name}${survivor?.name === facts.drNode?.name ? ', the DR node,' : ''} from the newest datastore snapshot and point kubectl at it${address}. Nothing else can happen before this.` +
        (restore ? ` ${restore.prose}` : ''),
      ...(restore && restore.commands.length > 0 ? [fenced('sh', [...restore.commands, 'kubectl get nodes   # the restored control plane answers'])] : []),
    ],
  ];
  if (survivor && facts.cluster.nodes.every((node) => node.name === role.node.name || !takesProdPods(facts, node))) {
    const untaint = survivor.taints.map((taint) => `kubectl taint node ${shellArg(survivor.name)} ${shellArg(`${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}-`)}`);
    if (untaint.length > 0) {
      recovery.push([
        `No other node takes cluster services (Flux's controllers${facts.cluster.edge ? `, Traefik ${code(facts.cluster.edge.prod.name)}` : ''}): they do not tolerate ${code(survivor.name)}'s taint. Lift it until ${code(role.node.name)} is back; ${EVICTION_AFTER_RESTORE}:`,
        fenced('sh', untaint),
      ]);
    }
  }
  const elsewhere = facts.apps.filter(twinElsewhere);
  const outcome = [
    elsewhere.length === 0
      ? 'The API is gone: kubectl and Flux cannot apply anything, so no commit takes effect, activation included. Pods on other nodes keep running as they are; nothing is restarted, rescheduled or evicted until a control plane is back.'
      : `The API is gone: kubectl and Flux cannot apply anything here, so no commit takes effect on this cluster. The twins of ${listing(elsewhere.map((app) => code(app.placement.app)))} ` +
        `run on other clusters, whose Flux applies their activation all the same. Pods on other nodes keep running as they are; nothing is restarted, rescheduled or evicted until a control plane is back.`,
  ];
  return { outcome, recovery: [...recovery, ...activationStep(env, facts, affected)] };
}

function activationStep(env: Environment, facts: ClusterFacts, affected: readonly AppFacts[]): string[][] {
  const twinned = affected.filter(hasTwin);
  if (twinned.length === 0) return [];
  // The whole cluster at once only if every twin on it is affected (on a single-cluster estate: the environment).
  const cluster = facts.cluster.name;
  const everyTwin = facts.cluster.apps.filter((app) => app.dr.enabled).length;
  const commands =
    twinned.length === everyTwin ? [drCommand(env, 'active', undefined, cluster)] : twinned.map((app) => drCommand(env, 'active', app.placement.app, cluster));
  return [
    [
      `Activate ${listing(twinned.map((app) => code(app.placement.app)))} as [Activation and failback](#activation-and-failback) describes, after refreshing their data where the prod-down variant allows it ([Data resynchronisation](#data-resynchronisation)). The pull request's command:`,
      fenced('sh', commands),
    ],
  ];
}

function nodeFailure(env: Environment, facts: ClusterFacts, node: Node, hosted: readonly TwinnedApp[]): string {
  const role = roleOf(facts, node);
  const sole = node.controlPlane && role.otherControlPlanes.length === 0;
  const affected = [...role.prodPinned, ...(role.otherProdNodes.length === 0 ? facts.apps.filter((app) => role.mayRun.includes(prodOf(app))) : [])];
  const outcome: string[] = [];
  const recovery: string[][] = [];
  if (sole) {
    const loss = controlPlaneLoss(env, facts, role, affected);
    outcome.push(...loss.outcome);
    recovery.push(...loss.recovery);
  } else {
    if (node.controlPlane) outcome.push(`The API stays up on ${listing(role.otherControlPlanes.map((other) => code(other.name)))} as long as they keep quorum.`);
    recovery.push(...activationStep(env, facts, role.prodPinned));
  }
  if (role.prodPinned.length > 0) {
    const many = role.prodPinned.length > 1;
    outcome.push(`Prod of ${listing(role.prodPinned.map((app) => code(app.placement.app)))} ${many ? 'is down: their volumes are' : 'is down: its volumes are'} on ${code(node.name)}.`);
  }
  const withoutTwin = affected.filter((app) => !hasTwin(app)).map((app) => code(app.placement.app));
  if (withoutTwin.length > 0) outcome.push(`${listing(withoutTwin)} ${withoutTwin.length === 1 ? 'has' : 'have'} no twin: down until ${code(node.name)} is back.`);
  if (role.mayRun.length > 0) {
    const what = capitalize(listing(role.mayRun));
    const one = role.mayRun.length === 1;
    const others = listing(role.otherProdNodes.map((other) => code(other.name)));
    outcome.push(
      role.otherProdNodes.length === 0
        ? `${what} ${one ? 'has' : 'have'} no other node to run on${facts.drNode ? ` (${code(facts.drNode.name)} takes twins only)` : ''}: down until ${code(node.name)} is back${sole ? ', or until a node takes them (recovery steps)' : ''}.`
        : sole
          ? `${what} ${one ? 'moves' : 'move'} to ${others} only once a control plane is back: ${EVICTION_AFTER_RESTORE}.`
          : `${what} ${one ? 'moves' : 'move'} to ${others}: ${EVICTION}.`,
    );
  }
  if (role.isDrNode) {
    const twinned = facts.apps.filter(hasTwin);
    const hosts = twinned.map((app) => drHost(env, app.placement)).filter((host): host is string => host !== undefined);
    outcome.push(`The twins are down${hosts.length > 0 ? `, and with them ${listing(hosts.map(code))}` : ''}. Prod is unaffected.`);
    const active = twinned.filter((app) => app.state === 'active').map((app) => code(app.placement.app));
    if (active.length > 0) outcome.push(`**${listing(active)} ${active.length === 1 ? 'is' : 'are'} active: production is down with the twins.** Fail back as soon as the data allows.`);
    if (facts.cluster.storageClasses.some((sc) => sc.dr?.replicaDataset)) outcome.push('The replication of prod\'s volumes stops: no off-site copy until the node is back.');
    recovery.push(...drNodeRecovery(env, facts, node));
  }
  if (outcome.length === 0) outcome.push('No app is affected: nothing twinops renders is pinned to this node.');
  if (!role.isDrNode) {
    recovery.push([`Repair ${code(node.name)} and join it again${sole ? ' (as the control plane, or as an agent of the restored one)' : ''}; then fail back what was activated ([Activation and failback](#activation-and-failback)).`]);
  }
  const here = runsHere(facts, role, hosted);
  return blocks([
    `#### ${code(node.name)} fails`,
    `Runs here: ${here.length > 0 ? listing(here) : 'nothing twinops renders'}.`,
    '**Expected outcome**',
    bullets(outcome),
    '**Recovery steps**',
    steps(recovery),
  ]);
}

function drNodeRecovery(env: Environment, facts: ClusterFacts, node: Node): string[][] {
  const labels = Object.entries(node.labels).map(([key, value]) => `kubectl label node ${shellArg(node.name)} ${shellArg(`${key}=${value}`)} --overwrite`);
  const taints = node.taints.map(
    (taint) => `kubectl taint node ${shellArg(node.name)} ${shellArg(`${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`)} --overwrite`,
  );
  const items: string[][] = [[`Repair or replace ${code(node.name)} and join it as before, with its labels and taints:`, fenced('sh', [...labels, ...taints])]];
  const withClaims = facts.apps.filter(hasTwin).map((app) => ({ app, claims: volumePairs(facts, app).flatMap((pair) => (pair.twin ? [pair.twin] : [])) }));
  const claims = withClaims.flatMap(({ claims }) => claims);
  if (claims.length > 0) {
    const pools = [...new Set(claims.map((claim) => claim.pool).filter((pool): pool is string => pool !== undefined))];
    const replicas = facts.cluster.storageClasses.flatMap((sc) => (sc.dr?.replicaDataset ? [sc.dr.replicaDataset] : []));
    // Prune protection keeps the claims; deleting them and their pods lets Flux provision new, empty ones.
    const lines = withClaims
      .filter(({ claims }) => claims.length > 0)
      .flatMap(({ app, claims }) => {
        const namespaces = [...new Set(claims.map((claim) => claim.namespace))];
        return [
          ...namespaces.map(
            (namespace) =>
              `kubectl delete pvc -n ${shellArg(namespace)} ${claims.filter((claim) => claim.namespace === namespace).map((claim) => shellArg(claim.name)).join(' ')} --wait=false`,
          ),
          `kubectl delete pod -n ${shellArg(app.twin.variant.namespace)} -l ${shellArg(`${LABEL.app}=${app.placement.app},${LABEL.variant}=dr`)}`,
          deliveryCommands(env.gitops).reconcile(app.twin.fluxName),
        ];
      });
    items.push([
      'If its disks were lost: ' +
        (pools.length > 0 ? `recreate the dataset${pools.length === 1 ? '' : 's'} ${listing(pools.map(code))}, ` : '') +
        (replicas.length > 0 ? `restart the replication into ${listing(replicas.map(code))} (a full first run), ` : '') +
        'then replace the twin claims (prune protection keeps them), so the twins start on new, empty volumes. ' +
        `The old volumes stay \`Released\` (\`kubectl get pv\`): delete them.`,
      fenced('sh', lines),
    ]);
  }
  items.push(['Resynchronise every twin ([Data resynchronisation](#data-resynchronisation)).']);
  return items;
}

/** How the cluster's datastore is snapshotted, before the scenarios that restore it. */
function datastoreParagraph(facts: ClusterFacts): string | undefined {
  const datastore = facts.cluster.datastore;
  if (datastore === undefined || datastore.snapshots === undefined) return undefined;
  const taking = snapshotTaking(datastore, facts.cluster);
  return blocks([`Datastore: ${code(datastore.kind)}. ${taking.prose}`, taking.commands.length > 0 ? fenced('sh', taking.commands) : undefined]);
}

/**
 * Losing every node at once: the twins share the cluster, so they go too. What comes back is
 * what lives outside it: Git (every object), the datastore's off-site copies, and whatever copies
 * of the volumes the environment keeps elsewhere.
 */
function wholeClusterLoss(facts: ClusterFacts, hosted: readonly TwinnedApp[]): string {
  const { cluster } = facts;
  const twinned = facts.apps.filter(hasTwin);
  if ((twinned.length > 0 || hosted.length > 0) && twinned.every(twinElsewhere)) {
    // No twin shares the cluster: losing it is a region loss, handled from the other clusters.
    const homes = [...new Set(twinned.map((app) => app.twinSite.cluster.name))];
    return blocks([
      '#### The whole cluster is lost',
      [
        twinned.length > 0 ? `The twins of its apps run on ${listing(homes.map(code))}.` : undefined,
        hosted.length > 0 ? `It runs the twins of ${listing(hosted.map((app) => `${code(app.placement.app)} of ${code(app.cluster.name)}`))}.` : undefined,
        'See [Region loss](#region-loss): what goes, what to do in order, and the way back.',
      ]
        .filter((sentence): sentence is string => sentence !== undefined)
        .join(' '),
    ]);
  }
  const datastore = cluster.datastore;
  const offsite = datastore?.offsite;
  const outcome = [
    'Everything on the cluster is down: prod, the twins and the edge. Activation cannot help, because the twins ran on the same cluster.',
    `The volumes on the cluster's nodes are lost with them${facts.drNode ? `, the replicas on ${code(facts.drNode.name)} included` : ''}; only copies kept elsewhere survive.`,
  ];
  const recovery: string[][] = [
    ['Rebuild the nodes with their names, labels and taints (as in the environment file).'],
    offsite !== undefined
      ? [`Restore the control plane from the newest datastore snapshot in ${code(offsite)} (fetch it into ${code(datastore?.snapshots ?? '')} on the new control-plane node), as for the loss of a control-plane node above. Every object comes back as it was.`]
      : [
          `With no off-site copy of the datastore${datastore === undefined ? ' declared' : ''}, start an empty control plane and bootstrap Flux as [Bootstrap](#bootstrap) describes: Git recreates every object, claims included, on new, empty volumes.`,
        ],
    ['Restore the volumes from the copies you keep outside the cluster, then check each app before pointing DNS back at it.'],
  ];
  return blocks(['#### The whole cluster is lost', '**Expected outcome**', bullets(outcome), '**Recovery steps**', steps(recovery)]);
}

export function nodesSection(env: Environment, clusters: readonly ClusterFacts[]): Blocks {
  const hostedTwins = hostedTwinsByCluster(clusters);
  return [
    '## When a node fails',
    ...clusters.map((facts) =>
      clusterBlock('nodes', facts.cluster.name, () => {
        // The twins other clusters' apps run on this one.
        const hosted = hostedTwins.get(facts.cluster) ?? [];
        return blocks([
          `### Cluster ${code(facts.cluster.name)}`,
          datastoreParagraph(facts),
          ...facts.cluster.nodes.map((node) => nodeFailure(env, facts, node, hosted)),
          wholeClusterLoss(facts, hosted),
        ]);
      }),
    ),
  ];
}
