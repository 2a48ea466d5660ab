/**
 * Scheduled volume snapshots: the objects the storage unit renders for a class with `snapshots`,
 * their validity on a fixture estate, and the CronJob's script run against a stub kubectl.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import { SNAPSHOT_SCRIPT, VolumeSnapshots, snapshotSchedulesOf } from '../../lib/constructs/volume-snapshots';
import type { ApiObjectJson, RenderedEnvironment } from '../../lib/model';
import { unitFileName } from '../../lib/render/layout';
import { checkPolicies } from '../../lib/render/policies';
import { formatProblem, validateObjects } from '../../lib/render/validate';
import { TINY_SPEC, tiny } from '../runbook/support';

const PROTECTED = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };
const LABELS = { 'app.kubernetes.io/managed-by': 'twinops', 'app.kubernetes.io/name': 'volume-snapshots' };

/** The tiny lab with its ZFS class snapshotted; `snapshots` overrides the class's snapshot block. */
function snapshotted(snapshots: Record<string, unknown> = { schedule: '0 3 * * *', keep: 3 }): Environment {
  const [cluster] = TINY_SPEC.clusters;
  const [zfs] = cluster?.storageClasses ?? [];
  if (cluster === undefined || zfs === undefined) throw new Error('TINY_SPEC changed: no cluster or class');
  return tiny({ clusters: [{ ...cluster, storageClasses: [{ ...zfs, snapshots: snapshots as { schedule: string } }] }] });
}

function storageObjects(rendered: RenderedEnvironment): readonly ApiObjectJson[] {
  const unit = rendered.units.find((candidate) => candidate.path === 'tiny/lab/infrastructure/storage');
  if (unit === undefined) throw new Error('no storage unit');
  return unit.objects;
}

const SNAPSHOT_KINDS = new Set(['VolumeSnapshotClass', 'CronJob', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);

describe('snapshot schedules', () => {
  it('applies the documented defaults: keep 7, VolumeSnapshotClass `<class>-snapshots`', () => {
    const cluster = snapshotted({ schedule: '30 2 * * 0' }).clusters[0]!;
    expect(snapshotSchedulesOf(cluster)).toEqual([
      { storageClass: 'zfs-storage-znvm', driver: 'zfs.csi.openebs.io', schedule: '30 2 * * 0', keep: 7, snapshotClass: 'zfs-storage-znvm-snapshots' },
    ]);
  });

  it('keeps the given keep and snapshot class', () => {
    const cluster = snapshotted({ schedule: '0 3 * * *', keep: 2, snapshotClass: 'zfs-nightly' }).clusters[0]!;
    expect(snapshotSchedulesOf(cluster).map(({ keep, snapshotClass }) => [keep, snapshotClass])).toEqual([[2, 'zfs-nightly']]);
  });

  it('refuses a class whose CronJob name would pass the 52 characters the API server allows', () => {
    const long = 'a'.repeat(44);
    const base = snapshotted();
    const cluster = base.clusters[0]!;
    const env = { ...base, clusters: [{ ...cluster, storageClasses: [{ ...cluster.storageClasses[0]!, name: long }], storageRoles: {} }] };
    expect(() => new VolumeSnapshots(new Chart(new App(), 'storage'), 'snapshots', { schedules: snapshotSchedulesOf(env.clusters[0]!) })).toThrow(
      `storage class ${long}: its snapshot CronJob would be named snapshot-${long}, 53 characters; expected at most 52 (a class name of at most 43 characters to take snapshots)`,
    );
  });

  it('renders no snapshot object and no volume-snapshots namespace when no class asks', () => {
    const objects = storageObjects(composeEnvironment(tiny()));
    expect(objects.filter((object) => SNAPSHOT_KINDS.has(object.kind))).toEqual([]);
    expect(objects.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name)).toEqual(['keycloak', 'redis', 'traefik-external']);
  });
});

describe('rendered snapshot objects of one class', () => {
  const objects = storageObjects(composeEnvironment(snapshotted()));
  const only = (kind: string) => {
    const found = objects.filter((object) => object.kind === kind);
    if (found.length !== 1) throw new Error(`${found.length} ${kind} objects`);
    return found[0]!;
  };

  it('adds the protected volume-snapshots namespace beside the app namespaces', () => {
    expect(objects.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name)).toEqual([
      'keycloak',
      'redis',
      'traefik-external',
      'volume-snapshots',
    ]);
    expect(objects.find((object) => object.metadata.name === 'volume-snapshots' && object.kind === 'Namespace')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { annotations: PROTECTED, labels: { 'app.kubernetes.io/managed-by': 'twinops' }, name: 'volume-snapshots' },
    });
  });

  it('renders a protected VolumeSnapshotClass for the driver that retains data of deleted snapshots', () => {
    expect(only('VolumeSnapshotClass')).toEqual({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: { annotations: PROTECTED, labels: LABELS, name: 'zfs-storage-znvm-snapshots' },
      deletionPolicy: 'Retain',
      driver: 'zfs.csi.openebs.io',
    });
  });

  it('renders a CronJob running the script for the class, in UTC, never twice at once, as nobody', () => {
    const labels = { ...LABELS, 'twinops.dev/snapshot-schedule': 'zfs-storage-znvm' };
    expect(only('CronJob')).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { labels, name: 'snapshot-zfs-storage-znvm', namespace: 'volume-snapshots' },
      spec: {
        concurrencyPolicy: 'Forbid',
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            activeDeadlineSeconds: 900,
            backoffLimit: 0,
            template: {
              metadata: { labels },
              spec: {
                containers: [
                  {
                    command: ['/bin/sh', '-c', SNAPSHOT_SCRIPT],
                    env: [
                      { name: 'STORAGE_CLASS', value: 'zfs-storage-znvm' },
                      { name: 'SNAPSHOT_CLASS', value: 'zfs-storage-znvm-snapshots' },
                      { name: 'KEEP', value: '3' },
                      { name: 'HOME', value: '/tmp' },
                    ],
                    image: 'alpine/k8s:1.28.15',
                    name: 'snapshot',
                    resources: { limits: { memory: '256Mi' }, requests: { cpu: '10m', memory: '64Mi' } },
                    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
                    volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
                  },
                ],
                restartPolicy: 'Never',
                securityContext: { runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
                serviceAccountName: 'volume-snapshots',
                volumes: [{ emptyDir: {}, name: 'tmp' }],
              },
            },
          },
        },
        schedule: '0 3 * * *',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        timeZone: 'Etc/UTC',
      },
    });
  });

  it('binds the ServiceAccount to a ClusterRole reading claims, managing snapshots and releasing their contents', () => {
    expect([only('ServiceAccount'), only('ClusterRole'), only('ClusterRoleBinding')]).toEqual([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { labels: LABELS, name: 'volume-snapshots', namespace: 'volume-snapshots' } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { labels: LABELS, name: 'twinops-volume-snapshots' },
        rules: [
          { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list'] },
          { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['get', 'list', 'create', 'delete'] },
          { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: ['get', 'patch'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { labels: LABELS, name: 'twinops-volume-snapshots' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'twinops-volume-snapshots' },
        subjects: [{ kind: 'ServiceAccount', name: 'volume-snapshots', namespace: 'volume-snapshots' }],
      },
    ]);
  });

  it('validates against the schemas and passes every policy, with the whole estate', () => {
    const env = snapshotted();
    const rendered = composeEnvironment(env);
    const items = rendered.units.flatMap((unit) => unit.objects.map((object) => ({ file: `${unit.path}/${unitFileName(object)}`, object })));
    expect(validateObjects(items).map(formatProblem)).toEqual([]);
    expect(checkPolicies(rendered.units, env)).toEqual([]);
  });
});

/**
 * The script run by `sh` (dash here: strict POSIX) with a stub `kubectl` that appends each call
 * (arguments joined by spaces, then stdin for `-f -`) to a log and prints canned lists, and a
 * stub `date` fixing the run's timestamp at 2024-01-02 03:00 UTC.
 */
const STUB_KUBECTL = `#!/bin/sh
{ printf 'kubectl %s\\n' "$*"; if [ "$3" = "-" ]; then cat; fi; } >>"$STUB/calls"
case "$1 $2" in
  "get pvc") cat "$STUB/pvcs" ;;
  "get volumesnapshot") cat "$STUB/snapshots-$4" 2>/dev/null || true ;;
  "create -f") [ ! -e "$STUB/fail-create" ] ;;
esac
`;

const STUB_DATE = `#!/bin/sh
[ "$*" = "-u +%Y%m%d%H%M" ] || { echo "unexpected date $*" >&2; exit 2; }
echo 202401020300
`;

const PVC_JSONPATH =
  `{range .items[*]}{.metadata.namespace}{"|"}{.metadata.name}{"|"}{.spec.storageClassName}{"|"}{.status.phase}{"\\n"}{end}`;
const SNAPSHOT_JSONPATH = `{range .items[*]}{.metadata.name}{"|"}{.status.readyToUse}{"|"}{.status.boundVolumeSnapshotContentName}{"\\n"}{end}`;

const snapshotManifest = (namespace: string, claim: string) => [
  'apiVersion: snapshot.storage.k8s.io/v1',
  'kind: VolumeSnapshot',
  'metadata:',
  `  name: ${claim}-202401020300`,
  `  namespace: ${namespace}`,
  '  labels:',
  `    twinops.dev/snapshot-of: ${claim}`,
  '    twinops.dev/snapshot-schedule: zfs-storage-znvm',
  'spec:',
  '  volumeSnapshotClassName: zfs-storage-znvm-snapshots',
  '  source:',
  `    persistentVolumeClaimName: ${claim}`,
];

const listSnapshots = (namespace: string, claim: string) =>
  `kubectl get volumesnapshot -n ${namespace} -l twinops.dev/snapshot-of=${claim},twinops.dev/snapshot-schedule=zfs-storage-znvm -o jsonpath=${SNAPSHOT_JSONPATH}`;

describe('the snapshot script', () => {
  let stub = '';
  afterEach(() => {
    if (stub !== '') rmSync(stub, { recursive: true, force: true });
    stub = '';
  });

  /** A stub folder with the canned claim list and snapshot lists (file name: the namespace). */
  function stubWith(pvcs: readonly string[], snapshots: Readonly<Record<string, readonly string[]>>, options: { failCreate?: boolean } = {}) {
    stub = mkdtempSync(join(tmpdir(), 'twinops-snapshots-'));
    writeFileSync(join(stub, 'kubectl'), STUB_KUBECTL);
    writeFileSync(join(stub, 'date'), STUB_DATE);
    chmodSync(join(stub, 'kubectl'), 0o755);
    chmodSync(join(stub, 'date'), 0o755);
    writeFileSync(join(stub, 'pvcs'), pvcs.map((line) => `${line}\n`).join(''));
    for (const [namespace, lines] of Object.entries(snapshots)) writeFileSync(join(stub, `snapshots-${namespace}`), lines.map((line) => `${line}\n`).join(''));
    if (options.failCreate) writeFileSync(join(stub, 'fail-create'), '');
    writeFileSync(join(stub, 'calls'), '');
  }

  function run(keep: number) {
    const result = spawnSync('sh', ['-c', SNAPSHOT_SCRIPT], {
      encoding: 'utf8',
      env: { PATH: `${stub}:${process.env['PATH'] ?? ''}`, STUB: stub, STORAGE_CLASS: 'zfs-storage-znvm', SNAPSHOT_CLASS: 'zfs-storage-znvm-snapshots', KEEP: String(keep) },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: readFileSync(join(stub, 'calls'), 'utf8').trimEnd().split('\n') };
  }

  it('parses as POSIX sh (dash -n) and as bash --posix', () => {
    expect(() => execFileSync('sh', ['-n', '-c', SNAPSHOT_SCRIPT])).not.toThrow();
    expect(() => execFileSync('bash', ['--posix', '-n', '-c', SNAPSHOT_SCRIPT])).not.toThrow();
  });

  it('snapshots each Bound prod claim of its class, then deletes what has KEEP newer ready snapshots', () => {
    stubWith(
      ['keycloak|keycloak-db|zfs-storage-znvm|Bound', 'wordpress|wordpress-html|local-path|Bound', 'keycloak|keycloak-cache|zfs-storage-znvm|Pending'],
      {
        // Unsorted, as the API lists them; the run's own snapshot is not ready yet.
        keycloak: [
          'keycloak-db-202312300300|false|',
          'keycloak-db-202401020300||',
          'keycloak-db-202312290300|true|snapcontent-d',
          'keycloak-db-202401010300|true|snapcontent-a',
          'keycloak-db-202312310300|true|snapcontent-b',
        ],
      },
    );
    const { status, stdout, calls } = run(2);
    expect(status).toBe(0);
    expect(calls).toEqual([
      `kubectl get pvc --all-namespaces -l twinops.dev/variant=prod -o jsonpath=${PVC_JSONPATH}`,
      'kubectl create -f -',
      ...snapshotManifest('keycloak', 'keycloak-db'),
      listSnapshots('keycloak', 'keycloak-db'),
      // 202401010300 and 202312310300 are the two newest ready: older ones go, ready or not.
      'kubectl delete volumesnapshot -n keycloak keycloak-db-202312300300 --wait=false',
      'kubectl patch volumesnapshotcontent snapcontent-d --type merge -p {"spec":{"deletionPolicy":"Delete"}}',
      'kubectl delete volumesnapshot -n keycloak keycloak-db-202312290300 --wait=false',
    ]);
    expect(stdout).toContain('skip: claim keycloak/keycloak-cache is Pending, not Bound');
  });

  it('deletes nothing while fewer than KEEP snapshots are ready, however many failed', () => {
    stubWith(['keycloak|keycloak-db|zfs-storage-znvm|Bound'], {
      keycloak: ['keycloak-db-202401010300|false|snapcontent-a', 'keycloak-db-202312310300|false|snapcontent-b', 'keycloak-db-202312300300|true|snapcontent-c'],
    });
    const { status, calls } = run(2);
    expect(status).toBe(0);
    expect(calls.filter((call) => /^kubectl (delete|patch)/.test(call))).toEqual([]);
  });

  it('goes on with the other claims when one snapshot cannot be created, and exits 1', () => {
    stubWith(['keycloak|keycloak-db|zfs-storage-znvm|Bound', 'redis|redis-data|zfs-storage-znvm|Bound'], {}, { failCreate: true });
    const { status, calls } = run(7);
    expect(status).toBe(1);
    expect(calls.filter((call) => call.startsWith('kubectl '))).toEqual([
      `kubectl get pvc --all-namespaces -l twinops.dev/variant=prod -o jsonpath=${PVC_JSONPATH}`,
      'kubectl create -f -',
      listSnapshots('keycloak', 'keycloak-db'),
      'kubectl create -f -',
      listSnapshots('redis', 'redis-data'),
    ]);
  });
});
