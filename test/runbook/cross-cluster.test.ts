/**
 * The runbook of an environment whose twins run in the next region: test/fixtures/regions.yaml
 * (no edge) and test/fixtures/regions-edge.yaml (an edge with public DNS on east and west).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { parseEnvironment } from '../../lib/config/load';
import { inContext } from '../../lib/runbook/contexts';
import { runbookOf, section, shBlockAfter } from './support';

const render = (fixture: string, name = 'regions') => runbookOf(parseEnvironment(name, fixture, readFileSync(fixture, 'utf8'), { knownApps: APP_CATALOG }));
const regions = () => render('test/fixtures/regions.yaml');
const regionsWithEdge = () => render('test/fixtures/regions-edge.yaml');

/** Every `sh` block of `markdown`, unindented. */
function shBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/\n( *)```sh\n([\s\S]*?)\n\1```/g)].map((match) =>
    (match[2] ?? '').split('\n').map((line) => line.slice((match[1] ?? '').length)).join('\n'),
  );
}

describe('the runbook of twins in another region', () => {
  const runbook = regions();

  it('says once that commands name a context per cluster', () => {
    expect(runbook).toContain('it expects a kubectl context named after each cluster (`east`, `west`, `uk`)');
  });

  it('holds the twin on the cluster it runs on', () => {
    const block = shBlockAfter(section(runbook, '## Data resynchronisation'), 'Hold `wordpress-dr` at zero replicas');
    expect(block.split('\n')).toEqual(expect.arrayContaining([
      'npm run dr -- sync regions --app wordpress --cluster east',
      'flux --context west reconcile kustomization flux-system -n flux-system --with-source   # applies dist/regions/clusters/west',
      'flux --context west reconcile kustomization wordpress-dr -n flux-system',
      'kubectl --context west get deployment -n wordpress wordpress-db-dr wordpress-dr   # READY 0/0',
    ]));
  });

  it('streams each claim from the prod cluster to the twin cluster, and removes the helper pods', () => {
    const resync = section(runbook, '## Data resynchronisation');
    for (const [prod, twin] of [['wordpress-db', 'wordpress-db-dr'], ['wordpress-html', 'wordpress-html-dr']] as const) {
      const block = shBlockAfter(resync, `Copy \`${prod}\` to \`${twin}\``).split('\n');
      expect(block).toContain(`kubectl --context east exec -n wordpress twinops-send-${prod} -- tar -C /data -cf - . | kubectl --context west exec -i -n wordpress twinops-receive-${twin} -- tar -C /data -xf -`);
      expect(block).toContain(`PROD_PV=$(kubectl --context east get pvc -n wordpress ${prod} -o jsonpath='{.spec.volumeName}')`);
      expect(block).toContain('kubectl --context east get pv "${PROD_PV:?}"');
      expect(block).toContain(`kubectl --context east delete pod -n wordpress twinops-send-${prod}`);
      expect(block).toContain(`kubectl --context west delete pod -n wordpress twinops-receive-${twin}`);
      expect(block).toContain(`    - { name: data, persistentVolumeClaim: { claimName: ${prod}, readOnly: true } }`);
      expect(block).toContain(`    - { name: data, persistentVolumeClaim: { claimName: ${twin} } }`);
    }
    // nextcloud (uk) keeps its twin in east.
    const cloud = shBlockAfter(resync, 'Copy `nextcloud-data` to `nextcloud-data-dr`').split('\n');
    expect(cloud).toContain('kubectl --context uk exec -n nextcloud twinops-send-nextcloud-data -- tar -C /data -cf - . | kubectl --context east exec -i -n nextcloud twinops-receive-nextcloud-data-dr -- tar -C /data -xf -');
  });

  it('copies back from the twin cluster on failback', () => {
    const block = shBlockAfter(section(runbook, '## Activation and failback'), 'Copy `wordpress-db-dr` on `west` back to `wordpress-db` on `east`').split('\n');
    expect(block).toContain('kubectl --context west exec -n wordpress twinops-send-wordpress-db-dr -- tar -C /data -cf - . | kubectl --context east exec -i -n wordpress twinops-receive-wordpress-db -- tar -C /data -xf -');
  });

  it('activates on the twin cluster, which never waits on prod, and says there is no edge', () => {
    const procedures = section(runbook, '## Activation and failback');
    const block = shBlockAfter(procedures, 'Merge it, then have Flux apply it now: for `west`').split('\n');
    expect(block.slice(0, 2)).toEqual([
      'flux --context west reconcile kustomization flux-system -n flux-system --with-source   # applies dist/regions/clusters/west',
      'flux --context west reconcile kustomization wordpress-dr -n flux-system',
    ]);
    expect(procedures).toContain('no dependency change: `wordpress-dr` on `west` never depends on `wordpress`, so a dead prod cluster does not block it');
    expect(procedures).toContain('DNS: `west` has no edge, so twinops moves no record: point the clients of `blog.example.org` at `wordpress-dr` on `west` by hand.');
    expect(procedures).toContain('DNS: `west` has no edge, so twinops moves no record: point the clients of `blog.example.org` back at prod on `east` by hand.');
  });

  it('writes the region loss of each cluster: its twins activated elsewhere, the twins it ran left without DR', () => {
    const east = section(runbook, '### Cluster `east` (region `eastus`) is lost');
    expect(shBlockAfter(east, 'Activate the twins').split('\n')[0]).toBe('npm run dr -- activate regions --cluster east');
    expect(shBlockAfter(east, 'Have Flux apply it').split('\n')).toEqual([
      'flux --context west reconcile kustomization flux-system -n flux-system --with-source   # applies dist/regions/clusters/west',
      'flux --context west reconcile kustomization wordpress-dr -n flux-system',
      'flux --context west reconcile kustomization redis-dr -n flux-system',
    ]);
    expect(east).toContain('The twins `east` ran for other clusters are gone: `nextcloud` of `uk`. Their prod is unaffected; they have no DR until `east` is back.');
    expect(east).toContain('`blog.example.org`: one side has no edge, so twinops moves no record: point the clients at the twin by hand.');
    const west = section(runbook, '### Cluster `west` (region `eastus2`) is lost');
    expect(shBlockAfter(west, 'Activate the twins').split('\n')[0]).toBe('npm run dr -- activate regions --cluster west');
    expect(shBlockAfter(west, 'Have Flux apply it').split('\n')).toContain('flux --context uk reconcile kustomization keycloak-dr -n flux-system');
    expect(west).toContain('The twins `west` ran for other clusters are gone: `wordpress` of `east` and `redis` of `east`.');
  });

  it('points the whole-cluster loss at the region loss, and names no DR node', () => {
    const nodes = section(runbook, '## When a node fails');
    expect(section(nodes, '### Cluster `east`')).toContain(
      'The twins of its apps run on `west`. It runs the twins of `nextcloud` of `uk`. See [Region loss](#region-loss): what goes, what to do in order, and the way back.',
    );
    expect(section(nodes, '#### `west-1` fails')).toContain('possibly the twins `wordpress-dr` of `east` and `redis-dr` of `east` (not pinned)');
    expect(nodes).not.toContain('DR node');
    expect(section(runbook, '## DR state')).toContain('The twins of `wordpress` and `redis` run on cluster `west`.');
  });

  it('draws each twin in the cluster it runs on', () => {
    const diagram = section(runbook, '## Diagram');
    const west = diagram.slice(diagram.indexOf('subgraph cluster__west'), diagram.indexOf('subgraph cluster__uk'));
    expect(west).toContain('twin__east__wordpress["wordpress-dr"]');
  });

  it('writes shell blocks sh and bash parse', () => {
    for (const block of shBlocks(runbook)) for (const shell of ['sh', 'bash']) expect(() => execFileSync(shell, ['-n', '-c', block]), block).not.toThrow();
  });

  it('names a context in every kubectl and flux command outside the bootstrap, which switches to the cluster by name', () => {
    const { index } = /\n## Bootstrap\n/.exec(runbook) ?? { index: runbook.length };
    const commands = shBlocks(runbook.slice(0, index)).flatMap((block) => block.split('\n')).filter((line) => /(^|\$\(|\| )(kubectl|flux) /.test(line));
    expect(commands.length).toBeGreaterThan(50);
    for (const line of commands) expect(line).toMatch(/(kubectl|flux) --context (east|west|uk) /);
    expect(section(runbook, '## Bootstrap')).toContain('kubectl config use-context west');
  });
});

describe('the runbook of twins in another region, with an edge on east and west', () => {
  const runbook = regionsWithEdge();

  it('hands prod\'s record over to the twin cluster by hand, with the names and the DR address', () => {
    const activation = section(runbook, '#### Activate wordpress');
    expect(activation).toContain(
      '- `blog.example.org` A: delete it and its TXT ownership records `blog.example.org` and `a-blog.example.org` (owner `east`: `west`\'s external-dns never takes over a record another owns); ' +
        'then `west`\'s external-dns (`traefik-dr`) publishes `192.0.2.202`; if it does not, set it by hand',
    );
    expect(activation).toContain('- DNS record: `west` renders Service `wordpress/wordpress-name` for `blog.example.org`; `east` no longer renders `wordpress/wordpress-name`');
    expect(shBlockAfter(activation, 'Check that the twin serves production').split('\n')).toEqual([
      'kubectl --context west get deployment -n wordpress wordpress-db-dr wordpress-dr   # READY 1/1',
      'curl -sSI --resolve "blog.example.org:443:192.0.2.202" https://blog.example.org/',
      'dig +short A blog.example.org   # expect 192.0.2.202',
    ]);
  });

  it('hands it back on failback', () => {
    expect(section(runbook, '#### Fail back wordpress')).toContain(
      '- `blog.example.org` A: delete it and its TXT ownership records `blog.example.org` and `a-blog.example.org` (owner `west`: `east`\'s external-dns never takes over a record another owns); ' +
        'then `east`\'s external-dns (`traefik-external`) publishes `192.0.2.1` again; if it does not, set it by hand',
    );
  });

  it('lists the moving record and the twin\'s own, each with its cluster, in the DNS section', () => {
    const east = section(section(runbook, '## DNS'), '### Cluster `east`');
    expect(east).toContain('| blog.example.org | A | Service `wordpress/wordpress-name` on `east`; active: `wordpress/wordpress-name` on `west` | `192.0.2.1` (external-dns) | `192.0.2.202` (external-dns) |');
    expect(east).toContain('| blog-dr.example.org | A | Service `wordpress/wordpress-name-dr` on `west` | `192.0.2.202` (external-dns) | unchanged |');
  });

  it('checks certificates on the DR Traefik of the cluster the twin runs on', () => {
    const east = section(section(runbook, '## Certificates'), '### Cluster `east`');
    expect(east).toContain('The twins of `wordpress` run on `west`: its Traefik `traefik-dr` serves their prod hosts once they are active.');
    expect(east).toContain('Until then Let\'s Encrypt reaches `traefik-external` on `east` and the order fails');
    expect(shBlockAfter(east, 'Watch the ACME client').split('\n')).toEqual([
      'kubectl --context west logs -n traefik-external -l app=traefik-dr --tail=-1 | grep -i acme',
      'curl -sv --resolve "blog.example.org:443:192.0.2.202" https://blog.example.org/ -o /dev/null',
      'openssl s_client -connect "192.0.2.202:443" -servername blog.example.org </dev/null | openssl x509 -noout -subject -ext subjectAltName -enddate',
    ]);
  });

  it('says in the region loss which records to delete', () => {
    expect(section(runbook, '### Cluster `east` (region `eastus`) is lost')).toContain(
      'Delete the A record of `blog.example.org` and its TXT ownership records `blog.example.org` and `a-blog.example.org`; the twins\' clusters then publish them',
    );
  });

  it('writes shell blocks sh and bash parse', () => {
    for (const block of shBlocks(runbook)) for (const shell of ['sh', 'bash']) expect(() => execFileSync(shell, ['-n', '-c', block]), block).not.toThrow();
  });
});

describe('the runbook of a twin on another Cluster API workload cluster (test/fixtures/fleet.yaml)', () => {
  const runbook = render('test/fixtures/fleet.yaml', 'fleet');

  it('reconciles both workload clusters\' units on the management cluster, in their namespaces, and checks workloads on the clusters', () => {
    const activation = section(runbook, '#### Activate redis');
    expect(shBlockAfter(activation, 'Merge it, then have Flux apply it now').split('\n')).toEqual([
      'flux --context mgmt reconcile kustomization flux-system -n flux-system --with-source   # applies dist/fleet/clusters/mgmt',
      'flux --context mgmt reconcile kustomization delivery-edge-2 -n flux-system',
      'flux --context mgmt reconcile kustomization redis-dr -n edge-2',
      'flux --context mgmt reconcile kustomization delivery-edge-1 -n flux-system',
      'flux --context mgmt reconcile kustomization redis -n edge-1',
    ]);
    expect(shBlockAfter(activation, 'Check that the twin serves production')).toBe('kubectl --context edge-2 get deployment -n redis redis-dr   # READY 1/1');
  });
});

describe('inContext', () => {
  it('names the context where a kubectl or flux command starts, once, and leaves comments alone', () => {
    expect(
      inContext(
        [
          'kubectl get pvc -n wordpress data',
          'PV=$(kubectl get pv x)',
          'for i in $(seq 1 3); do kubectl get pod p && break; sleep 1; done',
          'kubectl exec -n a p -- tar -cf - . | kubectl exec -i -n a q -- tar -xf -',
          'kubectl --context east get nodes',
          '# kubectl get pods says why',
          'flux reconcile kustomization wordpress -n flux-system',
        ],
        'west',
      ),
    ).toEqual([
      'kubectl --context west get pvc -n wordpress data',
      'PV=$(kubectl --context west get pv x)',
      'for i in $(seq 1 3); do kubectl --context west get pod p && break; sleep 1; done',
      'kubectl --context west exec -n a p -- tar -cf - . | kubectl --context west exec -i -n a q -- tar -xf -',
      'kubectl --context east get nodes',
      '# kubectl get pods says why',
      'flux --context west reconcile kustomization wordpress -n flux-system',
    ]);
  });

  it('quotes a context name that needs it, and changes nothing without a context', () => {
    expect(inContext(['kubectl get nodes'], "it's")).toEqual(["kubectl --context 'it'\\''s' get nodes"]);
    expect(inContext(['kubectl get nodes'], undefined)).toEqual(['kubectl get nodes']);
  });
});
