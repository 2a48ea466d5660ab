/**
 * Checks of the app placements: the chart exists and gets what it needs (host, credentials,
 * storage roles resolved to classes — see `./semantic-storage.ts` —, dependencies without
 * cycles), its twin has a node and names that stay valid with the DR suffix, and no two apps
 * answer to one host name.
 */
import { twinClusterOf, type AppPlacement, type Cluster, type Environment } from './environment';
import type { ConfigPath } from './errors';
import { defaultDrHost } from './hosts';
import { finding, quote, repeats, type CheckContext } from './semantic-context';
import { checkStorage } from './semantic-storage';
import { A_HOSTNAME, didYouMean, oneOf } from './wording';

/** The longest Kubernetes name a DR twin may end up with: a DNS-1123 label. */
const MAX_LABEL = 63;

export function checkApps(context: CheckContext): void {
  context.env.clusters.forEach((cluster, c) => {
    checkPlacements(context, cluster, c);
    checkStorage(context, cluster, c);
    checkDependencies(context, cluster, c);
  });
  checkHosts(context);
}

const appPath = (c: number, j: number): ConfigPath => ['clusters', c, 'apps', j];

function checkPlacements(context: CheckContext, cluster: Cluster, c: number): void {
  const { env, catalog } = context;
  const names = cluster.apps.map((app) => app.app);
  for (const { index, first } of repeats(names)) {
    const { line } = context.position([...appPath(c, first), 'app']);
    const name = quote(names[index] ?? '');
    context.report([...appPath(c, index), 'app'], {
      expected: `each app once per cluster`,
      given: `${name} again (first at line ${line})`,
      message: `duplicate app ${name} on cluster ${quote(cluster.name)} (first at line ${line})`,
    });
  }
  const known = [...catalog.keys()].sort();
  cluster.apps.forEach((app, j) => {
    const at = appPath(c, j);
    const entry = catalog.get(app.app);
    if (entry === undefined) {
      context.report([...at, 'app'], finding(oneOf(known), quote(app.app), `unknown app${didYouMean(app.app, known)}`));
    } else {
      if (entry.needsHost && app.host === undefined) {
        const lead = `missing host: ${app.app} serves HTTP`;
        context.report([...at, 'host'], finding(A_HOSTNAME, 'nothing', lead), { at });
      }
      if (entry.needsSecrets && env.secrets === undefined) {
        const lead = `${app.app} reads credentials but the environment has no secrets store`;
        context.report([...at, 'app'], finding('a top-level "secrets" field such as secrets: {name: vault}', 'none', lead));
      }
    }
    if (app.dr.enabled && twinClusterOf(cluster, app) === undefined) {
      const lead = `DR is enabled but cluster ${quote(cluster.name)} has no DR node`;
      const expected = `clusters[${c}].dr.node naming the node the twins run on, a DR cluster (clusters[${c}].dr.cluster or dr.cluster of the app), or dr: false`;
      context.report([...at, 'dr'], finding(expected, 'no dr.node', lead));
    }
    if (app.dr.enabled) checkTwinNames(context, app, at);
  });
}

/** Names that become Kubernetes names with the DR suffix must stay DNS-1123 labels. */
function checkTwinNames(context: CheckContext, app: AppPlacement, at: ConfigPath): void {
  const { suffix, namespace } = context.env.dr;
  const check = (name: string, path: ConfigPath, what: string) => {
    if (name.length + suffix.length <= MAX_LABEL) return;
    const expected = `${what} of at most ${MAX_LABEL - suffix.length} characters, so that it stays a DNS-1123 label with the DR suffix ${quote(suffix)}`;
    context.report(path, finding(expected, `${quote(name)} (${name.length} characters)`));
  };
  check(app.app, [...at, 'app'], 'an app name');
  if (namespace === 'suffixed') check(app.namespace, [...at, 'namespace'], 'a namespace');
  const firstLabel = app.host?.split('.')[0];
  if (app.dr.host === undefined && firstLabel !== undefined) check(firstLabel, [...at, 'host'], 'a first host label');
}

/**
 * Dependencies resolve to apps of the same cluster and have no cycles. (A twin whose dependency
 * has no twin waits for the dependency's prod unit: the plan's rule, not an error.)
 */
function checkDependencies(context: CheckContext, cluster: Cluster, c: number): void {
  const placed = new Map<string, { app: AppPlacement; j: number }>();
  cluster.apps.forEach((app, j) => placed.has(app.app) || placed.set(app.app, { app, j }));
  const edges = new Map<string, Array<{ to: string; path: ConfigPath }>>();
  for (const [name, { app, j }] of placed) {
    const explicit = app.dependsOn !== undefined;
    const dependsOn = app.dependsOn ?? context.catalog.get(name)?.dependsOn ?? [];
    const out: Array<{ to: string; path: ConfigPath }> = [];
    dependsOn.forEach((dependency, k) => {
      const path = explicit ? [...appPath(c, j), 'dependsOn', k] : [...appPath(c, j), 'app'];
      if (!placed.has(dependency)) {
        const others = [...placed.keys()].filter((other) => other !== name);
        const lead = `${name} depends on ${quote(dependency)}${explicit ? '' : ' (by its chart)'}, which is not placed on cluster ${quote(cluster.name)}`;
        const expected = others.length === 0
          ? `an app placed on cluster ${quote(cluster.name)} (it has none besides ${name})`
          : `an app placed on cluster ${quote(cluster.name)}: ${others.join(', ')}`;
        context.report(path, finding(expected, quote(dependency), lead));
        return;
      }
      out.push({ to: dependency, path });
    });
    edges.set(name, out);
  }
  for (const cycle of findCycles(edges, [...placed.keys()])) {
    const [from, to] = [cycle[0] ?? '', cycle[1] ?? cycle[0] ?? ''];
    const edge = edges.get(from)?.find((e) => e.to === to);
    const shown = [...cycle, from].join(' → ');
    context.report(edge?.path ?? [], { expected: 'dependencies without cycles', given: shown, message: `dependency cycle: ${shown}` });
  }
}

/** Each cycle once, starting at its member that comes first in `order` (file order). */
function findCycles(edges: ReadonlyMap<string, ReadonlyArray<{ to: string }>>, order: readonly string[]): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles = new Map<string, string[]>();
  const visit = (name: string): void => {
    state.set(name, 'open');
    stack.push(name);
    for (const { to } of edges.get(name) ?? []) {
      if (state.get(to) === 'open') {
        const cycle = stack.slice(stack.indexOf(to));
        const start = cycle.reduce((best, n, i) => (order.indexOf(n) < order.indexOf(cycle[best] ?? '') ? i : best), 0);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join('\n'), rotated);
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of order) if (!state.has(name)) visit(name);
  return [...cycles.values()];
}

/** A host name the environment publishes (a prod host, a twin's DR host), where and for what. */
export interface HostUse {
  readonly host: string;
  readonly path: ConfigPath;
  /** `the host of wordpress`, `the DR host derived for keycloak on cluster east`. */
  readonly what: string;
}

/** Every host name the environment publishes, in placement order: one derivation for every check. */
export function hostUses(env: Environment): HostUse[] {
  const uses: HostUse[] = [];
  env.clusters.forEach((cluster, c) =>
    cluster.apps.forEach((app, j) => {
      const at = appPath(c, j);
      const of = env.clusters.length > 1 ? `${app.app} on cluster ${cluster.name}` : app.app;
      if (app.host !== undefined) uses.push({ host: app.host, path: [...at, 'host'], what: `the host of ${of}` });
      if (!app.dr.enabled) return;
      if (app.dr.host !== undefined) uses.push({ host: app.dr.host, path: [...at, 'dr', 'host'], what: `the DR host of ${of}` });
      else if (app.host !== undefined) uses.push({ host: defaultDrHost(app.host, env.dr.suffix), path: [...at, 'dr'], what: `the DR host derived for ${of}` });
    }),
  );
  return uses;
}

/** No two apps of the environment, prod or twin, answer to the same host name. */
function checkHosts(context: CheckContext): void {
  const all = hostUses(context.env);
  // Only a repeated host is a problem; ordering by position costs a full YAML parse, so skip it.
  if (new Set(all.map((use) => use.host)).size === all.length) return;
  const uses = all.map((use) => ({ ...use, at: context.position(use.path) }));
  uses.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
  const first = new Map<string, (typeof uses)[number]>();
  for (const use of uses) {
    const earlier = first.get(use.host);
    if (earlier === undefined) {
      first.set(use.host, use);
      continue;
    }
    context.report(use.path, {
      expected: 'a host name used once in the environment',
      given: quote(use.host),
      message: `duplicate host name ${quote(use.host)}: ${use.what} is also ${earlier.what} (line ${earlier.at.line})`,
    });
  }
}
