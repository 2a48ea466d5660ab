/**
 * The render cache through a sequence of edits of every kind a user makes: after each one, the
 * cached render (units and runbook blocks reused where their reads hold) gives exactly the files
 * of a render without the cache. A fleet of same-cluster twins and the regions example, whose
 * twins run on the next cluster.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { fleetSpec } from '../../lib/bench/fleet';
import { UnitCache } from '../../lib/render/unit-cache';
import { textOf } from '../../lib/render/content';
import { environmentFiles, loadEnvironments, renderFiles } from '../../lib/synth';
import { REPO } from '../support/tree';

// Plain YAML data, edited the way a user edits the file; the loader validates it after each edit.
type Spec = any;
type Edit = readonly [name: string, edit: (spec: Spec) => void];

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-cache-edits-'));
  mkdirSync(join(root, 'environments'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Applies each edit in turn; after each, the cached and the uncached render must give the same files. */
function checkEdits(name: string, spec: Spec, edits: readonly Edit[]): { readonly rendered: number[]; readonly blocks: number[] } {
  const cache = new UnitCache('program');
  const render = (withCache?: UnitCache) =>
    new Map([...renderFiles(loadEnvironments(environmentFiles(join(root, 'environments')), APP_CATALOG), composeUnits, join(root, 'dist'), undefined, withCache).files].map(([path, content]) => [path, textOf(content)]));
  const rendered: number[] = [];
  const blocks: number[] = [];
  for (const [what, edit] of edits) {
    edit(spec);
    writeFileSync(join(root, 'environments', `${name}.yaml`), stringify(spec));
    const cached = render(cache);
    expect(cached, `after: ${what}`).toEqual(render());
    rendered.push(cache.lastRendered.length);
    blocks.push(cache.lastBlocksWritten.length);
  }
  return { rendered, blocks };
}

describe('the render cache through a sequence of edits', () => {
  it('on a fleet whose twins run on their own clusters', () => {
    const spec = fleetSpec(8, [...APP_CATALOG.keys()].sort());
    const { rendered, blocks } = checkEdits('fleet', spec, [
      ['nothing yet', () => {}],
      ['an app host', (s) => (s.clusters[1].apps[0].host = 'moved.example.org')],
      ['one app active', (s) => (s.clusters[2].apps[1].dr = { state: 'active' })],
      // Read by the runbook from the rendered objects only (the twin's replicas).
      ['an app scaled', (s) => (s.clusters[2].apps[0].replicas = 3)],
      ['a storage class parameter', (s) => (s.clusters[7].storageClasses[0].dr.parameters.poolname = 'other/pool')],
      ['an edge address', (s) => (s.clusters[7].edge.dr.ipv4.address = '192.0.2.201')],
      ['the environment state', (s) => (s.dr = { ...s.dr, state: 'syncing' })],
      ['a node address', (s) => (s.clusters[3].nodes[0].addresses = ['192.0.2.77'])],
      ['an app removed', (s) => s.clusters[4].apps.pop()],
      ['a cluster renamed', (s) => (s.clusters[5].name = 'renamed-5')],
      ['the description', (s) => (s.description = 'Changed description')],
    ]);
    // An app host: its two units; a node address: no unit, one runbook block.
    expect(rendered[1]).toBe(2);
    expect([rendered[7], blocks[7]]).toEqual([0, 1]);
  });

  it('on the regions example, twins on the next cluster', () => {
    const spec = parse(readFileSync(join(REPO, 'test/fixtures/regions.yaml'), 'utf8'));
    const { rendered, blocks } = checkEdits('regions', spec, [
      ['nothing yet', () => {}],
      ['a host whose twin runs on west', (s) => (s.clusters[0].apps[0].host = 'moved.example.org')],
      ['a node address of west', (s) => (s.clusters[1].nodes[1].addresses = ['192.0.2.99'])],
      ['an app of uk active', (s) => (s.clusters[2].apps[0].dr = { state: 'active' })],
      ['a twin identity', (s) => (s.clusters[1].apps[0].dr = { identity: 'own' })],
      ["east's twins moved to uk", (s) => (s.clusters[0].dr = { cluster: 'uk' })],
      ['a region name', (s) => (s.clusters[2].region = 'ukwest')],
      ['the environment state', (s) => (s.dr.state = 'syncing')],
    ]);
    expect(rendered[1]).toBe(2);
    // west's node runs east's twins: east's and west's resync and west's node failures show it.
    expect([rendered[2], blocks[2]]).toEqual([0, 3]);
  });
});
