/**
 * Properties every copy procedure keeps, on estates of several shapes: every wait is bounded
 * and followed by what a timeout means, no loop waits forever, and no command holds a
 * placeholder the operator would have to fill in.
 */
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { parseEnvironment } from '../../lib/config/load';
import { homeRunbook, runbookOf, section, tiny, TINY_SPEC } from './support';

function tinyWith(provisioner: string): string {
  const spec = structuredClone(TINY_SPEC);
  const [cluster] = spec.clusters;
  if (!cluster) throw new Error('no cluster');
  cluster.storageClasses = [{ name: 'zfs-storage-znvm', provisioner }];
  return runbookOf(tiny({ clusters: spec.clusters }));
}

const CEPH = `secrets: { name: vault }
clusters:
  - name: rook
    nodes:
      - { name: ceph-1, controlPlane: true }
      - { name: ceph-dr, taints: [{ key: role, value: dr, effect: NoExecute }] }
    dr: { node: ceph-dr }
    storageClasses:
      - { name: ceph-rbd, provisioner: rbd.csi.ceph.com, parameters: { clusterID: rook-ceph, pool: rbd }, dr: { parameters: { pool: rbd-dr } } }
    apps:
      - { app: wordpress, host: www.example.org, dr: true }
      - { app: redis, namespace: wordpress, dr: true }
      - { app: nextcloud, host: files.example.org, dr: true }
`;

const ESTATES: readonly [string, () => string][] = [
  ['the home example (ZFS replicas)', homeRunbook],
  ['the tiny lab (ZFS send)', () => runbookOf(tiny())],
  ['local-path', () => tinyWith('rancher.io/local-path')],
  ['Longhorn', () => tinyWith('driver.longhorn.io')],
  ['an unknown driver', () => tinyWith('nfs.csi.k8s.io')],
  ['Ceph RBD', () => runbookOf(parseEnvironment('ceph', 'environments/ceph.yaml', CEPH, { knownApps: APP_CATALOG }))],
];

/** The lines of every `sh` block of `markdown`, unindented. */
function shLines(markdown: string): string[] {
  return [...markdown.matchAll(/\n( *)```sh\n([\s\S]*?)\n\1```/g)].flatMap((match) =>
    (match[2] ?? '').split('\n').map((line) => line.slice((match[1] ?? '').length)),
  );
}

/** The copy procedures: the resync section and the failback copies. */
function copyProcedures(markdown: string): string[] {
  const failbackCopies = [...markdown.matchAll(/Copy `[^`]+` back to `[^`]+`:\n\n( *```sh\n[\s\S]*?\n *```)/g)].map((match) => `\n${match[1] ?? ''}`);
  return [...shLines(section(markdown, '## Data resynchronisation')), ...failbackCopies.flatMap(shLines)];
}

const WAIT = /^(kubectl wait |kubectl rollout status |for i in \$\(seq )/;

describe.each(ESTATES)('the copy procedures of %s', (_, runbook) => {
  it('bound every wait, and say after it what a timeout means', () => {
    const lines = copyProcedures(runbook());
    const waits = lines.flatMap((line, index) => (WAIT.test(line) ? [index] : []));
    expect(waits.length).toBeGreaterThan(0);
    for (const index of waits) {
      const line = lines[index] ?? '';
      if (line.startsWith('kubectl')) expect(line).toMatch(/ --timeout=\d+[smh]$/);
      let next = index + 1;
      while (WAIT.test(lines[next] ?? '') || / \|\| echo 'TIMEOUT: /.test(lines[next] ?? '')) next += 1;
      expect(lines[next], `after ${line}`).toMatch(/^# On timeout: \S/);
    }
  });

  it('never loop without end', () => {
    expect(copyProcedures(runbook()).filter((line) => /^\s*(until|while) /.test(line))).toEqual([]);
  });

  it('leave no placeholder in a command', () => {
    const commands = copyProcedures(runbook()).filter((line) => !line.trimStart().startsWith('#'));
    expect(commands.filter((line) => /<[^<>\s'][^<>]*>/.test(line))).toEqual([]);
  });
});
