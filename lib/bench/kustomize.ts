/**
 * kustomize for comparison: the rendered tree built by `kubectl kustomize`, once as one process
 * for the whole estate, and once per unit folder (one process per overlay, as Flux's
 * kustomize-controller builds each Kustomization's path).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderedUnit } from '../model';

/** Output of one build of the whole estate may be tens of MB. */
const MAX_OUTPUT = 1 << 30;

/** The folder of the estate-wide build's wrappers, beside the environments' folders. */
export const WRAPPERS = '_kustomize-bench';

/** `kubectl` answers `version --client`. */
export function hasKubectl(): boolean {
  const run = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return run.error === undefined && run.status === 0;
}

/**
 * The wrapper kustomization of unit number `index`: kustomize refuses two resources with the
 * same kind, name and namespace in one build, and every cluster of a fleet has the same names,
 * so each unit gets a name suffix, and its Namespaces (which `nameSuffix` leaves alone) a patch.
 */
export function wrapperKustomization(unit: RenderedUnit, index: number): string {
  const suffix = `-u${index}`;
  const namespaces = unit.objects.filter((object) => object.kind === 'Namespace' && object.apiVersion === 'v1').map((object) => object.metadata.name);
  const patches = namespaces.map(
    (name) =>
      `- target: {kind: Namespace, name: ${name}}\n  patch: '[{"op": "replace", "path": "/metadata/name", "value": "${name}${suffix}"}]'\n`,
  );
  return `resources:\n- ../../${unit.path}\nnameSuffix: ${suffix}\n${patches.length > 0 ? `patches:\n${patches.join('')}` : ''}`;
}

/** Writes the wrappers and the estate's kustomization.yaml at the top of `distDir`. */
export function writeEstateKustomization(distDir: string, units: readonly RenderedUnit[]): void {
  units.forEach((unit, index) => {
    mkdirSync(join(distDir, WRAPPERS, String(index)), { recursive: true });
    writeFileSync(join(distDir, WRAPPERS, String(index), 'kustomization.yaml'), wrapperKustomization(unit, index));
  });
  writeFileSync(join(distDir, 'kustomization.yaml'), `resources:\n${units.map((_, index) => `- ${WRAPPERS}/${index}\n`).join('')}`);
}

/**
 * Builds `folder`; returns the milliseconds and the objects of the output (`timedOut` when it was
 * stopped after `timeoutMs`), or throws with kubectl's words.
 */
export function kustomizeBuild(folder: string, timeoutMs = 0): { ms: number; objects: number; timedOut: boolean } {
  const start = performance.now();
  const run = spawnSync('kubectl', ['kustomize', folder], { encoding: 'utf8', maxBuffer: MAX_OUTPUT, timeout: timeoutMs, killSignal: 'SIGKILL' });
  const ms = performance.now() - start;
  if (run.signal === 'SIGKILL' && timeoutMs > 0) return { ms, objects: 0, timedOut: true };
  if (run.error !== undefined || run.status !== 0) {
    throw new Error(`kubectl kustomize ${folder} failed (exit ${run.status}): ${(run.stderr ?? String(run.error)).trim()}`);
  }
  return { ms, objects: (run.stdout.match(/^kind: /gm) ?? []).length, timedOut: false };
}

/** `size` indexes of `0 … total-1` spread evenly (every one when `size` is 0 or ≥ `total`). */
export function evenSample(total: number, size: number): number[] {
  if (size <= 0 || size >= total) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: size }, (_, i) => Math.floor((i * total) / size));
}

export interface KustomizeResult {
  /** One process building every unit. */
  readonly estateMs: number;
  readonly estateObjects: number;
  /** The one-process build was stopped at the time limit (kustomize's accumulation grows faster than the estate). */
  readonly estateTimedOut: boolean;
  /** One process per unit: measured on `sampled` units, scaled to all of them. */
  readonly perUnitMs: number;
  readonly sampled: number;
  readonly units: number;
}

export function kustomizeEstate(distDir: string, units: readonly RenderedUnit[], sample: number, timeoutMs: number): KustomizeResult {
  writeEstateKustomization(distDir, units);
  const estate = kustomizeBuild(distDir, timeoutMs);
  const picked = evenSample(units.length, sample);
  let sampledMs = 0;
  for (const index of picked) sampledMs += kustomizeBuild(join(distDir, units[index]?.path ?? '')).ms;
  return {
    estateMs: estate.ms,
    estateObjects: estate.objects,
    estateTimedOut: estate.timedOut,
    perUnitMs: picked.length === 0 ? 0 : (sampledMs / picked.length) * units.length,
    sampled: picked.length,
    units: units.length,
  };
}
