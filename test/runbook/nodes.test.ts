import { describe, expect, it } from 'vitest';
import { homeRunbook, runbookOf, section, tiny } from './support';

describe('node failures', () => {
  it('plans the loss of the only control plane: restore it on the DR node, lift its taint, then activate', () => {
    const hassio = section(homeRunbook(), '#### `hassio` fails');
    expect(hassio).toContain(
      'Runs here: the control plane (the only one), prod of `wordpress`, `keycloak` and `nextcloud` (their volumes are pinned here), possibly prod of `redis` and Traefik `traefik-external` (not pinned) and the volumes of `zfs-storage-znvm` and `zfs-storage-nas`.',
    );
    expect(hassio).toContain('- The API is gone: kubectl and Flux cannot apply anything');
    expect(hassio).toContain('1. Restore the control plane on `remote`, the DR node, from the newest datastore snapshot');
    expect(hassio).toContain('   kubectl taint node remote dedicated=remote:NoSchedule-\n');
    expect(hassio).toContain('   npm run dr -- activate home\n');
  });

  it('plans the loss of the DR node: twins down, prod unaffected, rejoin and resync', () => {
    expect(section(runbookOf(tiny()), '#### `spare` fails')).toBe(
      [
        '#### `spare` fails',
        '',
        'Runs here: the twins `keycloak-dr` and `redis-dr`, Traefik `traefik-dr` and the volumes of `zfs-storage-znvm-dr`.',
        '',
        '**Expected outcome**',
        '',
        '- The twins are down, and with them `id-dr.example.org`. Prod is unaffected.',
        '',
        '**Recovery steps**',
        '',
        '1. Repair or replace `spare` and join it as before, with its labels and taints:',
        '',
        '   ```sh',
        '   kubectl label node spare kubernetes.io/hostname=spare --overwrite',
        '   kubectl taint node spare dedicated=spare:NoSchedule --overwrite',
        '   ```',
        '',
        '2. If its disks were lost: recreate the dataset `spare/k8s`, then replace the twin claims (prune protection keeps them), so the twins start on new, empty volumes. The old volumes stay `Released` (`kubectl get pv`): delete them.',
        '',
        '   ```sh',
        '   kubectl delete pvc -n keycloak keycloak-db-dr --wait=false',
        '   kubectl delete pod -n keycloak -l twinops.dev/app=keycloak,twinops.dev/variant=dr',
        '   flux reconcile kustomization keycloak-dr -n flux-system',
        '   ```',
        '',
        '3. Resynchronise every twin ([Data resynchronisation](#data-resynchronisation)).',
      ].join('\n'),
    );
  });

  it('activates only the apps of a failed prod node that is not the control plane', () => {
    const env = tiny();
    const [cluster] = env.clusters;
    if (!cluster) throw new Error('no cluster');
    const worker = { name: 'worker', labels: { 'kubernetes.io/hostname': 'worker' }, taints: [], addresses: [], controlPlane: false };
    const storageClasses = cluster.storageClasses.map((sc) => ({ ...sc, node: 'worker' }));
    const markdown = runbookOf({ ...env, clusters: [{ ...cluster, nodes: [...cluster.nodes, worker], storageClasses }] });
    const failure = section(markdown, '#### `worker` fails');
    expect(failure).toContain('- Prod of `keycloak` is down: its volumes are on `worker`.');
    expect(failure).toContain('- Prod of `redis` and Traefik `traefik-external` move to `main`: the node is marked NotReady after about 40 s, and its pods are evicted after about five more minutes (the default 300 s toleration of `node.kubernetes.io/unreachable`).');
    expect(failure).toContain('   npm run dr -- activate tiny --app keycloak\n');
    expect(failure).not.toContain('The API is gone');
  });
});
