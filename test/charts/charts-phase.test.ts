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
import { loadEnvironment } from '../../lib/config/load';

function tickingClock(): PhaseClock {
  let now = 0;
  return new PhaseClock(() => now++);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the charts phase', () => {
  it.each([
    ['a Cluster API fleet: providers, clusters, add-ons, remote entries', 'fleet.yaml'],
    ['three regions with an edge: apps, twins in the next region, routes, balancers, records', 'regions-edge.yaml'],
  ])('times every chart cdk8s synthesizes while composing %s, each once', (_, fixture) => {
    const env = loadEnvironment(fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url)), { knownApps: APP_CATALOG });
    const syntheses = vi.spyOn(Chart.prototype, 'toJson');
    const clock = tickingClock();
    const rendered = withPhaseClock(clock, () => timePhase('compose', () => composeEnvironment(env)));
    // Each prod chart is synthesized once for both variants, so there are fewer charts than units with objects.
    const units = rendered.units.filter((unit) => unit.objects.length > 0).length;
    expect(syntheses.mock.calls.length).toBeGreaterThan(units / 2);
    expect(clock.ms('charts')).toBe(syntheses.mock.calls.length);
    // The twins are timed as themselves, outside the charts that feed them.
    expect(clock.ms('twin')).toBe(rendered.units.filter((unit) => unit.twin !== undefined).length);
  });
});
