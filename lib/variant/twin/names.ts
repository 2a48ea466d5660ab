/**
 * Which objects the twin renames, and how a reference to one follows: kustomize's name
 * reference, over the app's own objects plus the peer Services of other twinned apps. A
 * reference to anything else (a shared secret, an infrastructure middleware) keeps its name,
 * and its namespace.
 */
import { replaceHostTokens, type TokenContext } from './hosts';
import type { TwinNamespaces } from './namespaces';
import type { ObjectRef } from './types';

/** In-cluster host forms after the service name: `.ns`, `.ns.svc`, `.ns.svc.cluster.local`. */
const NAMESPACE_FORMS = ['', '.svc', '.svc.cluster.local'];

/** Namespaces of objects by `kind/name`; '' for an object rendered (or declared) without one. */
function namespacesByName(refs: readonly ObjectRef[]): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  for (const ref of refs) {
    const key = `${ref.kind}/${ref.name}`;
    const set = byName.get(key) ?? new Set<string>();
    set.add(ref.namespace ?? '');
    byName.set(key, set);
  }
  return byName;
}

/** Whether `namespaces` holds `namespace`; a missing namespace on either side matches any. */
function holds(namespaces: ReadonlySet<string> | undefined, namespace: string | undefined): boolean {
  if (namespaces === undefined) return false;
  return namespace === undefined || namespace === '' || namespaces.has('') || namespaces.has(namespace);
}

export class Renames {
  private readonly renamed: Map<string, Set<string>>;
  /** Services that keep their name and namespace although other apps' twins name them. */
  private readonly fixed: Map<string, Set<string>>;

  /**
   * @param suffix the twin name suffix
   * @param renamed objects that get a twin name: the app's and its twinned peers'
   * @param namespaces the namespaces the twin moves
   * @param fixedServices Services without a twin (see `TwinRules.fixedServices`)
   */
  public constructor(
    private readonly suffix: string,
    renamed: readonly ObjectRef[],
    private readonly namespaces: TwinNamespaces,
    fixedServices: readonly ObjectRef[] = [],
  ) {
    this.renamed = namespacesByName(renamed);
    this.fixed = namespacesByName(fixedServices);
  }

  /** Whether the object `kind/name` in `namespace` gets a twin name. Missing namespaces match any. */
  public renames(kind: string, name: string, namespace: string | undefined): boolean {
    return holds(this.renamed.get(`${kind}/${name}`), namespace);
  }

  /** The twin's name of a reference to `kind/name`: suffixed when the object is renamed. */
  public follow(kind: string, name: string, namespace: string | undefined): string {
    return this.renames(kind, name, namespace) ? `${name}${this.suffix}` : name;
  }

  /**
   * The twin's namespace in a reference to `kind/name` in `namespace`: moved with the object
   * when the object is renamed; a reference to a shared or infrastructure object keeps it.
   */
  public followNamespace(kind: string, name: string, namespace: string): string {
    return this.renames(kind, name, namespace) ? this.namespaces.of(namespace) : namespace;
  }

  /**
   * A value naming Services by in-cluster host, read from an object in `namespace`. Qualified
   * forms (`redis.ns`, `redis.ns.svc`, `redis.ns.svc.cluster.local`) follow wherever they stand
   * as a token, into the twin's namespace. A bare name follows only as the whole value,
   * `name:port`, or a URL's host, because a bare word such as `redis` is as likely a setting
   * (`CACHE_DRIVER=redis`) as a host. When the twin leaves `namespace`, a bare host of a fixed
   * Service gets its namespace (`redis.home.svc`), since the short name no longer reaches it.
   * `key` is the setting the value belongs to (an env var's name, a ConfigMap key): a bare name
   * as the whole value (`redis`, `redis:6379`) counts as a host only under a key that names one
   * (`WP_REDIS_HOST`, `DATABASE_URL`), never under `POSTGRES_DB` or `POSTGRES_USER`, whose value
   * `nextcloud` may well equal a Service's name. A URL's host always counts.
   */
  public followServiceHosts(value: string, namespace: string | undefined, key?: string): string {
    const bareWhole = key === undefined || namesHost(key);
    return replaceHostTokens(value, (context) => this.serviceToken(context, namespace, true, bareWhole));
  }

  /**
   * A field holding a Service's name (a route backend): as `followServiceHosts`, except that a
   * bare name stays a name, never a qualified host.
   */
  public followServiceName(value: string, namespace: string | undefined): string {
    return replaceHostTokens(value, (context) => this.serviceToken(context, namespace, false));
  }

  private serviceToken(context: TokenContext, namespace: string | undefined, qualifyFixed: boolean, bareWhole = true): string | undefined {
    const { token } = context;
    const dot = token.indexOf('.');
    if (dot < 0) {
      if (!isBareHost(context, bareWhole)) return undefined;
      if (this.renames('Service', token, namespace)) return `${token}${this.suffix}`;
      if (qualifyFixed && this.namespaces.moves(namespace) && holds(this.fixed.get(`Service/${token}`), namespace)) return `${token}.${namespace}.svc`;
      return undefined;
    }
    const name = token.slice(0, dot);
    const rest = token.slice(dot + 1);
    // A qualified host names its namespace, so it must match exactly: `redis.com` is not `redis` in `com`.
    const match = NAMESPACE_FORMS.map((form) => ({ form, ns: rest.endsWith(form) ? rest.slice(0, rest.length - form.length) : '' })).find(
      ({ ns }) => ns !== '' && !ns.includes('.') && this.renamed.get(`Service/${name}`)?.has(ns) === true,
    );
    return match ? `${name}${this.suffix}.${this.namespaces.of(match.ns)}${match.form}` : undefined;
  }
}

/** Words of a setting's name that say its value is a host (`KC_DB_URL_HOST`, `redisAddress`). */
const HOST_WORDS = new Set(['host', 'hostname', 'hosts', 'addr', 'address', 'server', 'servers', 'endpoint', 'endpoints', 'url', 'uri', 'dsn', 'broker', 'brokers', 'upstream', 'backend', 'service']);

/**
 * Whether a setting's name says it holds a host: its last word (snake, kebab or camel case) is a
 * host word. The last, because it names what the value is: `KC_DB_URL_HOST` is a host,
 * `KC_DB_URL_DATABASE` a database name.
 */
export function namesHost(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter((word) => word !== '');
  return HOST_WORDS.has(words[words.length - 1] ?? '');
}

/**
 * Whether a dot-free token stands where a host does: after `://`, or (when `bareWhole`) as the
 * whole value or `host:port`.
 */
function isBareHost({ token, offset, value }: TokenContext, bareWhole: boolean): boolean {
  const after = value.slice(offset + token.length);
  const whole = bareWhole && offset === 0 && (after === '' || /^:\d+$/.test(after));
  const urlHost = value.slice(0, offset).endsWith('://') && /^(:\d+)?([/?#]|$)/.test(after);
  return whole || urlHost;
}
