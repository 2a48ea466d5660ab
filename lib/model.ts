/**
 * The shapes that flow between the stages after the charts: plain API objects grouped into
 * units. A unit is one folder of `dist/` that one Flux Kustomization reconciles.
 */
import type { EnvironmentPlan } from './plan';
import type { Content } from './render/content';

/** One rendered Kubernetes object, as cdk8s synthesizes it (plain JSON). */
export interface ApiObjectJson {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** A folder of `dist/` and the objects it holds. */
export interface RenderedUnit {
  /** Folder relative to `dist/`, with `/` separators, e.g. `home/home/apps/wordpress/prod`. */
  readonly path: string;
  readonly objects: readonly ApiObjectJson[];
  /**
   * Entries owned by someone else that the unit's `kustomization.yaml` must list as well, such
   * as the `flux-system` folder `flux bootstrap` writes into a cluster entry folder. Default: none.
   */
  readonly include?: readonly string[];
  /**
   * The cluster (`<env>/<cluster>`) the unit's objects are applied to, when not the one its path
   * names: a Cluster API workload cluster's entry is applied on the management cluster. Default:
   * from the path.
   */
  readonly appliedTo?: string;
  /**
   * For a twin unit: its prod unit and, per twin object derived by the twin transform
   * (`Kind/name`), the field paths the transform changed. Parity checks the twin against prod
   * with exactly these. Default: not a twin unit.
   */
  readonly twin?: TwinRecord;
}

/** How a twin unit was derived from its prod unit. */
export interface TwinRecord {
  /** Path of the prod unit. */
  readonly prod: string;
  /** Changed field paths (parity-formatted, sorted) by twin object `Kind/name`. */
  readonly changed: Readonly<Record<string, readonly string[]>>;
  /** Prod objects (`Kind/name`) the twin uses as they are, so they have no twin. */
  readonly shared: readonly string[];
}

/** A file that is not an API object, written verbatim (the runbook, for example). */
export interface RenderedDocument {
  /** Path relative to `dist/`, e.g. `home/RUNBOOK.md`. */
  readonly path: string;
  /** Text, or text in parts the writer encodes without joining (./render/content.ts). */
  readonly content: Content;
}

/** Everything one render produces for one environment. */
export interface RenderedEnvironment {
  readonly environment: string;
  readonly units: readonly RenderedUnit[];
  readonly documents: readonly RenderedDocument[];
}

/** A unit as the composition root plans it: its folder now, its objects when rendered. */
export interface ComposedUnit {
  readonly path: string;
  /** Builds the unit's objects; may throw what a chart throws. Each call builds them anew. */
  render(): RenderedUnit;
}

/** An environment's units, planned and not yet rendered: the render cache renders only the units whose inputs changed. */
export interface ComposedEnvironment {
  readonly environment: string;
  readonly units: readonly ComposedUnit[];
  /** The plan the units come from, when the composition root gives it: the runbook reads its paths and names instead of planning again. */
  readonly plan?: EnvironmentPlan;
}

/** Every unit of a composed environment, rendered in order. */
export function renderAll(composed: ComposedEnvironment): RenderedEnvironment {
  return { environment: composed.environment, units: composed.units.map((unit) => unit.render()), documents: [] };
}

/** Units rendered already, as a composition root would plan them (for tests and tools that transform a render). */
export function composedOf(rendered: RenderedEnvironment): ComposedEnvironment {
  return { environment: rendered.environment, units: rendered.units.map((unit) => ({ path: unit.path, render: () => unit })) };
}
