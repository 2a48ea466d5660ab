/**
 * Checks of the names twinops derives from the environment, in their longest rendered form:
 * Services named after the Traefik instance and the app (DNS-1035 labels, with the DR suffix),
 * namespaces that belong to Kubernetes or Flux, and object names that must leave room for the
 * file name the layout gives them (`<kind>-<name>.yaml` within 255 bytes).
 */
import { unitFileName } from '../render/layout';
import type { Cluster } from './environment';
import type { ConfigPath } from './errors';
import { finding, quote, type CheckContext } from './semantic-context';
import { checkServiceName, dns1035Problem } from './semantic-names';

export function checkDerivedNames(context: CheckContext, cluster: Cluster, c: number): void {
  checkEdgeServices(context, cluster, c);
  checkNamespaces(context, cluster, c);
  checkFileNames(context, cluster, c);
}

/** Name rules of the edge, in one place: lib/variant/edge.ts and lib/constructs/endpoint.ts render them. */
const ipv4Balancer = (instance: string) => `${instance}-ipv4`;
const appBalancer = (instance: string, app: string) => `${instance}-${app}`;
const dnsRecord = (app: string) => `${app}-name`;

/**
 * The Services of the edge: each instance's IPv4 load balancer (`<prod instance>-ipv4`), each
 * app's IPv6 load balancer (`<prod instance>-<app>`) and DNS record (`<app>-name`), the twins'
 * with the DR suffix. A Service is checked whenever some DR state renders it (activation moves
 * the prod balancer and record to the DR side, so a flip of `dr.state` never breaks the render).
 */
function checkEdgeServices(context: CheckContext, cluster: Cluster, c: number): void {
  const edge = cluster.edge;
  if (edge === undefined) return;
  const { suffix } = context.env.dr;
  const twins = cluster.dr !== undefined;
  const instance = edge.prod.name;
  const instancePath: ConfigPath = ['clusters', c, 'edge', 'prod', 'name'];
  const anyIpv6 = edge.prod.ipv6 !== undefined || edge.dr.ipv6 !== undefined;
  const served = cluster.apps.filter((app) => app.host !== undefined || (app.dr.enabled && app.dr.host !== undefined));
  const ipv4 = [edge.prod.ipv4 && ipv4Balancer(instance), twins && edge.dr.ipv4 && `${ipv4Balancer(instance)}${suffix}`];
  const rendered = ipv4.filter((name): name is string => typeof name === 'string');

  // The instance name leads every balancer's name: checked once here against the shortest of
  // them, so that an app is only blamed for a name the instance leaves room for.
  const field = 'a Traefik instance name';
  const twinBalancers = twins && edge.dr.ipv6 !== undefined && served.some((app) => app.dr.enabled);
  const shortestApp = served.map((app) => app.app).sort((a, b) => a.length - b.length)[0];
  const ownLongest = rendered.at(-1) ?? (anyIpv6 && shortestApp !== undefined ? `${appBalancer(instance, shortestApp)}${twinBalancers ? suffix : ''}` : undefined);
  const instanceFits = ownLongest === undefined || dns1035Problem(ownLongest) === undefined;
  if (ownLongest !== undefined && !instanceFits) {
    const what = rendered.length > 0 ? 'its IPv4 load balancer' : 'the shortest load balancer named after it';
    checkServiceName(context, { path: instancePath, field, value: instance, service: ownLongest, what });
  }

  const publishes = (side: 'prod' | 'dr') => edge[side].ipv4?.public !== undefined || edge[side].ipv4?.address !== undefined;
  cluster.apps.forEach((app, j) => {
    const twin = twins && app.dr.enabled && (app.host !== undefined || app.dr.host !== undefined);
    if (app.host === undefined && !twin) return;
    const withSuffix = (name: string, rendersTwin: boolean) => (rendersTwin ? `${name}${suffix}` : name);
    const services: Array<{ name: string; what: string }> = [];
    if (instanceFits && anyIpv6) {
      const what = `the IPv6 load balancer of ${app.app}, named after the prod Traefik instance and the app`;
      services.push({ name: withSuffix(appBalancer(instance, app.app), twin && edge.dr.ipv6 !== undefined), what });
    }
    if (publishes('prod') || publishes('dr')) {
      services.push({ name: withSuffix(dnsRecord(app.app), twin && publishes('dr')), what: `the DNS record (ExternalName Service) of ${app.app}` });
    }
    // One problem per app: the longest Service its name leads to says how short it must be.
    const worst = services.sort((a, b) => b.name.length - a.name.length).find((service) => dns1035Problem(service.name) !== undefined);
    if (worst !== undefined) checkServiceName(context, { path: ['clusters', c, 'apps', j, 'app'], field: 'an app name', value: app.app, service: worst.name, what: worst.what });
  });
}

/** Namespaces Kubernetes keeps for itself; `kube-*` is reserved for its system components. */
const KUBERNETES_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * twinops renders every namespace it places objects in as a Namespace it owns (labelled, kept
 * from prune) and puts workloads, balancers and records there. Taking over `default`, a `kube-*`
 * namespace or the namespace of the Flux machinery that delivers everything would mix the
 * estate's objects with the cluster's own and let a render relabel or fill them, so all of them
 * are refused, twins' derived namespaces included. (`default` too: it is the cluster's, and an
 * app there would share it with whatever else runs there unqualified.)
 */
function reservedBy(context: CheckContext, namespace: string): string | undefined {
  const flux = new Set(['flux-system', context.env.gitops.namespace]);
  if (flux.has(namespace)) return 'Flux, which delivers every unit from it';
  if (KUBERNETES_NAMESPACES.includes(namespace) || namespace.startsWith('kube-')) return 'Kubernetes';
  return undefined;
}

function checkNamespaces(context: CheckContext, cluster: Cluster, c: number): void {
  const { env } = context;
  const flux = [...new Set(['flux-system', env.gitops.namespace])].join(', ');
  const expected = `a namespace of the estate's own, not default, kube-* or ${flux}`;
  const check = (namespace: string, path: ConfigPath, what: string) => {
    const owner = reservedBy(context, namespace);
    if (owner === undefined) return;
    const lead = `namespace ${quote(namespace)} ${what} belongs to ${owner}; twinops renders and owns every namespace it places objects in`;
    context.report(path, finding(expected, quote(namespace), lead));
  };
  cluster.apps.forEach((app, j) => {
    const at: ConfigPath = ['clusters', c, 'apps', j];
    const twinReserved = app.dr.enabled && env.dr.namespace === 'suffixed' && reservedBy(context, `${app.namespace}${env.dr.suffix}`) !== undefined;
    // Nothing to report: skip locating the app, which costs a full YAML parse (`source.ts`).
    if (reservedBy(context, app.namespace) === undefined && !twinReserved) return;
    // A path that is absent locates at its nearest ancestor: the app, when `namespace` is defaulted.
    const [given, parent] = [context.position([...at, 'namespace']), context.position(at)];
    const explicit = given.line !== parent.line || given.column !== parent.column;
    const path: ConfigPath = explicit ? [...at, 'namespace'] : [...at, 'app'];
    const what = explicit ? `of ${app.app}` : `of ${app.app} (by default its app name)`;
    check(app.namespace, path, what);
    if (app.dr.enabled && env.dr.namespace === 'suffixed' && reservedBy(context, app.namespace) === undefined) {
      check(`${app.namespace}${env.dr.suffix}`, path, `of the twin of ${app.app} (dr.namespace: suffixed)`);
    }
  });
  if (cluster.edge !== undefined) check(cluster.edge.namespace, ['clusters', c, 'edge', 'namespace'], 'of the edge');
}

/** The longest name an object of `kind` may have so that its file name fits 255 bytes. */
export function longestFileName(kind: string): number {
  let longest = longestByKind.get(kind);
  if (longest === undefined) {
    longest = 255 - Buffer.byteLength(unitFileName({ apiVersion: 'v1', kind, metadata: { name: '' } }));
    longestByKind.set(kind, longest);
  }
  return longest;
}

/** A handful of kinds, asked for every class and pool of every cluster: computed once each. */
const longestByKind = new Map<string, number>();

/**
 * Object names the environment gives whole (storage classes, their DR twins, address pools) may
 * be DNS-1123 subdomains of 253 characters, but each object is written to a file named after it;
 * a name that leaves no room fails in the writer, far from the line that caused it. (Other
 * subdomain fields, the secret store and the Flux source, are references: no file is named after them.)
 */
function checkFileNames(context: CheckContext, cluster: Cluster, c: number): void {
  const { env } = context;
  /** `"storageclass-<name>.yaml"`: the layout's file name with the name left open. */
  const fileOf = (kind: string, extra: string) => {
    const empty = unitFileName({ apiVersion: 'v1', kind, metadata: { name: '' } });
    return quote(`${empty.slice(0, -'.yaml'.length)}<name>${extra}.yaml`);
  };
  /** `extra` characters are added to `name` when rendered (the DR suffix of a derived twin). */
  const check = (name: string, kinds: readonly string[], path: ConfigPath, what: string, extra = '') => {
    const limit = Math.min(...kinds.map(longestFileName)) - extra.length;
    if (name.length <= limit) return;
    const files = kinds.map((kind) => fileOf(kind, extra)).join(' and ');
    const names = kinds.length > 1 ? `file names ${files} fit` : `file name ${files} fits`;
    const whose = extra === '' ? `its ${names}` : `the ${names.replace(' fit', ' of its DR twin fit')}`;
    context.report(path, finding(`${what} of at most ${limit} characters, so that ${whose} in 255 bytes`, `${quote(name)} (${name.length} characters)`));
  };
  const declared = new Set(cluster.storageClasses.map((sc) => sc.name));
  cluster.storageClasses.forEach((sc, k) => {
    const path: ConfigPath = ['clusters', c, 'storageClasses', k, 'name'];
    const mapped = env.dr.storageClasses[sc.name];
    const twin = mapped ?? `${sc.name}${env.dr.suffix}`;
    // A twin is rendered for a class whose DR name is not itself declared (lib/variant/storage.ts).
    const twinRendered = cluster.dr !== undefined && !declared.has(twin);
    if (twinRendered && mapped !== undefined) check(mapped, ['StorageClass'], ['dr', 'storageClasses', sc.name], 'a DR storage class name');
    if (twinRendered && mapped === undefined) check(sc.name, ['StorageClass'], path, 'a storage class name', env.dr.suffix);
    else check(sc.name, ['StorageClass'], path, 'a storage class name');
  });
  const edge = cluster.edge;
  if (edge === undefined) return;
  const kinds = edge.provider === 'calico' ? ['IPPool'] : ['IPAddressPool', 'L2Advertisement'];
  for (const side of ['prod', 'dr'] as const) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const plan = edge[side][family];
      // A pool without a CIDR exists already: twinops renders no object for it.
      if (plan?.pool === undefined || plan.cidr === undefined) continue;
      check(plan.pool, kinds, ['clusters', c, 'edge', side, family, 'pool'], 'a pool name');
    }
  }
}
