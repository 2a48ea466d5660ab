/**
 * What an app is to twinops: a plain cdk8s Chart written once, for production, and a registry
 * entry naming what the environment cannot infer. The twin is never written: `lib/variant/`
 * derives it from the prod chart's rendered objects.
 */
import type { Chart, ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ObjectRef, TwinDeclaration } from '../variant/twin/types';

/** The secret store an app's ExternalSecrets read from (the environment's `secrets`). */
export interface SecretStoreRef {
  readonly kind: 'SecretStore' | 'ClusterSecretStore';
  readonly name: string;
  /** How often External Secrets re-reads the store, e.g. `1h`. */
  readonly refreshInterval: string;
}

/**
 * What the environment gives an app's prod chart. Reading a field is what makes it required:
 * twinops learns an app's needs (a host, a secret store, its storage roles) by rendering it.
 */
export interface AppProps extends ChartProps {
  /** Namespace of the app's objects; cdk8s sets it on every object that names none. */
  readonly namespace: string;
  /** The public host name the app serves and believes it has, e.g. `blog.example.org`. */
  readonly host: string;
  /** Replicas the placement asks for; a chart that can only run one pod uses `Math.min(1, replicas)`. */
  readonly replicas: number;
  /**
   * The storage class of the cluster for a storage `role` the chart names (`database`, `files`):
   * the environment maps roles to classes, so charts never name a class.
   */
  storageClass(role: string): string;
  /**
   * The in-cluster host of Service `service` (its prod name) of app `app`, which must be one of
   * the app's `dependsOn`: short when it shares the namespace, `name.namespace.svc` otherwise.
   */
  serviceHost(app: string, service: string): string;
  /** The environment's secret store, for ExternalSecrets; twinops never renders a plaintext Secret. */
  readonly secretStore: SecretStoreRef;
}

/** The Service an app is reached through from outside, by its prod name. */
export interface AppEndpoint {
  /** The Service's prod name, e.g. `wordpress`. */
  readonly service: string;
  /** Its port. */
  readonly port: number;
}

/** What the twin transform cannot infer from the objects alone. */
export interface AppTwinDeclarations {
  /** Objects of kinds the rule table does not know (a HelmRelease's values): which value paths hold what. Default: none. */
  readonly declarations?: readonly TwinDeclaration[];
  /** Objects the twin uses as they are instead of copying. Default: none (ExternalSecrets are shared in a shared namespace). */
  readonly shared?: readonly ObjectRef[];
}

/** One app of the registry. */
export interface AppDefinition {
  /** The name environments place it by (`apps[].app`), and the id of its chart. */
  readonly name: string;
  /** Apps it needs on the same cluster first (Flux `dependsOn`, and the only apps `serviceHost` may name). Default: none. */
  readonly dependsOn?: readonly string[];
  /**
   * Its public HTTP endpoint: twinops renders the route, balancer and DNS record of each variant
   * (the edge changes with the DR state, so it is the platform's, not the chart's). Default: none.
   */
  readonly endpoint?: AppEndpoint;
  /** Twin declarations for objects the rule table cannot interpret. Default: none. */
  readonly twin?: AppTwinDeclarations;
  /** Builds the prod chart; `props` include `disableResourceNameHashes`, so pass them to `Chart`. */
  readonly chart: (scope: Construct, id: string, props: AppProps) => Chart;
}

/** The apps an estate can place, by name. */
export type AppRegistry = ReadonlyMap<string, AppDefinition>;

/** A registry from its definitions; two apps of one name is a mistake in `charts/apps/index.ts`. */
export function appRegistry(definitions: readonly AppDefinition[]): AppRegistry {
  const registry = new Map<string, AppDefinition>();
  for (const definition of definitions) {
    if (registry.has(definition.name)) throw new Error(`two apps are named ${definition.name} in the app registry`);
    registry.set(definition.name, definition);
  }
  return registry;
}
