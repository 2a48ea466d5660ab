/**
 * The node-failure scenarios, as a table per topology: for each node, what the runbook says
 * keeps running, goes down or moves, and when. No two statements of one scenario may
 * contradict each other (nothing moves while there is no control plane).
 */
import { describe, expect, it } from 'vitest';
import type { NodeSpec } from '../../lib/config/schema';
import { homeRunbook, runbookOf, section, tiny, TINY_SPEC } from './support';

/** The "Expected outcome" bullets of a scenario. */
function outcome(markdown: string, heading: string): string[] {
  const text = section(markdown, heading);
  const from = text.indexOf('**Expected outcome**');
  const to = text.indexOf('**Recovery steps**');
  return text
    .slice(from, to)
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2));
}

const EVICTION = 'the node is marked NotReady after about 40 s, and its pods are evicted after about five more minutes (the default 300 s toleration of `node.kubernetes.io/unreachable`)';

/** tiny's cluster with other nodes: the DR node `spare` stays. */
function withNodes(nodes: NodeSpec[], datastore?: object) {
  const [cluster] = TINY_SPEC.clusters;
  if (!cluster) throw new Error('no cluster');
  const spare = (cluster.nodes ?? []).find((node) => node.name === 'spare');
  if (!spare) throw new Error('no spare');
  const storageClasses = (cluster.storageClasses ?? []).map((sc) => ({ ...sc, node: nodes[nodes.length - 1]?.name ?? 'main' }));
  return runbookOf(tiny({ clusters: [{ ...cluster, nodes: [...nodes, spare], storageClasses, ...(datastore ? { datastore } : {}) } as (typeof TINY_SPEC.clusters)[number]] }));
}

describe('the only control plane fails (the home lab)', () => {
  const markdown = homeRunbook();

  it('states what is down and that nothing moves until a control plane is back', () => {
    expect(outcome(markdown, '#### `hassio` fails')).toEqual([
      'The API is gone: kubectl and Flux cannot apply anything, so no commit takes effect, activation included. Pods on other nodes keep running as they are; nothing is restarted, rescheduled or evicted until a control plane is back.',
      'Prod of `wordpress`, `keycloak` and `nextcloud` is down: their volumes are on `hassio`.',
      'Prod of `redis` and Traefik `traefik-external` have no other node to run on (`remote` takes twins only): down until `hassio` is back, or until a node takes them (recovery steps).',
    ]);
  });

  it('restores the declared datastore (k3s with SQLite) from its newest copy, with no placeholder', () => {
    const hassio = section(markdown, '#### `hassio` fails');
    expect(hassio).toContain(
      [
        '   SNAP=$(ssh remote ls -1t /var/backups/k3s | grep -v \'^token$\' | head -n 1)',
        '   test -n "$SNAP" || { echo \'no snapshot in /var/backups/k3s on remote; fetch the newest from s3://backups.example.org/k3s into that folder first\' >&2; false; }',
        '   ssh remote systemctl stop k3s k3s-agent',
        '   ssh remote install -D -m 600 /var/backups/k3s/"$SNAP" /var/lib/rancher/k3s/server/db/state.db',
        '   ssh remote systemctl start k3s',
        '   kubectl get nodes   # the restored control plane answers',
      ].join('\n'),
    );
    expect(markdown).not.toMatch(/<[a-z][a-z -]*>/);
  });
});

describe('one of three control planes fails; a worker fails', () => {
  const markdown = withNodes(
    [
      { name: 'cp-1', controlPlane: true },
      { name: 'cp-2', controlPlane: true },
      { name: 'cp-3', controlPlane: true },
      { name: 'w-1' },
    ],
    { kind: 'k3s-etcd' },
  );

  it('keeps the API on the other two and moves unpinned prod pods after the eviction timeout', () => {
    expect(outcome(markdown, '#### `cp-2` fails')).toEqual([
      'The API stays up on `cp-1` and `cp-3` as long as they keep quorum.',
      `Prod of \`redis\` and Traefik \`traefik-external\` move to \`cp-1\`, \`cp-3\` and \`w-1\`: ${EVICTION}.`,
    ]);
  });

  it('takes the pinned app down with the worker holding its volumes, and activates it', () => {
    expect(outcome(markdown, '#### `w-1` fails')).toEqual([
      'Prod of `keycloak` is down: its volumes are on `w-1`.',
      `Prod of \`redis\` and Traefik \`traefik-external\` move to \`cp-1\`, \`cp-2\` and \`cp-3\`: ${EVICTION}.`,
    ]);
    expect(section(markdown, '#### `w-1` fails')).toContain('npm run dr -- activate tiny --app keycloak');
  });

  it("states k3s's own etcd snapshots and restores the newest with --cluster-reset", () => {
    expect(markdown).toContain(
      'Datastore: `k3s-etcd`. k3s takes etcd snapshots itself at `0 */12 * * *` into `/var/lib/rancher/k3s/server/db/snapshots` on `cp-1`, `cp-2`, `cp-3`',
    );
    expect(markdown).not.toContain('The API is gone');
  });
});

describe('every scenario of every topology', () => {
  const topologies = {
    home: homeRunbook(),
    tiny: runbookOf(tiny()),
    'sole control plane and a worker': withNodes([{ name: 'cp', controlPlane: true }, { name: 'w' }]),
  };

  it.each(Object.entries(topologies))('never says something moves while no control plane is up (%s)', (_name, markdown) => {
    const headings = markdown.split('\n').filter((line) => /^#### `[^`]+` fails$/.test(line));
    expect(headings.length).toBeGreaterThan(1);
    for (const heading of headings) {
      const bullets = outcome(markdown, heading);
      if (!bullets.some((bullet) => bullet.startsWith('The API is gone'))) continue;
      for (const bullet of bullets.filter((line) => / moves? to /.test(line))) expect(bullet, heading).toContain('only once a control plane is back');
    }
  });

  it.each(Object.entries(topologies))('covers losing the whole cluster (%s)', (_name, markdown) => {
    expect(markdown).toContain('#### The whole cluster is lost');
  });

  it('moves the pods of a sole server to the worker only after the restore, and asks for the datastore it does not know', () => {
    const markdown = topologies['sole control plane and a worker'];
    expect(outcome(markdown, '#### `cp` fails')).toContain(
      'Prod of `redis` and Traefik `traefik-external` move to `w` only once a control plane is back: once the restored control plane sees the failed node NotReady, its pods are evicted after about five more minutes (the default 300 s toleration of `node.kubernetes.io/unreachable`).',
    );
    expect(section(markdown, '#### `cp` fails')).toContain('The environment does not say which datastore cluster `lab` uses');
  });
});
