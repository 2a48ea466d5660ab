/**
 * One timed render of the bench fleet, the way `synth` renders (load, compose with the twins,
 * runbook, layout, validate, policies, write), with each phase on a `PhaseClock`.
 */
import type { Content } from '../render/content';
import type { AppCatalogEntry } from '../config/catalog';
import type { RenderedUnit } from '../model';
import { realOutputPath } from '../render/output-paths';
import type { UnitCache } from '../render/unit-cache';
import { writeTree, type WriteResult } from '../render/write';
import { environmentFiles, isBootstrapFile, loadEnvironments, renderFiles, type Compose } from '../synth';
import { PhaseClock, withPhaseClock } from './phases';

export interface TimedRender {
  readonly clock: PhaseClock;
  readonly files: ReadonlyMap<string, Content>;
  readonly units: number;
  readonly objects: number;
  readonly written: WriteResult;
  /** Every rendered unit, kept for the floors and comparisons when `keepUnits` is set; else empty. */
  readonly renderedUnits: readonly RenderedUnit[];
}

export function timedRender(
  envDir: string,
  distDir: string,
  deps: { readonly compose: Compose; readonly catalog: ReadonlyMap<string, AppCatalogEntry> },
  keepUnits: boolean,
  cache?: UnitCache,
): TimedRender {
  const clock = new PhaseClock();
  return withPhaseClock(clock, () => {
    // As synth does: the stats of the stamped files are taken during the render. Starting that
    // (placing the paths, starting the worker) is timed with the load, as everything before
    // the render is: the phases add up to the render's whole time.
    const stamps = clock.time('load', () => {
      const known = cache?.stamps(realOutputPath(distDir));
      known?.prefetch();
      return known;
    });
    const environments = loadEnvironments(clock.time('load', () => environmentFiles(envDir)), deps.catalog, cache);
    const rendered = renderFiles(environments, deps.compose, distDir, undefined, cache);
    const written = clock.time('write', () => writeTree(distDir, rendered.files, { preserve: isBootstrapFile, ...(stamps ? { stamps } : {}) }));
    const renderedUnits = keepUnits ? rendered.rendered.flatMap((env) => env.units) : [];
    return { clock, files: rendered.files, units: rendered.units, objects: rendered.objects, written, renderedUnits };
  });
}
