/**
 * Every fact the runbook states about the render is the render's: replica counts per state,
 * claims with their namespaces, sizes and classes. The runbooks of several estates are parsed
 * and each statement checked against the rendered objects (in the state in force, and for
 * activation, in a render of the `active` state).
 */
import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import { withStateEverywhere } from '../../lib/config/state';
import type { ApiObjectJson } from '../../lib/model';
import { renderRunbook } from '../../lib/runbook';
import { loadHome } from '../support/render';
import { TINY_SPEC, tiny } from './support';

type Objects = readonly ApiObjectJson[];

const objectsOf = (env: Environment): Objects => composeEnvironment(env).units.flatMap((unit) => unit.objects);

function one(objects: Objects, kind: string, name: string): ApiObjectJson {
  const found = objects.filter((object) => object.kind === kind && object.metadata.name === name);
  if (found.length !== 1) throw new Error(`${found.length} × ${kind}/${name}`);
  return found[0] as ApiObjectJson;
}

const replicasOf = (object: ApiObjectJson) => ((object.spec as { replicas?: number }).replicas ?? 1);

function workload(objects: Objects, name: string): ApiObjectJson {
  const found = objects.filter((object) => (object.kind === 'Deployment' || object.kind === 'StatefulSet') && object.metadata.name === name);
  if (found.length !== 1) throw new Error(`${found.length} workloads named ${name}`);
  return found[0] as ApiObjectJson;
}

/** Table rows (cells, trimmed) under the header line that starts with `header`. */
function tableRows(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const rows: string[][] = [];
  lines.forEach((line, index) => {
    if (!line.startsWith(header)) return;
    for (let at = index + 2; at < lines.length && lines[at]?.startsWith('|'); at += 1) {
      rows.push((lines[at] ?? '').split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
    }
  });
  return rows;
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

const ESTATES: Record<string, () => Environment> = {
  'the home lab (standby)': loadHome,
  'tiny (syncing)': () => tiny({ dr: { state: 'syncing' } }),
  'tiny (active), several workers': () => {
    const [cluster] = TINY_SPEC.clusters;
    if (!cluster) throw new Error('no cluster');
    const nodes = [...(cluster.nodes ?? []), { name: 'w-1' }, { name: 'w-2' }];
    return tiny({ dr: { state: 'active' }, clusters: [{ ...cluster, nodes, apps: [{ app: 'keycloak', host: 'id.example.org', dr: true, replicas: 3 }, { app: 'redis', dr: true, replicas: 2 }] }] });
  },
};

describe.each(Object.entries(ESTATES))('the runbook of %s states the render', (_name, load) => {
  const env = load();
  const objects = objectsOf(env);
  const active = objectsOf(withStateEverywhere(env, 'active'));
  const markdown = renderRunbook(env, composeEnvironment(env));

  it('leaves no placeholder to fill in', () => {
    expect(markdown).not.toMatch(/<[a-z][a-z -]*>/);
  });

  it('gives each twin workload the replicas it and its prod original are rendered with', () => {
    const cells = tableRows(markdown, '| App | State |').map((row) => row[row.length - 1] ?? '');
    const stated = cells.flatMap((cell) => [...cell.matchAll(/`([^`]+)` (\d+) of (\d+)/g)]);
    expect(stated.length).toBeGreaterThan(0);
    for (const [, name, twin, prod] of stated) {
      const twinObject = workload(objects, name ?? '');
      expect(replicasOf(twinObject), name).toBe(Number(twin));
      expect(replicasOf(workload(objects, (name ?? '').slice(0, -env.dr.suffix.length))), name).toBe(Number(prod));
    }
  });

  it('states the replica change of activation as the active render has it', () => {
    const lines = markdown.split('\n').filter((line) => line.includes('replicas, as prod runs them:'));
    const stated = lines.flatMap((line) => [...line.matchAll(/`([^`]+)` (?:stays at (\d+)|(\d+) → (\d+))/g)]);
    expect(stated.length).toBeGreaterThan(0);
    for (const [, name, stays, from, to] of stated) {
      const now = replicasOf(workload(objects, name ?? ''));
      const after = replicasOf(workload(active, name ?? ''));
      if (stays !== undefined) expect([now, after], name).toEqual([Number(stays), Number(stays)]);
      else expect([now, after], name).toEqual([Number(from), Number(to)]);
    }
  });

  it('names each claim pair with the namespace, size and classes they are rendered with', () => {
    const rows = tableRows(markdown, '| Prod claim | Twin claim |');
    expect(rows.length).toBeGreaterThan(0);
    for (const [prodName, twinName, namespaces, size, prodClass, twinClass] of rows) {
      const prod = one(objects, 'PersistentVolumeClaim', unquote(prodName ?? ''));
      const twin = one(objects, 'PersistentVolumeClaim', unquote(twinName ?? ''));
      const [prodNs, twinNs = prodNs] = (namespaces ?? '').split(' → ');
      expect([prod.metadata.namespace, twin.metadata.namespace]).toEqual([prodNs, twinNs]);
      const spec = (claim: ApiObjectJson) => claim.spec as { storageClassName: string; resources: { requests: { storage: string } } };
      expect(spec(prod).resources.requests.storage).toBe(size);
      expect(spec(twin).resources.requests.storage).toBe(size);
      expect(spec(prod).storageClassName).toBe(prodClass?.split(' ')[0]);
      expect(spec(twin).storageClassName).toBe(twinClass?.split(' ')[0]);
    }
  });
});
