/**
 * The twin of one placed app: the environment's DR rules for it (suffix, class map, DR node,
 * replicas for the state, hosts and identity, namespace) turned into the transform's
 * `TwinRules`, and the transform run on the app's rendered prod objects.
 */
import { timePhase } from '../bench/phases';
import type { AppPlacement, Cluster, Environment } from '../config/environment';
import { appState } from '../config/environment';
import { UserError } from '../errors';
import type { ApiObjectJson } from '../model';
import { drHost, drNamespace, drReplicas, drStorageClass, twinHome, twinPlacement } from './rules';
import { twinObjects } from './twin';
import type { ObjectRef, TwinDeclaration, TwinObject, TwinRules } from './twin/types';

/** Kinds whose object a twin in the prod namespace uses as it is: a cloned database keeps prod's passwords. */
const SHARED_IN_NAMESPACE = new Set(['ExternalSecret', 'SealedSecret']);

/** What decides an app's twin besides the environment. */
export interface AppTwinInput {
  readonly env: Environment;
  readonly cluster: Cluster;
  readonly placement: AppPlacement;
  /** The app's rendered prod objects, before any variant label. */
  readonly prod: readonly ApiObjectJson[];
  /** Prod Services of the apps it depends on that have twins on the cluster: references to them follow. */
  readonly peerServices: readonly ObjectRef[];
  /** Prod Services of the apps it depends on that have no twin: the twin keeps reaching them. */
  readonly fixedServices: readonly ObjectRef[];
  /** The app's declarations for objects the rule table cannot interpret. */
  readonly declarations?: readonly TwinDeclaration[];
  /** Objects the app declares shared with prod. */
  readonly shared?: readonly ObjectRef[];
}

const refOf = (object: ApiObjectJson): ObjectRef => ({
  kind: object.kind,
  name: object.metadata.name,
  ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
});

/** The transform's rules for an app's twin, from the environment's DR rules. */
export function twinRulesFor(input: AppTwinInput): TwinRules {
  const { env, cluster, placement } = input;
  const state = appState(env, placement);
  const host = placement.host;
  const twinHost = drHost(env, placement);
  const sameNamespace = drNamespace(env, placement.namespace) === placement.namespace;
  const home = twinHome(env, cluster, placement);
  // On another cluster nothing of prod's is at hand: the twin renders its own copy of everything.
  const sharing = sameNamespace && home === cluster;
  const sharedByKind = sharing ? input.prod.filter((object) => SHARED_IN_NAMESPACE.has(object.kind)).map(refOf) : [];
  const prodEdge = cluster.edge;
  const twinEdge = home.edge;
  return {
    suffix: env.dr.suffix,
    storageClass: (prodClass) => drStorageClass(env, prodClass),
    placement: twinPlacement(home),
    replicas: (prodCount) => drReplicas(state, prodCount),
    state,
    hosts: {
      twinOf: host !== undefined && twinHost !== undefined ? { [host]: twinHost } : {},
      // The twin's route answers prod's host too, so activation is a DNS change only.
      routesAnswerBoth: true,
      identity: placement.dr.identity === 'production' || state === 'active' ? 'production' : 'twin',
    },
    ...(prodEdge && twinEdge ? { ingressClass: (prodClass: string) => (prodClass === prodEdge.prod.name ? twinEdge.dr.name : prodClass) } : {}),
    ...(sameNamespace ? {} : { namespace: (namespace: string) => drNamespace(env, namespace) }),
    peerServices: input.peerServices,
    fixedServices: input.fixedServices,
    declarations: input.declarations ?? [],
    shared: [...sharedByKind, ...(home === cluster ? (input.shared ?? []) : [])],
  };
}

/** An app's twin: its objects with the paths the transform changed, and the prod objects it shares. */
export interface AppTwin {
  readonly objects: readonly TwinObject[];
  /** `Kind/name` of each prod object the twin uses as it is. */
  readonly shared: readonly string[];
}

/** The twin of a placed app, or every problem at once. */
export function twinOfApp(input: AppTwinInput): AppTwin {
  return timePhase('twin', () => twinOfAppUntimed(input));
}

function twinOfAppUntimed(input: AppTwinInput): AppTwin {
  const rules = twinRulesFor(input);
  const result = twinObjects(input.prod, rules);
  if (result.ok) return { objects: result.objects, shared: [...new Set((rules.shared ?? []).map((ref) => `${ref.kind}/${ref.name}`))].sort() };
  const where = `app ${input.placement.app} on cluster ${input.cluster.name}`;
  throw new UserError([`${where}: its DR twin cannot be derived:`, ...result.errors.map((error) => `  - ${error.message}`)].join('\n'));
}
