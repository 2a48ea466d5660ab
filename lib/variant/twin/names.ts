/**
 * Which objects the twin renames, and how a reference to one follows: kustomize's name
 * reference, over the app's own objects plus the peer Services of other twinned apps. A
 * reference to anything else (a shared secret, an infrastructure middleware) keeps its name.
 */
import { replaceHostTokens, type TokenContext } from './hosts';
import type { ObjectRef } from './types';

/** In-cluster host forms after the service name: `.ns`, `.ns.svc`, `.ns.svc.cluster.local`. */
const NAMESPACE_FORMS = ['', '.svc', '.svc.cluster.local'];

export class Renames {
  /** Namespaces of renamed objects by `kind/name`; '' for an object rendered without one. */
  private readonly namespaces = new Map<string, Set<string>>();

  public constructor(
    private readonly suffix: string,
    renamed: readonly ObjectRef[],
  ) {
    for (const ref of renamed) {
      const key = `${ref.kind}/${ref.name}`;
      const set = this.namespaces.get(key) ?? new Set<string>();
      set.add(ref.namespace ?? '');
      this.namespaces.set(key, set);
    }
  }

  /** Whether the object `kind/name` in `namespace` gets a twin name. Missing namespaces match any. */
  public renames(kind: string, name: string, namespace: string | undefined): boolean {
    const namespaces = this.namespaces.get(`${kind}/${name}`);
    if (namespaces === undefined) return false;
    return namespace === undefined || namespace === '' || namespaces.has('') || namespaces.has(namespace);
  }

  /** The twin's name of a reference to `kind/name`: suffixed when the object is renamed. */
  public follow(kind: string, name: string, namespace: string | undefined): string {
    return this.renames(kind, name, namespace) ? `${name}${this.suffix}` : name;
  }

  /**
   * A value naming Services by in-cluster host. Qualified forms (`redis.ns`, `redis.ns.svc`,
   * `redis.ns.svc.cluster.local`) follow wherever they stand as a token. A bare name follows
   * only as the whole value, `name:port`, or a URL's host, because a bare word such as `redis`
   * is as likely a setting (`CACHE_DRIVER=redis`) as a host.
   */
  public followServiceHosts(value: string, namespace: string | undefined): string {
    return replaceHostTokens(value, (context) => this.serviceToken(context, namespace));
  }

  private serviceToken(context: TokenContext, namespace: string | undefined): string | undefined {
    const { token } = context;
    const dot = token.indexOf('.');
    if (dot < 0) {
      const bare = isBareHost(context) && this.renames('Service', token, namespace);
      return bare ? `${token}${this.suffix}` : undefined;
    }
    const name = token.slice(0, dot);
    const rest = token.slice(dot + 1);
    const qualified = NAMESPACE_FORMS.map((form) => rest.slice(0, rest.length - form.length))
      .filter((ns, i) => rest === `${ns}${NAMESPACE_FORMS[i]}` && ns !== '' && !ns.includes('.'));
    // A qualified host names its namespace, so it must match exactly: `redis.com` is not `redis` in `com`.
    const follows = qualified.some((ns) => this.namespaces.get(`Service/${name}`)?.has(ns) === true);
    return follows ? `${name}${this.suffix}.${rest}` : undefined;
  }
}

/** Whether a dot-free token stands where a host does: the whole value, `host:port`, or after `://`. */
function isBareHost({ token, offset, value }: TokenContext): boolean {
  const after = value.slice(offset + token.length);
  const whole = offset === 0 && (after === '' || /^:\d+$/.test(after));
  const urlHost = value.slice(0, offset).endsWith('://') && /^(:\d+)?([/?#]|$)/.test(after);
  return whole || urlHost;
}
