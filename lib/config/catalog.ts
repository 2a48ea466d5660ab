/**
 * What the loader knows of a chart: enough to check an environment (does the app exist, does
 * it need a host, which storage roles and credentials, what it waits for) without importing
 * `charts/`, since `lib/` never does. The entry point passes the real catalog.
 */

/** One chart of `charts/apps`, as the environment checks see it. */
export interface AppCatalogEntry {
  /** Chart name, as environments write it in `apps[].app`. */
  readonly name: string;
  /** Serves HTTP, so a placement must give its production `host`. */
  readonly needsHost: boolean;
  /** Storage roles its claims ask for (`database`, `files`); each must map to a class of the cluster. */
  readonly storageRoles: readonly string[];
  /** Reads credentials, so the environment must declare a `secrets` store. */
  readonly needsSecrets: boolean;
  /** Apps it needs first (its Flux dependsOn) unless the placement says otherwise. */
  readonly dependsOn: readonly string[];
}

/** The catalog keyed by chart name, as `loadEnvironment` takes it. */
export type AppCatalog = ReadonlyMap<string, AppCatalogEntry>;

/** Builds a catalog from its entries. */
export function appCatalog(entries: Iterable<AppCatalogEntry>): AppCatalog {
  return new Map([...entries].map((entry) => [entry.name, entry]));
}
