/**
 * The bench's `charts` phase (lib/bench/phases.ts) is the part of composing that is cdk8s's: each
 * chart the composition root builds and synthesizes, timed once, and nothing else. A clock that
 * ticks once per reading makes each timed stretch without a phase inside it one millisecond, so
 * the phase's total counts the syntheses it timed.
 */
import { fileURLToPath } from 'node:url';
import { Chart } from 'cdk8s';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeEnvironment } from '../../charts/estate';
import { PhaseClock, timePhase, withPhaseClock } from '../../lib/bench/phases';
import type { Environment } from '../../lib/config/environment';
import { loadEnvironment } from '../../lib/config/load';
import { tiny } from '../runbook/support';

function tickingClock(): PhaseClock {
  let now = 0;
  return new PhaseClock(() => now++);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the charts phase', () => {
  const fixture = (name: string): Environment => loadEnvironment(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), { knownApps: APP_CATALOG });
  const lab = tiny();

  it.each([
    ['a Cluster API fleet: providers, clusters, add-ons, remote entries', () => fixture('fleet.yaml')],
    ['three regions with an edge: apps, twins in the next region, routes, balancers, records', () => fixture('regions-edge.yaml')],
    ['a lab delivered by Argo CD: its entry of Applications', (): Environment => ({ ...lab, gitops: { ...lab.gitops, engine: 'argocd', namespace: 'argocd', repoURL: 'https://git.example.org/platform/estate.git' } })],
  ])('times every chart cdk8s synthesizes while composing %s, each once', (_, environment) => {
    const env = environment();
    const syntheses = vi.spyOn(Chart.prototype, 'toJson');
    const clock = tickingClock();
    const rendered = withPhaseClock(clock, () => timePhase('compose', () => composeEnvironment(env)));
    // Each prod chart is synthesized once for both variants, so there are fewer charts than units with objects.
    const units = rendered.units.filter((unit) => unit.objects.length > 0).length;
    expect(syntheses.mock.calls.length).toBeGreaterThan(units / 2);
    expect(clock.ms('charts')).toBe(syntheses.mock.calls.length);
    // The Argo CD lab's entry is its Applications (so its chart was among those timed).
    expect(rendered.units.some((unit) => unit.objects.some((object) => object.kind === 'Application'))).toBe(env.gitops.engine === 'argocd');
    // The twins are timed as themselves, outside the charts that feed them.
    expect(clock.ms('twin')).toBe(rendered.units.filter((unit) => unit.twin !== undefined).length);
  });
});
