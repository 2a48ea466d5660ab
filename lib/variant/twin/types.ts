/**
 * The shapes of the twin transform (DESIGN.md "Variant rules"): what the environment decides
 * for one app's twin (`TwinRules`), what an app declares about objects no table rule covers
 * (`TwinDeclaration`), and what the transform returns (`TwinResult`).
 */
import type { ApiObjectJson } from '../../model';
import type { DrState } from '../../config/schema';
import type { Placement } from '../rules';

/** An object of the app, by kind and prod name (and namespace, when it matters). */
export interface ObjectRef {
  /** Kind, e.g. `Service`. */
  readonly kind: string;
  /** Prod name, e.g. `redis`. */
  readonly name: string;
  /** Namespace. Default: any namespace. */
  readonly namespace?: string;
}

/** A value path that holds the name of another object, and the kind of that object. */
export interface NameReference {
  /** Path pattern (see `paths.ts`): dots, `[]` for every item, `*` for every key, `["a.b"]` for keys with dots. */
  readonly path: string;
  /** Kind of the named object; a `Service` reference also follows in-cluster host forms. */
  readonly kind: string;
}

/**
 * What an app declares about one of its objects whose fields no table rule knows: a HelmRelease's
 * values, another CRD's spec. Only these paths are transformed; every path must exist.
 */
export interface TwinDeclaration {
  /** Kind of the declared object, e.g. `HelmRelease`. */
  readonly kind: string;
  /** Its prod name. */
  readonly name: string;
  /** Paths holding names of other objects, which follow their renames. Default: none. */
  readonly names?: readonly NameReference[];
  /** Paths holding the app's public host names, which take the twin's identity host. Default: none. */
  readonly hosts?: readonly string[];
  /** Paths holding storage class names, mapped through `TwinRules.storageClass`. Default: none. */
  readonly storageClasses?: readonly string[];
  /** Paths holding node selector maps, merged with the DR node's. Default: none. */
  readonly nodeSelectors?: readonly string[];
  /** Paths holding toleration lists, extended with the DR node's. Default: none. */
  readonly tolerations?: readonly string[];
  /** Paths holding replica counts, set through `TwinRules.replicas`. Default: none. */
  readonly replicas?: readonly string[];
  /** Paths holding ingress class names (a chart's `ingress.className`), mapped through `TwinRules.ingressClass`. Default: none. */
  readonly ingressClasses?: readonly string[];
}

/** How the twin's hosts relate to prod's. */
export interface TwinHosts {
  /** DR host of each public prod host, e.g. `blog.example.org` → `blog-dr.example.org`. */
  readonly twinOf: Readonly<Record<string, string>>;
  /** Whether the twin's routes answer the prod host as well, so activation needs no route change. */
  readonly routesAnswerBoth: boolean;
  /**
   * Which host the twin's identity values (config data, env values, declared host paths) name:
   * its own DR host, or production's (when active, or for an app whose DR identity is production).
   */
  readonly identity: 'twin' | 'production';
}

/** What the environment decides for one app's twin. */
export interface TwinRules {
  /** Suffix of every twin name, e.g. `-dr`. */
  readonly suffix: string;
  /** DR class of a prod storage class (the environment's map, else `<class>-dr`). */
  readonly storageClass: (prodClass: string) => string;
  /** Where the twin's pods run: the DR node's labels and a toleration per taint. */
  readonly placement: Placement;
  /** Replica count of a twin workload whose prod count is `prodCount`, for the DR state. */
  readonly replicas: (prodCount: number) => number;
  /** The app's DR state: `syncing` also suspends CronJobs. */
  readonly state: DrState;
  /** Public host names of the twin. */
  readonly hosts: TwinHosts;
  /** Ingress class of the twin's routes for a prod class (`traefik-external` → `traefik-dr`). Default: unchanged. */
  readonly ingressClass?: (prodClass: string) => string;
  /** Services of other apps that have twins too: in-cluster hosts naming them follow. Default: none. */
  readonly peerServices?: readonly ObjectRef[];
  /**
   * Twin namespace of a prod namespace (`dr.namespace: suffixed`: `home` → `home-dr`). Twinned
   * objects in a namespace the app lives in move there, and references to renamed objects and
   * their in-cluster hosts follow (see `namespaces.ts` for which namespaces are the app's).
   * A namespace it maps to itself stays. Default: every namespace stays.
   */
  readonly namespace?: (prodNamespace: string) => string;
  /**
   * Services of other apps without a twin (kind `Service`) that the twin keeps using. When the
   * twin moves out of their namespace, a bare host naming one in a value (`redis`,
   * `redis:6379`, `http://redis/`) gets its namespace (`redis.home.svc`). Default: none.
   */
  readonly fixedServices?: readonly ObjectRef[];
  /** The app's declarations for objects the table does not cover. Default: none. */
  readonly declarations?: readonly TwinDeclaration[];
  /**
   * Objects the twin shares with prod (credentials in a shared namespace): not copied, not renamed.
   * None may live in a namespace the twin moves out of, where the twin could not reach it. Default: none.
   */
  readonly shared?: readonly ObjectRef[];
  /**
   * Label keys that identify an instance; selectors keep variants apart by suffixing their values.
   * Default: `app.kubernetes.io/instance` and cdk8s-plus's `cdk8s.io/metadata.addr`.
   */
  readonly instanceLabels?: readonly string[];
}

/** One twin object and the fields the transform changed, so parity can be exact. */
export interface TwinObject {
  readonly object: ApiObjectJson;
  /** Changed field paths, parity-formatted (`spec.template.spec.nodeSelector["kubernetes.io/hostname"]`), sorted. */
  readonly changed: readonly string[];
}

/** Why an object could not be twinned. */
export interface TwinError {
  /** The prod object, as `Kind/name`. */
  readonly object: string;
  /** The field at fault, when there is one. */
  readonly path?: string;
  readonly message: string;
}

/** The twin of an app: every object in prod order (shared ones left out), or every problem at once. */
export type TwinResult =
  | { readonly ok: true; readonly objects: readonly TwinObject[] }
  | { readonly ok: false; readonly errors: readonly TwinError[] };
