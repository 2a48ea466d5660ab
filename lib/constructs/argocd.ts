/**
 * Argo CD as the delivery engine: the Application that syncs one unit folder of `dist/`, the root
 * Application of a cluster (app of apps over the cluster's entry folder), and the sync waves that
 * stand in for Flux's `dependsOn` (study fleet.md §B.11, §D.5, §D.6).
 */
import { Construct } from 'constructs';
import { Application } from '../../imports/argoproj.io';
import { cycles } from '../render/policies/references';
import { LABEL } from '../variant/rules';

/** The finalizer that makes deleting an Application delete its objects, as deleting a Flux unit does. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** The annotation that orders Applications of one app of apps: lower waves sync and turn healthy first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** How Argo CD addresses the cluster it runs in; no cluster Secret is needed for it. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Where an Application's objects go: exactly one of `server` and `name`. */
export interface ArgoDestination {
  /** API server URL of the target cluster, e.g. `https://kubernetes.default.svc`. Default: none (give `name`). */
  readonly server?: string;
  /** Name of an Argo CD cluster Secret, e.g. `edge-1` for a hub-delivered cluster. Default: none (give `server`). */
  readonly name?: string;
  /** Namespace for objects that name none. Default: none (unit objects carry their namespace). */
  readonly namespace?: string;
}

/** What every Application of an environment shares: the repository, its revision and the Argo CD project. */
export interface ArgoSource {
  /** Git repository holding `dist/`, e.g. `https://git.example.org/platform/estate.git`. */
  readonly repoURL: string;
  /** Branch, tag or commit Argo CD syncs, e.g. `main`. */
  readonly revision: string;
  /** Argo CD project of the Applications, e.g. `default`. */
  readonly project: string;
  /** Namespace of the Application objects: the one Argo CD watches, e.g. `argocd`. */
  readonly namespace: string;
}

export interface ArgoUnitProps extends ArgoSource {
  /** Name of the Application, e.g. `wordpress`, or `edge-1-redis` for a hub-delivered cluster. */
  readonly name: string;
  /** Unit folder as Argo CD reads it: relative to the repository root, no `./` (see `argoPath`). */
  readonly path: string;
  /** Sync wave within the cluster's entry, an integer (see `syncWaves`); may be negative. */
  readonly wave: number;
  /** The cluster the unit's objects are applied to. */
  readonly destination: ArgoDestination;
}

/**
 * The Application that syncs one unit folder: automated with prune and self-heal (Flux's `prune`
 * and drift correction), with the resources finalizer so that removing the unit removes its
 * objects, except the stateful ones, which carry `Delete=false` (see `protect.ts`).
 */
export class ArgoUnit extends Construct {
  public constructor(scope: Construct, id: string, props: ArgoUnitProps) {
    super(scope, id);
    const where = `Argo CD Application "${props.name}"`;
    if (!Number.isInteger(props.wave)) throw new Error(`${where}: wave must be an integer, given ${String(props.wave)}`);
    new Application(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { [LABEL.managedBy]: 'twinops' },
        annotations: { [SYNC_WAVE_ANNOTATION]: String(props.wave) },
        finalizers: [RESOURCES_FINALIZER],
      },
      spec: applicationSpec(where, props, props.destination),
    });
  }
}

export interface ArgoRootProps extends ArgoSource {
  /** The cluster whose entry the root delivers, e.g. `east`; names the Application `root-<cluster>`. */
  readonly cluster: string;
  /** The cluster's entry folder as Argo CD reads it, e.g. `dist/regions/clusters/east` (see `argoPath`). */
  readonly path: string;
}

/** Name of the root Application of a cluster. */
export function argoRootName(cluster: string): string {
  return `root-${cluster}`;
}

/**
 * The root Application of one cluster, applied by hand once (the Argo CD counterpart of `flux
 * bootstrap --path`): it syncs the cluster's entry folder, whose Applications deliver the units.
 * It targets its own cluster and namespace, where the unit Applications live. Without the
 * resources finalizer, on purpose: deleting the root (to re-point or re-create it) must leave the
 * cluster running, not cascade through every unit Application to every object.
 */
export class ArgoRoot extends Construct {
  public constructor(scope: Construct, id: string, props: ArgoRootProps) {
    super(scope, id);
    const name = argoRootName(props.cluster);
    new Application(this, 'Resource', {
      metadata: { name, namespace: props.namespace, labels: { [LABEL.managedBy]: 'twinops' } },
      spec: applicationSpec(`Argo CD Application "${name}"`, props, { server: IN_CLUSTER_SERVER, namespace: props.namespace }),
    });
  }
}

/** The spec both Applications share; `where` names the Application in errors. */
function applicationSpec(where: string, props: ArgoSource & { readonly path: string }, destination: ArgoDestination) {
  checkPath(where, props.path);
  checkDestination(where, destination);
  return {
    project: props.project,
    destination: { server: destination.server, name: destination.name, namespace: destination.namespace },
    source: { repoUrl: props.repoURL, targetRevision: props.revision, path: props.path },
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  };
}

/** Argo CD refuses a destination with both or neither of `server` and `name`; say so at render time. */
function checkDestination(where: string, destination: ArgoDestination): void {
  const given = [destination.server === undefined ? undefined : `server "${destination.server}"`, destination.name === undefined ? undefined : `name "${destination.name}"`].filter((part) => part !== undefined);
  if (given.length !== 1) {
    throw new Error(`${where}: destination must have exactly one of server and name, given ${given.length === 0 ? 'neither' : given.join(' and ')}`);
  }
}

/** A path inside the repository, as Argo CD resolves it: relative, with no `.`, `..` or empty segment. */
function checkPath(where: string, path: string): void {
  const segments = path.split('/');
  if (path === '' || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new Error(`${where}: source path must be a folder relative to the repository root, like "dist/home/clusters/home", given "${path}"`);
  }
}

/**
 * Joins where `dist/` sits in the repository (the environment's `gitops.pathPrefix`, written for
 * Flux as `./dist`) and a unit path into the path Argo CD reads: `dist/home/clusters/home`.
 */
export function argoPath(prefix: string, path: string): string {
  const trimmed = prefix.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return trimmed === '' || trimmed === '.' ? path : `${trimmed}/${path}`;
}

/** A unit and the units it needs first, by name, as Flux's `dependsOn` says it. */
export interface UnitDependencies {
  /** The unit's name, e.g. `wordpress`. */
  readonly name: string;
  /** Names of the units that must be healthy first. */
  readonly dependsOn: readonly string[];
}

/**
 * The sync wave of each unit: 0 for a unit that depends on nothing, else one more than the
 * highest wave among its dependencies, so every unit syncs after all it depends on and units
 * that do not depend on each other share a wave. A duplicate unit, a dependency on a unit not
 * given, or a cycle is an error that names it.
 */
export function syncWaves(units: readonly UnitDependencies[]): Map<string, number> {
  const dependencies = new Map<string, readonly string[]>();
  for (const unit of units) {
    if (dependencies.has(unit.name)) throw new Error(`sync waves: unit "${unit.name}" is given twice`);
    dependencies.set(unit.name, unit.dependsOn);
  }
  for (const unit of units) {
    const unknown = unit.dependsOn.filter((name) => !dependencies.has(name));
    if (unknown.length > 0) {
      throw new Error(`sync waves: unit "${unit.name}" depends on ${unknown.map((name) => `"${name}"`).join(', ')}, expected one of the units given (${[...dependencies.keys()].join(', ')})`);
    }
  }
  const loops = cycles(dependencies);
  if (loops.length > 0) {
    throw new Error(`sync waves: dependency ${loops.length === 1 ? 'cycle' : 'cycles'} ${loops.map((loop) => loop.join(' → ')).join('; ')}`);
  }
  const waves = new Map<string, number>();
  const waveOf = (name: string): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    const wave = Math.max(-1, ...(dependencies.get(name) ?? []).map(waveOf)) + 1;
    waves.set(name, wave);
    return wave;
  };
  return new Map(units.map((unit) => [unit.name, waveOf(unit.name)]));
}
