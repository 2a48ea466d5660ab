/**
 * The runbook's volume snapshot section on a fixture estate with one snapshotted class: what is
 * snapshotted, the listing commands, and the restore of the prod claim, pinned line by line and
 * run with stub kubectl and flux to show the snapshot picked reaches the re-created claim.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import type { StorageClassSpec } from '../../lib/config/schema';
import { clusterFacts } from '../../lib/runbook/facts';
import { snapshotsSection } from '../../lib/runbook/snapshots';
import { TINY_SPEC, shBlockAfter, tiny } from './support';

/** The tiny lab (keycloak with claim keycloak-db, redis without), its ZFS class changed by `change`. */
function snapshotted(change: Partial<StorageClassSpec> = {}): Environment {
  const [cluster] = TINY_SPEC.clusters;
  const [zfs] = cluster?.storageClasses ?? [];
  if (cluster === undefined || zfs === undefined) throw new Error('TINY_SPEC changed: no cluster or class');
  const storageClass = { ...zfs, snapshots: { schedule: '0 3 * * *', keep: 3 }, ...change };
  return tiny({ clusters: [{ ...cluster, storageClasses: [storageClass] }] });
}

function sectionOf(env: Environment): string | undefined {
  return snapshotsSection(env, clusterFacts(env, composeEnvironment(env)));
}

function required(env: Environment): string {
  const section = sectionOf(env);
  if (section === undefined) throw new Error('no snapshot section');
  return section;
}

const SELECTOR = 'twinops.dev/snapshot-of=keycloak-db,twinops.dev/snapshot-schedule=zfs-storage-znvm';
const SNAP = '${SNAP:?set SNAP to a ready snapshot of keycloak-db, from the list above}';

const RESTORE = [
  '# 1. Pick the snapshot: the newest ready one; to restore an older one, set SNAP to its name from this list.',
  `kubectl get volumesnapshot -n keycloak -l ${SELECTOR}`,
  `SNAP=$(kubectl get volumesnapshot -n keycloak -l ${SELECTOR} -o jsonpath='{range .items[?(@.status.readyToUse==true)]}{.metadata.name}{"\\n"}{end}' | sort | tail -n 1)`,
  `kubectl get volumesnapshot -n keycloak "${SNAP}" -o jsonpath='{.status.readyToUse}{"\\n"}'   # must print true`,
  "# 2. Flux stops applying keycloak (it would create the deleted claim again, empty), and the claim's writers stop.",
  'flux suspend kustomization keycloak -n flux-system',
  '# Replicas in Git, which Flux restores: deployment/keycloak-db 1.',
  'kubectl scale deployment -n keycloak keycloak-db --replicas 0',
  'kubectl wait pod -n keycloak -l app.kubernetes.io/instance=keycloak-db,app.kubernetes.io/name=keycloak-db --for=delete --timeout=10m',
  '# On timeout: a pod is still terminating (kubectl get pods -n keycloak shows which): wait for it, or delete it; the claim cannot go while it runs.',
  '# 3. Keep the current volume as a fallback (a Delete reclaim policy would destroy it with the claim), then delete the claim:',
  '#    its prune protection stops Flux, not kubectl.',
  "OLD_PV=$(kubectl get pvc -n keycloak keycloak-db -o jsonpath='{.spec.volumeName}')",
  `kubectl patch pv "\${OLD_PV:?keycloak-db is not bound to a volume}" -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}'`,
  'kubectl delete pvc -n keycloak keycloak-db --timeout=5m',
  '# On timeout: a pod still mounts keycloak-db (step 2): stop it, then run the delete again.',
  '# 4. Create the claim again as rendered (class zfs-storage-znvm, 5Gi, ReadWriteOnce), from the snapshot.',
  'kubectl create -f - <<EOF',
  'apiVersion: v1',
  'kind: PersistentVolumeClaim',
  'metadata:',
  '  name: keycloak-db',
  '  namespace: keycloak',
  '  labels:',
  '    app.kubernetes.io/instance: keycloak-db',
  '    app.kubernetes.io/managed-by: twinops',
  '    app.kubernetes.io/name: keycloak-db',
  '    app.kubernetes.io/part-of: keycloak',
  '    twinops.dev/app: keycloak',
  '    twinops.dev/variant: prod',
  '  annotations:',
  '    argocd.argoproj.io/sync-options: Prune=false,Delete=false',
  '    kustomize.toolkit.fluxcd.io/prune: disabled',
  'spec:',
  '  accessModes:',
  '  - ReadWriteOnce',
  '  resources:',
  '    requests:',
  '      storage: 5Gi',
  '  storageClassName: zfs-storage-znvm',
  '  dataSource:',
  '    apiGroup: snapshot.storage.k8s.io',
  '    kind: VolumeSnapshot',
  `    name: ${SNAP}`,
  'EOF',
  '# zfs-storage-znvm binds on first use (WaitForFirstConsumer): the volume is restored when a writer starts.',
  '# 5. Flux applies keycloak again: the writers come back with Git\'s replicas, on the restored claim.',
  'flux resume kustomization keycloak -n flux-system',
  'kubectl rollout status deployment -n keycloak keycloak-db --timeout=10m',
  '# On timeout: kubectl describe pvc -n keycloak keycloak-db and kubectl get pods -n keycloak say why (a restore the driver refused, a pod that cannot mount the claim).',
  `kubectl get pvc -n keycloak keycloak-db -o jsonpath='{.spec.dataSource.name} {.status.phase}{"\\n"}'   # must print the snapshot and Bound`,
  '# 6. Once the app is verified on the restored data, release the old volume (its data stays in the storage until deleted there):',
  '#    kubectl delete pv "${OLD_PV:?}"',
];

describe('volume snapshots in the runbook', () => {
  it('is absent when no storage class asks for snapshots', () => {
    expect(sectionOf(tiny())).toBeUndefined();
  });

  it('states per cluster and class what is snapshotted, when, and how many are kept', () => {
    const section = required(snapshotted());
    expect(section.split('\n').slice(0, 1)).toEqual(['## Volume snapshots']);
    expect(section).toContain(
      [
        '### Cluster `lab`',
        '',
        '| Storage class | Driver | VolumeSnapshotClass | Schedule (UTC) | Kept per claim | Prod claims snapshotted |',
        '| --- | --- | --- | --- | --- | --- |',
        '| `zfs-storage-znvm` | `zfs.csi.openebs.io` | `zfs-storage-znvm-snapshots` | `0 3 * * *` | 3 | `keycloak/keycloak-db` |',
      ].join('\n'),
    );
  });

  it('lists the snapshots and runs of the class, and takes them now on demand', () => {
    expect(shBlockAfter(required(snapshotted()), 'List the snapshots').split('\n')).toEqual([
      'kubectl get volumesnapshot -A -l twinops.dev/snapshot-schedule=zfs-storage-znvm',
      'kubectl get jobs -n volume-snapshots -l twinops.dev/snapshot-schedule=zfs-storage-znvm',
      'kubectl delete job -n volume-snapshots snapshot-zfs-storage-znvm-manual --ignore-not-found',
      'kubectl create job -n volume-snapshots --from=cronjob/snapshot-zfs-storage-znvm snapshot-zfs-storage-znvm-manual',
    ]);
  });

  it('restores the prod claim under its rendered name and spec, from the snapshot picked, with Flux suspended', () => {
    const block = shBlockAfter(required(snapshotted()), '#### Restore `keycloak/keycloak-db` from a snapshot');
    expect(block.split('\n')).toEqual(RESTORE);
    expect(() => execFileSync('sh', ['-n', '-c', block])).not.toThrow();
    expect(block).not.toMatch(/<[^<>\n]*>/);
  });

  it('waits for the restored claim to bind where the class binds at once, and names the VolumeSnapshotClass given', () => {
    const section = required(snapshotted({ volumeBindingMode: 'Immediate', snapshots: { schedule: '15 1 * * *', snapshotClass: 'zfs-nightly' } }));
    expect(section).toContain('| `zfs-storage-znvm` | `zfs.csi.openebs.io` | `zfs-nightly` | `15 1 * * *` | 7 | `keycloak/keycloak-db` |');
    const block = shBlockAfter(section, '#### Restore `keycloak/keycloak-db` from a snapshot').split('\n');
    const at = block.indexOf('EOF');
    expect(block.slice(at + 1, at + 3)).toEqual([
      "kubectl wait -n keycloak pvc/keycloak-db --for=jsonpath='{.status.phase}'=Bound --timeout=30m",
      '# On timeout: the driver has not restored the snapshot: kubectl describe pvc -n keycloak keycloak-db names its error; Flux is still suspended and the old volume kept: fix it, delete the claim and create it again.',
    ]);
  });
});

/** kubectl and flux stubs: each call appended to `calls` (with stdin for `-f -`), canned answers for the reads. */
const STUB_KUBECTL = `#!/bin/sh
{ printf 'kubectl %s\\n' "$*"; if [ "$2 $3" = "-f -" ]; then cat; fi; } >>"$STUB/calls"
case "$*" in
  "get volumesnapshot -n keycloak -l"*"range"*) printf 'keycloak-db-202401020300\\nkeycloak-db-202401010300\\n' ;;
  "get volumesnapshot -n keycloak keycloak-db-"*) echo true ;;
  "get pvc -n keycloak keycloak-db -o jsonpath={.spec.volumeName}") echo pvc-0a1b ;;
esac
`;
const STUB_FLUX = `#!/bin/sh
printf 'flux %s\\n' "$*" >>"$STUB/calls"
`;

describe('the restore block, run', () => {
  let stub = '';
  afterEach(() => {
    if (stub !== '') rmSync(stub, { recursive: true, force: true });
    stub = '';
  });

  it('restores the newest ready snapshot into the claim it re-creates', () => {
    stub = mkdtempSync(join(tmpdir(), 'twinops-restore-'));
    for (const [name, script] of [['kubectl', STUB_KUBECTL], ['flux', STUB_FLUX]] as const) {
      writeFileSync(join(stub, name), script);
      chmodSync(join(stub, name), 0o755);
    }
    writeFileSync(join(stub, 'calls'), '');
    const block = shBlockAfter(required(snapshotted()), '#### Restore `keycloak/keycloak-db` from a snapshot');
    const result = spawnSync('sh', ['-c', `set -e\n${block}`], { encoding: 'utf8', env: { PATH: `${stub}:${process.env['PATH'] ?? ''}`, STUB: stub } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const calls = readFileSync(join(stub, 'calls'), 'utf8').split('\n');
    expect(calls.filter((line) => /^(kubectl|flux) /.test(line))).toEqual([
      `kubectl get volumesnapshot -n keycloak -l ${SELECTOR}`,
      `kubectl get volumesnapshot -n keycloak -l ${SELECTOR} -o jsonpath={range .items[?(@.status.readyToUse==true)]}{.metadata.name}{"\\n"}{end}`,
      'kubectl get volumesnapshot -n keycloak keycloak-db-202401020300 -o jsonpath={.status.readyToUse}{"\\n"}',
      'flux suspend kustomization keycloak -n flux-system',
      'kubectl scale deployment -n keycloak keycloak-db --replicas 0',
      'kubectl wait pod -n keycloak -l app.kubernetes.io/instance=keycloak-db,app.kubernetes.io/name=keycloak-db --for=delete --timeout=10m',
      'kubectl get pvc -n keycloak keycloak-db -o jsonpath={.spec.volumeName}',
      'kubectl patch pv pvc-0a1b -p {"spec":{"persistentVolumeReclaimPolicy":"Retain"}}',
      'kubectl delete pvc -n keycloak keycloak-db --timeout=5m',
      'kubectl create -f -',
      'flux resume kustomization keycloak -n flux-system',
      'kubectl rollout status deployment -n keycloak keycloak-db --timeout=10m',
      'kubectl get pvc -n keycloak keycloak-db -o jsonpath={.spec.dataSource.name} {.status.phase}{"\\n"}',
    ]);
    const manifest = calls.slice(calls.indexOf('kubectl create -f -') + 1);
    expect(manifest.slice(manifest.indexOf('  dataSource:'), manifest.indexOf('  dataSource:') + 4)).toEqual([
      '  dataSource:',
      '    apiGroup: snapshot.storage.k8s.io',
      '    kind: VolumeSnapshot',
      '    name: keycloak-db-202401020300',
    ]);
  });
});
