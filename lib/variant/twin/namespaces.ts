/**
 * Where the twin lives (`dr.namespace: suffixed`): which prod namespaces the twin moves, and to
 * which namespace. A namespace moves when the environment's mapping changes it and the app has
 * objects there: a renamed object of a kind that lives with the app, a namespace its objects act
 * in (a Flux `targetNamespace`), or a twinned peer Service.
 *
 * Objects that live with their controller rather than with the app (an IngressRoute and its
 * Middleware in `traefik`, a HelmRelease in `flux-system`) do not make their namespace the app's:
 * the controller watches only its own namespace, so their twins stay beside it, and they move
 * only when the app's other objects live there too.
 */
export class TwinNamespaces {
  /** Twin namespace of each prod namespace the twin moves. */
  private readonly moved = new Map<string, string>();

  /**
   * @param appNamespaces prod namespaces the app's twinned objects (and twinned peers) live in
   * @param map the environment's twin namespace of a prod namespace; undefined: nothing moves
   */
  public constructor(appNamespaces: Iterable<string>, map: ((prodNamespace: string) => string) | undefined) {
    if (map === undefined) return;
    for (const namespace of appNamespaces) {
      const twin = map(namespace);
      if (twin !== namespace) this.moved.set(namespace, twin);
    }
  }

  /** Whether the twin moves prod namespace `namespace` elsewhere. */
  public moves(namespace: string | undefined): namespace is string {
    return namespace !== undefined && this.moved.has(namespace);
  }

  /** The twin's namespace for prod namespace `namespace`: moved, or the same. */
  public of(namespace: string): string {
    return this.moved.get(namespace) ?? namespace;
  }
}
