/**
 * Checks a schema-valid environment for what a JSON Schema cannot say: names that must be
 * unique, references that must resolve (nodes, storage classes, apps), addresses that must
 * parse. Every check reports with the same problem shape as the schema, at the offending node.
 * Each concern has its module: app placements (`./semantic-apps.ts`), the edge and its pools,
 * Kubernetes names (given and derived), DR placement, secrets in parameters, the fleet (Cluster
 * API, management cluster, engine: `./semantic-fleet.ts`) and twins on another cluster
 * (`./semantic-fleet-dr.ts`); checks across
 * environments are in `./semantic-estate.ts`.
 */
import { isIP } from 'node:net';
import type { AppCatalog } from './catalog';
import type { Cluster, Environment } from './environment';
import type { ConfigProblem } from './errors';
import { checkApps } from './semantic-apps';
import { checkDatastore } from './semantic-datastore';
import { checkEdge } from './semantic-edge';
import { checkFleet } from './semantic-fleet';
import { checkFleetDr } from './semantic-fleet-dr';
import { checkDerivedNames } from './semantic-derived';
import { rememberPositions } from './semantic-estate';
import { checkNodeNames, checkPathPrefix, checkProvisioners } from './semantic-names';
import { checkPlacement } from './semantic-placement';
import { checkPools } from './semantic-pools';
import { checkSecretParameters } from './semantic-secrets';
import { checkContext, finding, quote, repeats, type CheckContext } from './semantic-context';
import type { Locator } from './source';
import { AN_IP_ADDRESS, didYouMean } from './wording';

export interface SemanticOptions {
  /** The charts apps may name, keyed by name. */
  readonly knownApps: AppCatalog;
}

/** Every semantic problem of the environment, in no particular order. */
export function checkSemantics(env: Environment, options: SemanticOptions, locate: Locator): ConfigProblem[] {
  rememberPositions(env, locate);
  const { context, problems } = checkContext(env, options.knownApps, locate);
  uniqueNames(context, ['clusters'], 'cluster', env.clusters.map((cluster) => cluster.name));
  checkPathPrefix(context);
  env.clusters.forEach((cluster, index) => {
    checkCluster(context, cluster, index);
    checkNodeNames(context, cluster, index);
    checkProvisioners(context, cluster, index);
    checkSecretParameters(context, cluster, index);
    checkPlacement(context, cluster, index);
    checkEdge(context, cluster, index);
    checkPools(context, cluster, index);
    checkDatastore(context, cluster, index);
    checkDerivedNames(context, cluster, index);
  });
  checkDrStorageMap(context);
  checkApps(context);
  checkFleet(context);
  checkFleetDr(context);
  return once(problems);
}

/** An environment-wide rule broken on several clusters (a `dr.storageClasses` entry) is said once. */
function once(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.line}:${problem.column} ${problem.path}: ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkCluster(context: CheckContext, cluster: Cluster, index: number): void {
  const at = ['clusters', index] as const;
  const nodeNames = cluster.nodes.map((node) => node.name);
  uniqueNames(context, [...at, 'nodes'], 'node', nodeNames);
  uniqueNames(context, [...at, 'storageClasses'], 'storage class', cluster.storageClasses.map((sc) => sc.name));

  const knownNode = (name: string, path: readonly (string | number)[]) => {
    if (nodeNames.includes(name)) return;
    const expected = `a node of cluster ${quote(cluster.name)}${nodeNames.length === 0 ? ' (it has none)' : `: ${nodeNames.join(', ')}`}`;
    context.report(path, {
      expected,
      given: quote(name),
      message: `unknown node ${quote(name)}${didYouMean(name, nodeNames)}; expected ${expected}`,
    });
  };
  if (cluster.dr?.node !== undefined) knownNode(cluster.dr.node, [...at, 'dr', 'node']);
  cluster.storageClasses.forEach((sc, k) => {
    if (sc.node !== undefined) knownNode(sc.node, [...at, 'storageClasses', k, 'node']);
  });

  cluster.nodes.forEach((node, n) =>
    node.addresses.forEach((address, a) => {
      if (isIP(address) !== 0) return;
      context.report([...at, 'nodes', n, 'addresses', a], finding(AN_IP_ADDRESS, quote(address)));
    }),
  );
}

/** Duplicate names in one list: each later one is reported, naming the line of the first. */
function uniqueNames(context: CheckContext, list: readonly (string | number)[], what: string, names: readonly string[]): void {
  for (const { index, first } of repeats(names)) {
    const name = names[index] ?? '';
    const { line } = context.position([...list, first, 'name']);
    context.report([...list, index, 'name'], {
      expected: `each ${what} name once`,
      given: `${quote(name)} again (first at line ${line})`,
      message: `duplicate ${what} name ${quote(name)} (first at line ${line})`,
    });
  }
}

/** `dr.storageClasses` may only map classes some cluster declares. */
function checkDrStorageMap(context: CheckContext): void {
  const declared = [...new Set(context.env.clusters.flatMap((cluster) => cluster.storageClasses.map((sc) => sc.name)))];
  for (const key of Object.keys(context.env.dr.storageClasses)) {
    if (declared.includes(key)) continue;
    const expected = `a storage class declared by a cluster: ${declared.join(', ') || 'none is declared'}`;
    context.report(['dr', 'storageClasses', key], {
      expected,
      given: quote(key),
      message: `unknown storage class ${quote(key)}${didYouMean(key, declared)}; expected ${expected}`,
    }, { target: 'key' });
  }
}
