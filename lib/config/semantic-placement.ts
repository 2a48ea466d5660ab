/**
 * Checks that DR placement keeps the twins out of prod's failure domain (DESIGN.md, "Variant
 * rules", placement): the DR node is not a node prod uses, its labels select it alone (they
 * become every twin's nodeSelector), a NoSchedule or NoExecute taint keeps prod pods off it
 * (prod pods never tolerate it), and the classes twins claim do not keep volumes on a prod node.
 */
import type { Cluster, Node } from './environment';
import type { ConfigPath } from './errors';
import { finding, quote, type CheckContext } from './semantic-context';

/** `{kubernetes.io/hostname: remote}`: labels as the user wrote them, inline. */
const inline = (labels: Readonly<Record<string, string>>): string =>
  `{${Object.entries(labels).map(([key, value]) => `${key}: ${value}`).join(', ')}}`;

export function checkPlacement(context: CheckContext, cluster: Cluster, c: number): void {
  const name = cluster.dr?.node;
  const n = cluster.nodes.findIndex((node) => node.name === name);
  const node = cluster.nodes[n];
  // An unknown DR node is reported where nodes are checked, a DR node of a Cluster API cluster
  // by the fleet checks (its machines are its nodes); nothing more to say about either here.
  if (name === undefined || node === undefined || cluster.capi !== undefined) return;
  const sharesProd = checkNotProdNode(context, cluster, c, node);
  // Advice about labels and taints would be wrong for a node prod runs on: move the twins first.
  if (!sharesProd) {
    checkSelectsOnlyItself(context, cluster, c, n, node);
    checkKeepsProdOff(context, c, n, node);
  }
  checkTwinClasses(context, cluster, c, node);
}

/** The DR classes a cluster's declared classes map to: the environment's map, else `<class><suffix>`. */
function drClassOf(context: CheckContext, prodClass: string): string {
  return context.env.dr.storageClasses[prodClass] ?? `${prodClass}${context.env.dr.suffix}`;
}

function checkNotProdNode(context: CheckContext, cluster: Cluster, c: number, node: Node): boolean {
  const path: ConfigPath = ['clusters', c, 'dr', 'node'];
  const consequence = 'the twins would share the failure domain of prod and go down with it';
  if (cluster.nodes.length === 1) {
    const lead = `DR node ${quote(node.name)} is the only node of cluster ${quote(cluster.name)}, where prod runs: ${consequence}`;
    context.report(path, finding('a node of its own for the twins (add it to the nodes of the cluster)', quote(node.name), lead));
    return true;
  }
  // A class that is some other class's DR class holds twin volumes, not prod's.
  const twinClasses = new Set(cluster.storageClasses.filter((sc) => drClassOf(context, sc.name) !== sc.name).map((sc) => drClassOf(context, sc.name)));
  const k = cluster.storageClasses.findIndex((sc) => sc.node === node.name && !twinClasses.has(sc.name));
  const prodClass = cluster.storageClasses[k];
  if (prodClass === undefined) return false;
  const { line } = context.position(['clusters', c, 'storageClasses', k, 'node']);
  const lead = `DR node ${quote(node.name)} is where prod storage class ${quote(prodClass.name)} keeps its volumes (line ${line}): ${consequence}`;
  context.report(path, finding('a node that no prod storage class is pinned to', quote(node.name), lead));
  return true;
}

function checkSelectsOnlyItself(context: CheckContext, cluster: Cluster, c: number, n: number, node: Node): void {
  const at: ConfigPath = ['clusters', c, 'nodes', n];
  const expected = `a label that only ${quote(node.name)} carries, such as kubernetes.io/hostname: ${node.name}`;
  const entries = Object.entries(node.labels);
  if (entries.length === 0) {
    // Only a problem needs to know where the labels are: locating them costs a full YAML parse.
    const [labelsPath, given] = labelsAt(context, at, node);
    const lead = `the labels of DR node ${quote(node.name)} are every twin's nodeSelector, and an empty nodeSelector selects every node: twins could run on prod nodes`;
    context.report(labelsPath, finding(expected, given, lead));
    return;
  }
  const o = cluster.nodes.findIndex((other) => other !== node && entries.every(([key, value]) => other.labels[key] === value));
  const other = cluster.nodes[o];
  if (other === undefined) return;
  const [labelsPath, given] = labelsAt(context, at, node);
  const { line } = context.position(['clusters', c, 'nodes', o]);
  const lead = `the labels of DR node ${quote(node.name)} are every twin's nodeSelector, and node ${quote(other.name)} (line ${line}) carries them too: twins could run there`;
  context.report(labelsPath, finding(expected, given, lead));
}

/** Where the node's labels are, and how to show them: written, or the default hostname label. */
function labelsAt(context: CheckContext, at: ConfigPath, node: Node): [ConfigPath, string] {
  const path: ConfigPath = [...at, 'labels'];
  const written = !samePlace(context, path, at);
  return written ? [path, inline(node.labels)] : [[...at, 'name'], `${inline(node.labels)} (the default)`];
}

function samePlace(context: CheckContext, a: ConfigPath, b: ConfigPath): boolean {
  const [p, q] = [context.position(a), context.position(b)];
  return p.line === q.line && p.column === q.column;
}

function checkKeepsProdOff(context: CheckContext, c: number, n: number, node: Node): void {
  if (node.taints.some((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute')) return;
  const at: ConfigPath = ['clusters', c, 'nodes', n];
  const path: ConfigPath = samePlace(context, [...at, 'taints'], at) ? [...at, 'name'] : [...at, 'taints'];
  const given = node.taints.length === 0 ? 'no taint' : 'PreferNoSchedule taints only';
  const lead = `DR node ${quote(node.name)} needs a taint that prod pods do not tolerate, or prod pods can be scheduled on it`;
  const expected = `a taint with effect NoSchedule or NoExecute, such as {key: dedicated, value: ${node.name}, effect: NoSchedule}`;
  context.report(path, finding(expected, given, lead));
}

/**
 * The class a twin claims instead of a prod class must keep its volumes on the DR node: a
 * declared DR class pinned elsewhere (often a class mapped to itself, pinned to the prod node)
 * puts the twins' data beside prod's. An unpinned class (`local-path: local-path`) provisions
 * where the twin runs, on the DR node: fine. Derived twins are pinned to the DR node by the rules.
 */
function checkTwinClasses(context: CheckContext, cluster: Cluster, c: number, drNode: Node): void {
  cluster.storageClasses.forEach((sc) => {
    const twin = drClassOf(context, sc.name);
    const d = cluster.storageClasses.findIndex((candidate) => candidate.name === twin);
    const pinned = cluster.storageClasses[d]?.node;
    if (pinned === undefined || pinned === drNode.name) return;
    const nodePath: ConfigPath = ['clusters', c, 'storageClasses', d, 'node'];
    const mapped = context.env.dr.storageClasses[sc.name] !== undefined;
    // Pointing at the class's own node needs no line; pointing at the map names where the pin is.
    const where = mapped ? ` (line ${context.position(nodePath).line})` : '';
    const claims = twin === sc.name ? `keep claiming ${quote(twin)} (mapped to itself)` : `claim ${quote(twin)} instead of ${quote(sc.name)}`;
    const lead = `the twins on cluster ${quote(cluster.name)} ${claims}, and it is pinned to node ${quote(pinned)}${where}, not to DR node ${quote(drNode.name)}: twin volumes would live beside prod's`;
    const expected = `a DR class unpinned or pinned to ${quote(drNode.name)}`;
    context.report(mapped ? ['dr', 'storageClasses', sc.name] : nodePath, finding(expected, quote(twin), lead));
  });
}
