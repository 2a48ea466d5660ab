import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { fleetSpec, withOneHostChanged } from '../../lib/bench/fleet';
import { count, cpuLine, duration, kilobytesPerObject, megabytes, perSecond, ratio, share, steadyLine, table } from '../../lib/bench/format';
import { evenSample, wrapperKustomization } from '../../lib/bench/kustomize';
import { mountOf, parseMounts } from '../../lib/bench/machine';
import { PhaseClock, timePhase, withPhaseClock } from '../../lib/bench/phases';
import { timedRender } from '../../lib/bench/run';
import { textOf } from '../../lib/render/content';

describe('bench report arithmetic', () => {
  it('counts, rates, durations, sizes, ratios and shares', () => {
    expect(count(22757)).toBe('22,757');
    expect(perSecond(20000, 2000)).toBe('10,000');
    expect(perSecond(1, 0)).toBe('∞');
    expect(duration(849.6)).toBe('850 ms');
    expect(duration(1234)).toBe('1.23 s');
    expect(duration(999.6)).toBe('1.00 s');
    expect(megabytes(395_000_000)).toBe('395.0 MB');
    expect(kilobytesPerObject(214_000_000, 20_000)).toBe('10.7 KB');
    expect(kilobytesPerObject(1, 0)).toBe('-');
    expect(ratio(3, 4)).toBe('0.75×');
    expect(ratio(3, 0)).toBe('-');
    expect(share(1, 3)).toBe('33%');
    expect(share(1, 0)).toBe('-');
  });

  it('says how many cores a render kept busy, and the least time its work takes on all of them', () => {
    expect(cpuLine('fresh', 5600, 4000, 2)).toBe(
      'cpu (fresh): 5.60 s of user and system time in 4.00 s, 1.40 cores busy on average; with all 2 cores busy throughout, the same work would take 2.80 s at least\n',
    );
    expect(cpuLine('fresh', 0, 0, 4)).toBe('cpu (fresh): 0 ms of user and system time in 0 ms, - cores busy on average; with all 4 cores busy throughout, the same work would take 0 ms at least\n');
  });

  it('sums up steady editing by the median, the lower middle of an even count, and the extremes', () => {
    expect(steadyLine([611, 382, 452])).toBe('steady editing, 3 changes after the first: median 452 ms, fastest 382 ms, slowest 611 ms\n');
    expect(steadyLine([500, 400, 1234, 450])).toBe('steady editing, 4 changes after the first: median 450 ms, fastest 400 ms, slowest 1.23 s\n');
  });

  it('aligns a table: first column left, the others right, no trailing spaces', () => {
    expect(table([['phase', 'fresh', ''], ['load', '440 ms', '5%'], ['compose', '1.20 s', '']])).toBe(
      'phase     fresh\n' + 'load     440 ms  5%\n' + 'compose  1.20 s\n',
    );
  });
});

describe('PhaseClock', () => {
  it("keeps each phase's own time: a nested phase is taken out of the outer one", () => {
    const ticks = [0, 10, 14, 20, 25, 31];
    const clock = new PhaseClock(() => ticks.shift() ?? NaN);
    withPhaseClock(clock, () => {
      // compose 0..20 with twin 10..14 inside; then policies 25..31
      timePhase('compose', () => timePhase('twin', () => undefined));
      timePhase('policies', () => undefined);
    });
    expect([clock.ms('compose'), clock.ms('twin'), clock.ms('policies'), clock.ms('write'), clock.totalMs()]).toEqual([16, 4, 6, 0, 26]);
  });

  it('runs the work untimed, and returns its value, when no clock is installed', () => {
    const clock = new PhaseClock(() => {
      throw new Error('the clock must not be read');
    });
    expect(timePhase('load', () => 42)).toBe(42);
    expect(clock.totalMs()).toBe(0);
  });
});

describe('kustomize comparison', () => {
  it('samples evenly, or takes every unit', () => {
    expect(evenSample(10, 4)).toEqual([0, 2, 5, 7]);
    expect(evenSample(3, 0)).toEqual([0, 1, 2]);
    expect(evenSample(3, 5)).toEqual([0, 1, 2]);
  });

  it('wraps a unit with a name suffix, and a patch per Namespace', () => {
    const unit = {
      path: 'fleet/site-1/apps/redis/prod',
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'redis' } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'redis', namespace: 'redis' } },
      ],
    };
    expect(wrapperKustomization(unit, 7)).toBe(
      'resources:\n- ../../fleet/site-1/apps/redis/prod\nnameSuffix: -u7\npatches:\n' +
        `- target: {kind: Namespace, name: redis}\n  patch: '[{"op": "replace", "path": "/metadata/name", "value": "redis-u7"}]'\n`,
    );
  });
});

describe('machine line', () => {
  it('finds the mount holding a folder: the longest mount point above it', () => {
    const mounts = parseMounts('/dev/vda / ext4 rw 0 0\ntmpfs /dev/shm tmpfs rw 0 0\nnas:/x /mnt/my\\040files nfs rw 0 0\n');
    expect(mountOf(mounts, '/dev/shm/twinops')).toEqual({ source: 'tmpfs', point: '/dev/shm', type: 'tmpfs' });
    expect(mountOf(mounts, '/dev/shmx')).toEqual({ source: '/dev/vda', point: '/', type: 'ext4' });
    expect(mountOf(mounts, '/mnt/my files/a')).toEqual({ source: 'nas:/x', point: '/mnt/my files', type: 'nfs' });
  });
});

describe('the incremental fleet edit', () => {
  let scratch: string | undefined;
  afterEach(() => {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it("changes the first cluster's first app's host, and nothing else", () => {
    const spec = fleetSpec(2, ['keycloak', 'redis']);
    const { spec: edited, change } = withOneHostChanged(spec);
    expect(change).toEqual({ cluster: 'site-1', app: 'keycloak', from: 'keycloak.site-1.example.org', to: 'keycloak-moved.site-1.example.org' });
    expect(edited.clusters[0]?.apps).toEqual([
      { app: 'keycloak', host: 'keycloak-moved.site-1.example.org', dr: true },
      { app: 'redis', host: 'redis.site-1.example.org', dr: true },
    ]);
    expect({ ...edited, clusters: [spec.clusters[0], ...edited.clusters.slice(1)] }).toEqual(spec);
  });

  it("changes the given cluster's first app for the next change, and moves an app already moved on again", () => {
    const spec = fleetSpec(2, ['keycloak', 'redis']);
    const first = withOneHostChanged(spec);
    const next = withOneHostChanged(first.spec, 1);
    expect(next.change).toEqual({ cluster: 'site-2', app: 'keycloak', from: 'keycloak.site-2.example.org', to: 'keycloak-moved.site-2.example.org' });
    expect(next.spec.clusters[0]).toEqual(first.spec.clusters[0]);
    expect(withOneHostChanged(first.spec).change).toEqual({ cluster: 'site-1', app: 'keycloak', from: 'keycloak-moved.site-1.example.org', to: 'keycloak-moved-again.site-1.example.org' });
    expect(() => withOneHostChanged(spec, 2)).toThrow('the bench fleet has no cluster 3 with an app that has a host to change');
  });

  it('rendered again into the same folder, writes only the files the host reaches', () => {
    scratch = mkdtempSync(join(tmpdir(), 'twinops-bench-test-'));
    const envDir = join(scratch, 'environments');
    const distDir = join(scratch, 'dist');
    mkdirSync(envDir);
    const spec = fleetSpec(1, [...APP_CATALOG.keys()].sort());
    const deps = { compose: composeUnits, catalog: APP_CATALOG };
    writeFileSync(join(envDir, 'fleet.yaml'), stringify(spec));
    const fresh = timedRender(envDir, distDir, deps, true);
    const before = new Map([...fresh.files].map(([path]) => [path, readFileSync(join(distDir, path), 'utf8')]));
    writeFileSync(join(envDir, 'fleet.yaml'), stringify(withOneHostChanged(spec).spec));
    const incremental = timedRender(envDir, distDir, deps, false);
    const changed = [...incremental.files].filter(([path, content]) => before.get(path) !== textOf(content)).map(([path]) => path).sort();
    expect({ written: incremental.written.written, removed: incremental.written.removed, units: fresh.renderedUnits.length }).toEqual({
      written: 9,
      removed: [],
      units: fresh.units,
    });
    expect(changed).toEqual([
      'fleet/RUNBOOK.md',
      'fleet/site-1/apps/keycloak/dr/configmap-keycloak-identity-dr.yaml',
      'fleet/site-1/apps/keycloak/dr/ingressroute-keycloak-ingressroute-dr.yaml',
      'fleet/site-1/apps/keycloak/dr/service-keycloak-name-dr.yaml',
      'fleet/site-1/apps/keycloak/dr/service-traefik-external-keycloak-dr.yaml',
      'fleet/site-1/apps/keycloak/prod/configmap-keycloak-identity.yaml',
      'fleet/site-1/apps/keycloak/prod/ingressroute-keycloak-ingressroute.yaml',
      'fleet/site-1/apps/keycloak/prod/service-keycloak-name.yaml',
      'fleet/site-1/apps/keycloak/prod/service-traefik-external-keycloak.yaml',
    ]);
  });
});
