import { describe, expect, it } from 'vitest';
import { homeRunbook, runbookOf, shBlockAfter, tiny, TINY_SPEC } from './support';

/** The tiny lab with its one storage class given another provisioner, unpinned. */
function withProvisioner(provisioner: string) {
  const spec = structuredClone(TINY_SPEC);
  const [cluster] = spec.clusters;
  if (!cluster) throw new Error('no cluster');
  cluster.storageClasses = [{ name: 'zfs-storage-znvm', provisioner }];
  return runbookOf(tiny({ clusters: spec.clusters }));
}

/** The lines that load an encrypted dataset's key on `remote` when it is unavailable. */
const loadKeyOnRemote = (dataset: string) => [
  `# Load the key if the dataset is encrypted and its key unloaded (as after a reboot): from its keylocation,`,
  `# a file on remote, or with "prompt" the passphrase you type.`,
  `KEY_ROOT=$(ssh remote zfs get -H -o value encryptionroot "${dataset}")`,
  `if [ "$(ssh remote zfs get -H -o value keystatus "${dataset}")" = unavailable ]; then ssh -t remote zfs load-key -r "\${KEY_ROOT:?}"; fi`,
];

describe('ZFS resync with a replica on the DR node (002)', () => {
  it('loads the replica key, snapshots on the source, waits a bounded time, clones the replica and sets a legacy mountpoint', () => {
    expect(shBlockAfter(homeRunbook(), 'Copy `wordpress-db` to `wordpress-db-dr`')).toBe(
      [
        `PROD_PV=$(kubectl get pvc -n wordpress wordpress-db -o jsonpath='{.spec.volumeName}')`,
        `DR_PV=$(kubectl get pvc -n wordpress wordpress-db-dr -o jsonpath='{.spec.volumeName}')`,
        ...loadKeyOnRemote('backup/encrypted/znvm/k3s/${PROD_PV:?}'),
        `# 1. Clear the previous resync: the twin's dataset first (it may be a clone of the old snapshot),`,
        `#    then the old snapshot on the replica and on the source ("could not find" errors are fine).`,
        `ssh remote zfs destroy -r "backup/znvm/k3s/\${DR_PV:?}"`,
        `ssh remote zfs destroy "backup/encrypted/znvm/k3s/\${PROD_PV:?}@twinops-resync"`,
        `ssh hassio zfs destroy "znvm/k3s/\${PROD_PV:?}@twinops-resync"`,
        `# 2. Snapshot on the source, hassio, never on the replica (that breaks the incremental`,
        `#    replication), and wait until the replication has carried it to remote.`,
        `ssh hassio zfs snapshot "znvm/k3s/\${PROD_PV:?}@twinops-resync"`,
        `for i in $(seq 1 90); do ssh remote zfs list -t snapshot "backup/encrypted/znvm/k3s/\${PROD_PV:?}@twinops-resync" >/dev/null 2>&1 && break; sleep 60; done`,
        `ssh remote zfs list -t snapshot "backup/encrypted/znvm/k3s/\${PROD_PV:?}@twinops-resync" >/dev/null 2>&1 || echo 'TIMEOUT: the replication has not carried @twinops-resync to remote in 90 minutes' >&2`,
        `# On timeout: the replication to remote is not running or is failing: check its timer and log there (an unloaded key stops a non-raw receive), fix it and run the loop again; do not go on without the snapshot.`,
        `# 3. Clone it as the twin's dataset: instant, it shares blocks with the replica, and the snapshot`,
        `#    cannot be destroyed while the clone exists. For a fully independent copy, run instead`,
        `#    (the quoted pipe runs on the node):`,
        `#    ssh remote zfs send "backup/encrypted/znvm/k3s/\${PROD_PV:?}@twinops-resync" '|' zfs recv -F "backup/znvm/k3s/\${DR_PV:?}"`,
        `ssh remote zfs clone "backup/encrypted/znvm/k3s/\${PROD_PV:?}@twinops-resync" "backup/znvm/k3s/\${DR_PV:?}"`,
        `# 4. The CSI driver mounts the dataset itself: unmount it and give it a legacy mountpoint.`,
        `ssh remote zfs umount "backup/znvm/k3s/\${DR_PV:?}"`,
        `ssh remote zfs set mountpoint=legacy "backup/znvm/k3s/\${DR_PV:?}"`,
      ].join('\n'),
    );
  });

  it('says where the replica key comes from, which the environment does not know', () => {
    expect(homeRunbook()).toContain(
      '   If the replica `backup/encrypted/nas/k3s` is encrypted, the block first loads its key when ZFS reports it `unavailable` ' +
        '(after every reboot of `remote`). The key is not in this environment: ZFS reads it from the dataset\'s `keylocation`, ' +
        'a key file on `remote`, or, with `prompt`, asks for the passphrase, which you keep wherever the replication was set up.\n',
    );
  });

  it('loads the replica key, then clones the newest replicated snapshot when the prod node is down', () => {
    expect(shBlockAfter(homeRunbook(), 'If `hassio` is down (a failover)')).toBe(
      [
        ...loadKeyOnRemote('backup/encrypted/znvm/k3s/${PROD_PV:?}'),
        `SNAP=$(ssh remote zfs list -H -t snapshot -o name -s creation "backup/encrypted/znvm/k3s/\${PROD_PV:?}" | tail -n 1)`,
        `ssh remote zfs clone "\${SNAP:?}" "backup/znvm/k3s/\${DR_PV:?}"`,
      ].join('\n'),
    );
  });

  it('fails back by loading the twin key, rolling prod to the shared snapshot and sending the twin\'s changes, then rolls the replica back', () => {
    const block = shBlockAfter(homeRunbook(), 'Copy `wordpress-db-dr` back to `wordpress-db`');
    expect(block.split('\n').slice(2, 7)).toEqual([
      ...loadKeyOnRemote('backup/znvm/k3s/${DR_PV:?}'),
      `# Snapshot the twin's data on remote (an earlier failback's snapshot goes first).`,
    ]);
    expect(block).toContain(`FROM=$(ssh remote zfs get -H -o value origin "backup/znvm/k3s/\${DR_PV:?}")`);
    expect(block).toContain('[ "$FROM" = "-" ] && FROM=@twinops-resync\n');
    expect(block).toContain(`ssh hassio zfs rollback -r "znvm/k3s/\${PROD_PV:?}@\${FROM#*@}"`);
    expect(block).toContain(
      `ssh remote zfs send -i "\${FROM:?}" "backup/znvm/k3s/\${DR_PV:?}@twinops-failback" | ssh hassio zfs recv "znvm/k3s/\${PROD_PV:?}"`,
    );
    expect(block).toContain(`ssh remote zfs rollback -r "backup/encrypted/znvm/k3s/\${PROD_PV:?}@\${FROM#*@}"`);
  });
});

describe('ZFS resync without a replica', () => {
  it('sends the snapshot from the prod pool to the DR pool over ssh', () => {
    const block = shBlockAfter(runbookOf(tiny()), 'Copy `keycloak-db` to `keycloak-db-dr`');
    expect(block).toContain(`ssh main zfs snapshot "tank/k8s/\${PROD_PV:?}@twinops-resync"`);
    expect(block).toContain(`ssh main zfs send "tank/k8s/\${PROD_PV:?}@twinops-resync" | ssh spare zfs recv -F "spare/k8s/\${DR_PV:?}"`);
    expect(block).toContain(`ssh spare zfs set mountpoint=legacy "spare/k8s/\${DR_PV:?}"`);
    expect(block).not.toContain('zfs clone');
  });
});

describe('local-path resync (000)', () => {
  it('rsyncs the provisioner folders, finding the unpinned prod node from its volume', () => {
    expect(shBlockAfter(withProvisioner('rancher.io/local-path'), 'Copy `keycloak-db` to `keycloak-db-dr`')).toBe(
      [
        `PROD_PV=$(kubectl get pvc -n keycloak keycloak-db -o jsonpath='{.spec.volumeName}')`,
        `DR_PV=$(kubectl get pvc -n keycloak keycloak-db-dr -o jsonpath='{.spec.volumeName}')`,
        `PROD_NODE=$(kubectl get pv "\${PROD_PV:?}" -o jsonpath='{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}')`,
        `# Runs on $PROD_NODE, which must reach spare over ssh. A database copied while it runs may be`,
        `# inconsistent: for a last pass, stop the source's workloads (flux suspend, kubectl scale).`,
        `ssh \${PROD_NODE:?} rsync -aHAX --numeric-ids --delete "/opt/local-path-provisioner/\${PROD_PV:?}_keycloak_keycloak-db/" "spare:/opt/local-path-provisioner/\${DR_PV:?}_keycloak_keycloak-db-dr/"`,
      ].join('\n'),
    );
  });
});
