/**
 * A protected Cluster API cluster cannot vanish from the render: removing it from the environment
 * is refused, nothing is written, and the message says how to tear it down; with `protect: false`
 * rendered first, the removal goes through.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { UserError } from '../../lib/errors';
import { synthesize } from '../../lib/synth';
import { readTree } from '../support/tree';

const FLEET = readFileSync(new URL('../fixtures/fleet.yaml', import.meta.url), 'utf8');
/**
 * The fleet without its openstack/rke2 cluster `edge-2` (the last cluster of the file), and
 * without redis's twin there, which the loader would refuse to send to a cluster that is gone.
 */
const WITHOUT_EDGE_2 = FLEET.slice(0, FLEET.indexOf('  - name: edge-2')).replace('        dr: { cluster: edge-2 }\n', '');

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

function project(text: string) {
  root = mkdtempSync(join(tmpdir(), 'twinops-protect-'));
  const environments = join(root, 'environments');
  mkdirSync(environments);
  writeFileSync(join(environments, 'fleet.yaml'), text);
  const dist = join(root, 'dist');
  const render = (next?: string) => {
    if (next !== undefined) writeFileSync(join(environments, 'fleet.yaml'), next);
    return synthesize({ environmentsDir: environments, distDir: dist, compose: composeUnits, catalog: APP_CATALOG, projectDir: root });
  };
  return { dist, render };
}

describe('removing a protected Cluster API cluster', () => {
  it('is refused with the teardown steps, and nothing is written', () => {
    const { dist, render } = project(FLEET);
    render();
    const before = readTree(dist);
    let error: unknown;
    try {
      render(WITHOUT_EDGE_2);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message.split('\n')).toEqual([
      'refusing to remove protected Cluster API clusters from the render (their machines would keep running, unmanaged):',
      '  - cluster edge-2 of environment fleet',
      'To tear one down: set `protect: false` on the cluster (keep it in the environment), render, merge and let Flux apply it;',
      'then remove the cluster from the environment and render again: Flux prunes its Cluster, and Cluster API deletes its machines.',
    ]);
    expect(readTree(dist)).toEqual(before);
  });

  it('goes through once protect: false has been rendered', () => {
    const { dist, render } = project(FLEET);
    render();
    render(FLEET.replace('  - name: edge-2\n', '  - name: edge-2\n    protect: false\n'));
    render(WITHOUT_EDGE_2);
    expect(Object.keys(readTree(dist)).some((path) => path.includes('capi/clusters/edge-2'))).toBe(false);
  });
});
