import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { diffObject } from '../../lib/dr/diff';
import type { ApiObjectJson } from '../../lib/model';
import { readTree, scratchProject } from '../support/tree';
import { twinops } from '../support/cli';

let project: ReturnType<typeof scratchProject>;
afterEach(() => project?.cleanup());

describe('TWINOPS_DR_STATE', () => {
  it('renders every app in the state for one run: syncing holds exactly the twin workloads at zero', async () => {
    project = scratchProject();
    expect((await twinops(project.root, ['synth', '--out', 'standby'])).code).toBe(0);
    const { code, stderr } = await twinops(project.root, ['synth', '--out', 'syncing'], { TWINOPS_DR_STATE: 'syncing' });
    expect(code).toBe(0);
    expect(stderr.split('\n').filter((line) => line.startsWith('twinops'))).toEqual([
      'twinops synth: warning: TWINOPS_DR_STATE=syncing is in effect: every app rendered as syncing; ' +
        'syncing/ now differs from the environment files (unset it and run synth again)',
    ]);

    const standby = readTree(join(project.root, 'standby'));
    const syncing = readTree(join(project.root, 'syncing'));
    expect([...syncing.keys()]).toEqual([...standby.keys()]);
    const differing = [...syncing].filter(([path, content]) => standby.get(path) !== content).map(([path]) => path);
    // The runbook describes the state; every other file is one object.
    expect(differing.filter((path) => path.endsWith('.md'))).toEqual(['home/RUNBOOK.md']);
    const changed = differing.filter((path) => !path.endsWith('.md'));
    expect(changed).toEqual([
      'home/home/apps/keycloak/dr/deployment-keycloak-db-dr.yaml',
      'home/home/apps/keycloak/dr/deployment-keycloak-dr.yaml',
      'home/home/apps/nextcloud/dr/deployment-nextcloud-db-dr.yaml',
      'home/home/apps/nextcloud/dr/deployment-nextcloud-dr.yaml',
      'home/home/apps/redis/dr/deployment-redis-dr.yaml',
      'home/home/apps/wordpress/dr/deployment-wordpress-db-dr.yaml',
      'home/home/apps/wordpress/dr/deployment-wordpress-dr.yaml',
    ]);
    for (const path of changed) {
      const fields = diffObject(parse(standby.get(path) ?? '') as ApiObjectJson, parse(syncing.get(path) ?? '') as ApiObjectJson);
      expect(fields).toEqual([{ path: 'spec.replicas', before: 1, after: 0 }]);
    }
  });

  it('renders the same objects when it names the state the files already set, and is ignored when empty', async () => {
    project = scratchProject();
    await twinops(project.root, ['synth']);
    const before = readTree(project.dist);
    const objects = (tree: Map<string, string>) => [...tree].filter(([path]) => path.endsWith('.yaml'));
    expect((await twinops(project.root, ['synth'], { TWINOPS_DR_STATE: 'standby' })).code).toBe(0);
    expect(objects(readTree(project.dist))).toEqual(objects(before));
    const empty = await twinops(project.root, ['synth'], { TWINOPS_DR_STATE: '' });
    expect(empty.stderr).not.toContain('warning');
    expect(readTree(project.dist)).toEqual(before);
  });

  it('rejects an unknown state with exit 1 and writes nothing', async () => {
    project = scratchProject();
    const { code, stdout, stderr } = await twinops(project.root, ['synth'], { TWINOPS_DR_STATE: 'warm' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('twinops synth: TWINOPS_DR_STATE: expected one of standby, syncing, active; given "warm"; nothing was written\n');
    expect(readTree(project.dist).size).toBe(0);
  });
});
