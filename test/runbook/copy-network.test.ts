/**
 * Copies on network storage: the CSI snapshot route where the driver takes snapshots (prod keeps
 * running), the copy pod with prod's writers stopped otherwise, and the failback copy.
 */
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { parseEnvironment } from '../../lib/config/load';
import { runbookOf, shBlockAfter, tiny, TINY_SPEC } from './support';

/**
 * A Ceph estate: databases on RBD (the DR class declared, binding at once, deleting released
 * volumes), files on an NFS driver twinops knows no snapshots for.
 */
const CEPH = `secrets: { name: vault }
dr: { storageClasses: { ceph-rbd: ceph-rbd-dr } }
clusters:
  - name: rook
    nodes:
      - { name: ceph-1, controlPlane: true }
      - { name: ceph-dr, taints: [{ key: role, value: dr, effect: NoExecute }] }
    dr: { node: ceph-dr }
    storageClasses:
      - { name: ceph-rbd, provisioner: rbd.csi.ceph.com, volumeBindingMode: Immediate, parameters: { clusterID: rook-ceph, pool: rbd } }
      - { name: ceph-rbd-dr, provisioner: rbd.csi.ceph.com, volumeBindingMode: Immediate, reclaimPolicy: Delete, parameters: { clusterID: rook-ceph, pool: rbd-dr } }
      - { name: nfs, provisioner: nfs.csi.k8s.io, parameters: { server: nfs.example.org, share: /k8s }, dr: {} }
    storageRoles: { database: ceph-rbd, files: nfs }
    apps:
      - { app: wordpress, host: www.example.org, dr: true }
      - { app: redis, namespace: wordpress, dr: true }
`;

const cephRunbook = (text = CEPH) => runbookOf(parseEnvironment('ceph', 'environments/ceph.yaml', text, { knownApps: APP_CATALOG }));

/** The Ceph estate with scheduled snapshots of ceph-rbd: twinops renders its VolumeSnapshotClass. */
const CEPH_WITH_SCHEDULE = CEPH.replace(
  'parameters: { clusterID: rook-ceph, pool: rbd } }',
  "parameters: { clusterID: rook-ceph, pool: rbd }, snapshots: { schedule: '0 3 * * *' } }",
);

/** The tiny lab with its one storage class on Longhorn (derived DR class: Retain, WaitForFirstConsumer). */
function longhornRunbook(): string {
  const spec = structuredClone(TINY_SPEC);
  const [cluster] = spec.clusters;
  if (!cluster) throw new Error('no cluster');
  cluster.storageClasses = [{ name: 'zfs-storage-znvm', provisioner: 'driver.longhorn.io' }];
  return runbookOf(tiny({ clusters: spec.clusters }));
}

/** Deletes the resync snapshot of wordpress-db with the driver's snapshot, `--timeout=…` or `--wait=false`. */
const DROP_SNAPSHOT = (wait: string) => [
  `CONTENT=$(kubectl get volumesnapshot -n wordpress twinops-resync-wordpress-db --ignore-not-found -o jsonpath='{.status.boundVolumeSnapshotContentName}')`,
  `if [ -n "$CONTENT" ]; then kubectl patch volumesnapshotcontent "$CONTENT" --type merge -p '{"spec":{"deletionPolicy":"Delete"}}'; fi`,
  `kubectl delete volumesnapshot -n wordpress twinops-resync-wordpress-db --ignore-not-found ${wait}`,
];

const COPY_POD = (name: string, from: string, to: string) => [
  '# A pod mounts both claims and copies the files. Both volumes must be attachable on one node',
  '# (network storage; not node-local volumes).',
  `kubectl apply -f - <<'EOF'`,
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  `  name: ${name}`,
  '  namespace: wordpress',
  'spec:',
  '  restartPolicy: Never',
  '  containers:',
  '    - name: copy',
  '      image: busybox:1.36',
  '      command: ["sh", "-c", "find /to -mindepth 1 -delete && cp -a /from/. /to/"]',
  '      volumeMounts:',
  '        - { name: from, mountPath: /from, readOnly: true }',
  '        - { name: to, mountPath: /to }',
  '  volumes:',
  `    - { name: from, persistentVolumeClaim: { claimName: ${from}, readOnly: true } }`,
  `    - { name: to, persistentVolumeClaim: { claimName: ${to} } }`,
  'EOF',
  `kubectl wait -n wordpress pod/${name} --for=jsonpath='{.status.phase}'=Succeeded --timeout=6h`,
];

describe('a driver that takes CSI snapshots (Ceph RBD)', () => {
  it('names the route in the pair table and in the step', () => {
    const markdown = cephRunbook();
    expect(markdown).toContain(
      '| `wordpress-db` | `wordpress-db-dr` | wordpress | 10Gi | ceph-rbd (rbd.csi.ceph.com) | ceph-rbd-dr (rbd.csi.ceph.com) | CSI snapshot |',
    );
    expect(markdown).toContain(
      'Copy `wordpress-db` to `wordpress-db-dr`: a CSI snapshot of the prod claim, restored as the twin\'s claim (`rbd.csi.ceph.com` takes snapshots: prod keeps running).',
    );
  });

  it('snapshots the running prod claim and recreates the twin claim from it, every wait bounded', () => {
    expect(shBlockAfter(cephRunbook(), 'Copy `wordpress-db` to `wordpress-db-dr`')).toBe(
      [
        '# rbd.csi.ceph.com takes CSI snapshots, so prod keeps running. The snapshot is crash-consistent: the twin\'s',
        '# database starts from it as after a power cut. The VolumeSnapshotClass is the cluster\'s for',
        '# rbd.csi.ceph.com (the environment renders none): the one this lists with that DRIVER.',
        'kubectl get volumesnapshotclass',
        '# 1. Snapshot wordpress-db; an earlier resync\'s snapshot goes first, entirely (a snapshot',
        '#    applied over one being deleted would be the old one).',
        ...DROP_SNAPSHOT('--timeout=5m'),
        '# On timeout: a claim is still being restored from the old snapshot (the twin never started since the last resync): start it once, or delete that claim, then run the delete again. Never apply the new snapshot over the old one.',
        'kubectl apply -f - <<EOF',
        'apiVersion: snapshot.storage.k8s.io/v1',
        'kind: VolumeSnapshot',
        'metadata:',
        '  name: twinops-resync-wordpress-db',
        '  namespace: wordpress',
        'spec:',
        '  volumeSnapshotClassName: ${SNAPSHOT_CLASS:?set to the VolumeSnapshotClass of rbd.csi.ceph.com}',
        '  source:',
        '    persistentVolumeClaimName: wordpress-db',
        'EOF',
        `kubectl wait -n wordpress volumesnapshot/twinops-resync-wordpress-db --for=jsonpath='{.status.readyToUse}'=true --timeout=30m`,
        '# On timeout: the snapshot is not ready: kubectl describe volumesnapshot -n wordpress twinops-resync-wordpress-db names the error (a wrong VolumeSnapshotClass, no snapshot controller); prod is untouched: fix it and run this block again.',
        '# 2. Recreate wordpress-db-dr from it (a claim\'s dataSource is set only at creation). Flux would put the',
        '#    deleted claim back without it, so wordpress-dr is suspended until the new claim exists.',
        'flux suspend kustomization wordpress-dr -n flux-system',
        'kubectl delete pvc -n wordpress wordpress-db-dr --ignore-not-found --timeout=5m',
        '# On timeout: a pod still mounts wordpress-db-dr: check that the twin is at zero replicas (step 1), then run the delete again.',
        `kubectl apply -f - <<'EOF'`,
        'apiVersion: v1',
        'kind: PersistentVolumeClaim',
        'metadata:',
        '  name: wordpress-db-dr',
        '  namespace: wordpress',
        '  labels:',
        '    app.kubernetes.io/instance: wordpress-db-dr',
        '    app.kubernetes.io/managed-by: twinops',
        '    app.kubernetes.io/name: wordpress-db',
        '    app.kubernetes.io/part-of: wordpress',
        '    twinops.dev/app: wordpress',
        '    twinops.dev/variant: dr',
        '  annotations:',
        '    argocd.argoproj.io/sync-options: Prune=false,Delete=false',
        '    kustomize.toolkit.fluxcd.io/prune: disabled',
        'spec:',
        '  accessModes:',
        '  - ReadWriteOnce',
        '  resources:',
        '    requests:',
        '      storage: 10Gi',
        '  storageClassName: ceph-rbd-dr',
        '  dataSource:',
        '    apiGroup: snapshot.storage.k8s.io',
        '    kind: VolumeSnapshot',
        '    name: twinops-resync-wordpress-db',
        'EOF',
        `kubectl wait -n wordpress pvc/wordpress-db-dr --for=jsonpath='{.status.phase}'=Bound --timeout=30m`,
        '# On timeout: the driver has not restored the snapshot: kubectl describe pvc -n wordpress wordpress-db-dr names its error (a driver that restores only into the snapshot\'s own pool cannot fill ceph-rbd-dr); the twin is at zero and prod untouched: fix it, delete the claim and apply it again.',
        'flux resume kustomization wordpress-dr -n flux-system',
        '# 3. Clean up. A snapshot being restored from is protected: it goes once the claim is provisioned.',
        ...DROP_SNAPSHOT('--wait=false'),
      ].join('\n'),
    );
  });

  it('uses the VolumeSnapshotClass twinops renders when a schedule of the class asks for one', () => {
    const block = shBlockAfter(cephRunbook(CEPH_WITH_SCHEDULE), 'Copy `wordpress-db` to `wordpress-db-dr`');
    expect(block.split('\n').slice(1, 3)).toEqual([
      '# database starts from it as after a power cut. The VolumeSnapshotClass is the cluster\'s for',
      '# rbd.csi.ceph.com: ceph-rbd-snapshots, rendered by twinops.',
    ]);
    expect(block).toContain('\n  volumeSnapshotClassName: ceph-rbd-snapshots\n');
    expect(block).not.toContain('SNAPSHOT_CLASS');
  });

  it('fails back with the copy pod, both variants stopped, never recreating the prod claim', () => {
    const block = shBlockAfter(cephRunbook(), 'Copy `wordpress-db-dr` back to `wordpress-db`');
    expect(block).toBe(
      [
        'kubectl wait pod -n wordpress -l app.kubernetes.io/instance=wordpress-db-dr,app.kubernetes.io/name=wordpress-db --for=delete --timeout=10m',
        'kubectl wait pod -n wordpress -l app.kubernetes.io/instance=wordpress-db,app.kubernetes.io/name=wordpress-db --for=delete --timeout=10m',
        '# On timeout: a pod still runs: check that the step before scaled both variants to zero, then wait again.',
        ...COPY_POD('twinops-failback-wordpress-db', 'wordpress-db-dr', 'wordpress-db'),
        '# On timeout: the copy is still running or has failed (kubectl logs -n wordpress twinops-failback-wordpress-db says which). Wait for it, or give up: delete the pod; wordpress-db is then incomplete: stop the failback; wordpress-db-dr still holds the data: resume wordpress-dr to serve from it again.',
        'kubectl delete pod -n wordpress twinops-failback-wordpress-db',
      ].join('\n'),
    );
  });
});

describe('a snapshot driver whose twin class keeps volumes and binds on first use (Longhorn)', () => {
  it('waits for no binding, and says to delete the retained old volume once the twin runs', () => {
    const block = shBlockAfter(longhornRunbook(), 'Copy `keycloak-db` to `keycloak-db-dr`');
    const lines = block.split('\n');
    expect(lines.slice(lines.indexOf('flux suspend kustomization keycloak-dr -n flux-system'), lines.indexOf('flux suspend kustomization keycloak-dr -n flux-system') + 3)).toEqual([
      'flux suspend kustomization keycloak-dr -n flux-system',
      `OLD_DR_PV=$(kubectl get pvc -n keycloak keycloak-db-dr -o jsonpath='{.spec.volumeName}')`,
      'kubectl delete pvc -n keycloak keycloak-db-dr --ignore-not-found --timeout=5m',
    ]);
    expect(lines.slice(lines.lastIndexOf('EOF'))).toEqual([
      'EOF',
      '# zfs-storage-znvm-dr binds on first use (WaitForFirstConsumer): the claim is restored when the twin first starts.',
      'flux resume kustomization keycloak-dr -n flux-system',
      '# 3. Clean up. A snapshot being restored from is protected: it goes once the claim is provisioned.',
      `CONTENT=$(kubectl get volumesnapshot -n keycloak twinops-resync-keycloak-db --ignore-not-found -o jsonpath='{.status.boundVolumeSnapshotContentName}')`,
      `if [ -n "$CONTENT" ]; then kubectl patch volumesnapshotcontent "$CONTENT" --type merge -p '{"spec":{"deletionPolicy":"Delete"}}'; fi`,
      'kubectl delete volumesnapshot -n keycloak twinops-resync-keycloak-db --ignore-not-found --wait=false',
      '# zfs-storage-znvm-dr keeps released volumes (Retain): once the twin has run on the new one, delete the old:',
      '#   kubectl delete pv "${OLD_DR_PV:?}"',
    ]);
    expect(block).toContain('  volumeSnapshotClassName: ${SNAPSHOT_CLASS:?set to the VolumeSnapshotClass of driver.longhorn.io}\n');
  });
});

describe('a driver without the snapshot route (NFS)', () => {
  it('stops prod\'s writers (Flux suspended, Git\'s count restored by resuming it), copies with a pod, starts them again', () => {
    const markdown = cephRunbook();
    expect(markdown).toContain(
      'Copy `wordpress-html` to `wordpress-html-dr`: a pod mounting both claims, with prod\'s writers stopped (twinops knows no CSI snapshot support in `nfs.csi.k8s.io`).',
    );
    expect(shBlockAfter(markdown, 'Copy `wordpress-html` to `wordpress-html-dr`')).toBe(
      [
        '# Stop wordpress-html\'s writers for the copy. Replicas in Git, which Flux restores after it:',
        '# deployment/wordpress 1.',
        'flux suspend kustomization wordpress -n flux-system',
        'kubectl scale deployment -n wordpress wordpress --replicas 0',
        'kubectl wait pod -n wordpress -l app.kubernetes.io/instance=wordpress,app.kubernetes.io/name=wordpress --for=delete --timeout=10m',
        '# On timeout: a pod is still terminating (kubectl get pods -n wordpress shows which): wait for it, or delete it; do not start the copy while it runs.',
        ...COPY_POD('twinops-resync-wordpress-html', 'wordpress-html', 'wordpress-html-dr'),
        '# On timeout: the copy is still running or has failed (kubectl logs -n wordpress twinops-resync-wordpress-html says which). Wait for it, or give up: delete the pod; wordpress-html-dr is then incomplete: do not activate the twin until a resync succeeds.',
        'kubectl delete pod -n wordpress twinops-resync-wordpress-html',
        'flux resume kustomization wordpress -n flux-system',
        'kubectl rollout status deployment -n wordpress wordpress --timeout=10m',
        '# On timeout: wordpress-html\'s writers have not come back: kubectl get pods -n wordpress and flux get kustomizations -n flux-system say why (a pod that cannot mount the claim, a failed reconcile).',
      ].join('\n'),
    );
  });
});

describe('the resync hold', () => {
  it('waits, bounded, until no twin pod mounts a claim about to be replaced', () => {
    const block = shBlockAfter(cephRunbook(), 'Hold `wordpress-dr` at zero replicas in Git');
    expect(block.split('\n').slice(-3)).toEqual([
      'kubectl wait pod -n wordpress -l app.kubernetes.io/instance=wordpress-db-dr,app.kubernetes.io/name=wordpress-db --for=delete --timeout=10m',
      'kubectl wait pod -n wordpress -l app.kubernetes.io/instance=wordpress-dr,app.kubernetes.io/name=wordpress --for=delete --timeout=10m',
      '# On timeout: Flux has not applied the hold yet: flux get kustomizations -n flux-system says why (a failed or suspended unit); do not copy while a twin pod runs.',
    ]);
  });
});
