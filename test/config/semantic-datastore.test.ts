import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../lib/config/load';
import { FILE, knownApps, problems, yaml } from './support';

/** A one-cluster environment; `nodes` and `datastore` are the cluster's YAML lines. */
const estate = (datastore: string, nodes = '- { name: a, controlPlane: true }') => yaml`
  clusters:
    - name: c
      nodes:
        ${nodes}
      datastore: ${datastore}
`;

const load = (text: string) => parseEnvironment('test', FILE, text, { knownApps });

describe('datastore', () => {
  it("fills in k3s's own snapshot folder and schedule for embedded etcd", () => {
    expect(load(estate('{ kind: k3s-etcd }')).clusters[0]?.datastore).toEqual({
      kind: 'k3s-etcd',
      snapshots: '/var/lib/rancher/k3s/server/db/snapshots',
      schedule: '0 */12 * * *',
    });
  });

  it('keeps what the environment says', () => {
    expect(load(estate('{ kind: dqlite, snapshots: /srv/microk8s, schedule: "0 4 * * 0", offsite: s3://backups.example.org/mk8s }')).clusters[0]?.datastore).toEqual({
      kind: 'dqlite',
      snapshots: '/srv/microk8s',
      schedule: '0 4 * * 0',
      offsite: 's3://backups.example.org/mk8s',
    });
  });

  it.each([
    ['k3s-sqlite', 'copies of `/var/lib/rancher/k3s/server/db/state.db` (k3s takes none itself with SQLite)'],
    ['etcd', '`etcdctl snapshot save` files'],
    ['dqlite', '`microk8s dbctl backup` archives'],
  ])('asks a %s datastore where its snapshots are', (kind, what) => {
    expect(problems(estate(`{ kind: ${kind} }`))).toEqual([
      `environments/test.yaml:5:16 clusters[0].datastore.snapshots: a "${kind}" datastore needs \`snapshots\`: the folder holding the ${what}, so the runbook can restore from it`,
    ]);
  });

  it('refuses a datastore on a cluster with no control-plane node', () => {
    expect(problems(estate('{ kind: k3s-etcd }', '- { name: a }'))).toEqual([
      'environments/test.yaml:4:7 clusters[0].nodes: cluster "c" declares a datastore but no control-plane node; expected at least one node with `controlPlane: true`, where the datastore lives',
    ]);
  });

  it('refuses a snapshot folder that is not a plain absolute path', () => {
    expect(problems(estate("{ kind: etcd, snapshots: 'backups/$(id)' }")).join('\n')).toContain('clusters[0].datastore.snapshots');
  });
});
