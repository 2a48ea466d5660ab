/**
 * `dr plan`: the environment rendered as it is and as it would be after a state change, through
 * the same load, compose, schema and policy checks as synth, and the difference object by
 * object. Nothing is written.
 */
import type { AppCatalog } from '../config/catalog';
import type { Environment } from '../config/environment';
import type { RenderedEnvironment } from '../model';
import { renderFiles, type Compose } from '../synth';
import { prepareStateChange, type DrTarget, type StateChangePlan } from './change';
import { diffRenders, type RenderDiff } from './diff';

export interface PlanOptions {
  /** The environment file. */
  readonly file: string;
  readonly target: DrTarget;
  readonly compose: Compose;
  readonly catalog: AppCatalog;
  /** The rendered tree (read only: whether a cluster entry keeps a `flux-system` folder). */
  readonly distDir: string;
}

export interface DrPlan {
  readonly change: StateChangePlan;
  readonly diff: RenderDiff;
}

/**
 * Renders one environment exactly as synth does (schemas and policies included) and returns its
 * objects, and as documents every file synth adds outside the unit folders (the runbook).
 */
export function renderEnvironment(env: Environment, compose: Compose, distDir: string): RenderedEnvironment {
  const { files, rendered: [rendered] } = renderFiles([env], compose, distDir);
  if (rendered === undefined) throw new Error(`environment ${env.name} was not rendered`);
  const units = new Set(rendered.units.map((unit) => unit.path));
  const documents = [...files]
    .filter(([path]) => !units.has(path.slice(0, path.lastIndexOf('/'))))
    .map(([path, content]) => ({ path, content }));
  return { ...rendered, documents };
}

/** What changing the state to `target` would change in the render. */
export function planState(options: PlanOptions): DrPlan {
  const change = prepareStateChange(options.file, options.target, { knownApps: options.catalog });
  const before = renderEnvironment(change.before, options.compose, options.distDir);
  const after = change.after === change.before ? before : renderEnvironment(change.after, options.compose, options.distDir);
  return { change, diff: diffRenders(before, after) };
}
