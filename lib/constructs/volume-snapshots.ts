/**
 * Scheduled CSI volume snapshots of a cluster's prod claims, per storage class that asks for them:
 * a VolumeSnapshotClass for the class's driver, and a CronJob that snapshots every prod claim of
 * the class and deletes all but the newest `keep` snapshots of each.
 *
 * Why a CronJob: no snapshot-scheduler CRD (snapscheduler, Velero, k8up) is part of the imported
 * CRDs, and each would be one more controller to install and keep running; a CronJob with
 * kubectl is plain Kubernetes, validated offline like every other object, and its script is
 * tested. Its cost is the script itself, kept small and POSIX sh.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { Cluster } from '../config/environment';
import { VolumeSnapshotClass, VolumeSnapshotClassDeletionPolicy } from '../../imports/snapshot.storage.k8s.io';
import { LABEL } from '../variant/rules';
import { PRUNE_PROTECTION } from './protect';

/** The namespace of the snapshot CronJobs and their ServiceAccount (the snapshots sit beside their claims). */
export const SNAPSHOT_NAMESPACE = 'volume-snapshots';
/** Name of the ServiceAccount the CronJobs run as. */
export const SNAPSHOTTER = 'volume-snapshots';
/** Name of its ClusterRole and ClusterRoleBinding: cluster-wide names, so prefixed with the product's. */
export const SNAPSHOTTER_ROLE = 'twinops-volume-snapshots';
export const SNAPSHOT_API_GROUP = 'snapshot.storage.k8s.io';

/** Labels on every scheduled VolumeSnapshot: the claim it is of, and the storage class whose schedule took it. */
export const SNAPSHOT_LABEL = {
  of: 'twinops.dev/snapshot-of',
  schedule: 'twinops.dev/snapshot-schedule',
} as const;

/**
 * A shell with kubectl, pinned: alpine/k8s ships kubectl of the tag's version with busybox's sh,
 * `date` and `sort`. 1.28 matches the cluster's Kubernetes minor (kubectl supports one minor of
 * skew either way). It runs as any user, so the pod runs as `nobody`.
 */
export const SNAPSHOTTER_IMAGE = 'alpine/k8s:1.28.15';

/** Default `keep` and VolumeSnapshotClass name, as the environment schema documents them. */
export const DEFAULT_KEEP = 7;
export const defaultSnapshotClass = (storageClass: string) => `${storageClass}-snapshots`;

/** One storage class's snapshot schedule, with the schema's defaults applied. */
export interface SnapshotSchedule {
  /** The storage class whose prod claims are snapshotted. */
  readonly storageClass: string;
  /** The CSI driver that takes the snapshots: the class's provisioner. */
  readonly driver: string;
  /** Cron schedule, read in UTC (the CronJob's `timeZone`). */
  readonly schedule: string;
  /** Snapshots kept per claim. Default: 7. */
  readonly keep: number;
  /** Name of the VolumeSnapshotClass rendered for the driver. Default: `<class>-snapshots`. */
  readonly snapshotClass: string;
}

/** The snapshot schedules of a cluster's declared classes, in declared order; empty when none asks. */
export function snapshotSchedulesOf(cluster: Cluster): SnapshotSchedule[] {
  return cluster.storageClasses.flatMap((sc) =>
    sc.snapshots === undefined
      ? []
      : [
          {
            storageClass: sc.name,
            driver: sc.provisioner,
            schedule: sc.snapshots.schedule,
            keep: sc.snapshots.keep ?? DEFAULT_KEEP,
            snapshotClass: sc.snapshots.snapshotClass ?? defaultSnapshotClass(sc.name),
          },
        ],
  );
}

/** The CronJob of a class's schedule. */
export const snapshotCronJobName = (storageClass: string) => `snapshot-${storageClass}`;

/** The API server refuses a longer CronJob name: it appends 11 characters to name each Job. */
const MAX_CRONJOB_NAME = 52;

function checkedCronJobName(storageClass: string): string {
  const name = snapshotCronJobName(storageClass);
  if (name.length > MAX_CRONJOB_NAME) {
    throw new Error(
      `storage class ${storageClass}: its snapshot CronJob would be named ${name}, ${name.length} characters; ` +
        `expected at most ${MAX_CRONJOB_NAME} (a class name of at most ${MAX_CRONJOB_NAME - snapshotCronJobName('').length} characters to take snapshots)`,
    );
  }
  return name;
}

/**
 * The CronJob's script, the same for every class (its environment says which): snapshot every
 * Bound prod claim of `STORAGE_CLASS` as `<claim>-<UTC YYYYMMDDhhmm>`, then rotate each claim's
 * snapshots. Rotation deletes a snapshot only once `KEEP` newer ones are ready to use, so a driver
 * that fails every night never rotates away the last good snapshots. The VolumeSnapshotClass
 * keeps data when a snapshot object is deleted (deletionPolicy Retain, against accidents), so
 * rotation flips the bound content to Delete first: that deletion is the deliberate one.
 * Exits 1 when any claim failed, so the Job shows it; the other claims are still done.
 */
export const SNAPSHOT_SCRIPT = `set -u
stamp=$(date -u +%Y%m%d%H%M)
failed=0

rotate() {
  list=$(kubectl get volumesnapshot -n "$1" -l "${SNAPSHOT_LABEL.of}=$2,${SNAPSHOT_LABEL.schedule}=$STORAGE_CLASS" \\
    -o jsonpath='{range .items[*]}{.metadata.name}{"|"}{.status.readyToUse}{"|"}{.status.boundVolumeSnapshotContentName}{"\\n"}{end}') || return 1
  # Names end in a fixed-width UTC timestamp: a reverse sort lists one claim's snapshots newest first.
  sorted=$(printf '%s\\n' "$list" | sort -r)
  newer_ready=0
  rotate_failed=0
  while IFS='|' read -r name ready content; do
    [ -n "$name" ] || continue
    if [ "$newer_ready" -ge "$KEEP" ]; then
      echo "rotate: delete volumesnapshot $1/$name ($KEEP newer ready)"
      if [ -n "$content" ]; then
        kubectl patch volumesnapshotcontent "$content" --type merge -p '{"spec":{"deletionPolicy":"Delete"}}' || { rotate_failed=1; continue; }
      fi
      kubectl delete volumesnapshot -n "$1" "$name" --wait=false || rotate_failed=1
    fi
    if [ "$ready" = true ]; then newer_ready=$((newer_ready + 1)); fi
  done <<EOF
$sorted
EOF
  return "$rotate_failed"
}

claims=$(kubectl get pvc --all-namespaces -l ${LABEL.variant}=prod \\
  -o jsonpath='{range .items[*]}{.metadata.namespace}{"|"}{.metadata.name}{"|"}{.spec.storageClassName}{"|"}{.status.phase}{"\\n"}{end}') || exit 1
while IFS='|' read -r namespace claim class phase; do
  [ -n "$claim" ] && [ "$class" = "$STORAGE_CLASS" ] || continue
  if [ "$phase" != Bound ]; then
    echo "skip: claim $namespace/$claim is $phase, not Bound"
    continue
  fi
  echo "snapshot: volumesnapshot $namespace/$claim-$stamp of claim $claim"
  kubectl create -f - <<SNAPSHOT || failed=1
apiVersion: ${SNAPSHOT_API_GROUP}/v1
kind: VolumeSnapshot
metadata:
  name: $claim-$stamp
  namespace: $namespace
  labels:
    ${SNAPSHOT_LABEL.of}: $claim
    ${SNAPSHOT_LABEL.schedule}: $STORAGE_CLASS
spec:
  volumeSnapshotClassName: $SNAPSHOT_CLASS
  source:
    persistentVolumeClaimName: $claim
SNAPSHOT
  rotate "$namespace" "$claim" </dev/null || failed=1
done <<EOF
$claims
EOF
exit "$failed"
`;

export interface VolumeSnapshotsProps {
  /** The classes to snapshot, one VolumeSnapshotClass and CronJob each. Empty renders nothing. */
  readonly schedules: readonly SnapshotSchedule[];
}

const NAME_LABELS = { [LABEL.managedBy]: 'twinops', [LABEL.name]: SNAPSHOTTER } as const;

/**
 * The VolumeSnapshotClasses, CronJobs and RBAC of a cluster's schedules. The namespace
 * `volume-snapshots` is the caller's to render (the storage unit renders every namespace).
 */
export class VolumeSnapshots extends Construct {
  public constructor(scope: Construct, id: string, props: VolumeSnapshotsProps) {
    super(scope, id);
    if (props.schedules.length === 0) return;
    for (const schedule of props.schedules) {
      new VolumeSnapshotClass(this, `class-${schedule.storageClass}`, {
        // Protected like storage classes: removing a schedule from Git must not break later deletions of its snapshots.
        metadata: { name: schedule.snapshotClass, labels: { ...NAME_LABELS }, annotations: { ...PRUNE_PROTECTION } },
        driver: schedule.driver,
        deletionPolicy: VolumeSnapshotClassDeletionPolicy.RETAIN,
      });
      this.cronJob(schedule);
    }
    this.rbac();
  }

  private cronJob(schedule: SnapshotSchedule): void {
    const labels = { ...NAME_LABELS, [SNAPSHOT_LABEL.schedule]: schedule.storageClass };
    new k8s.KubeCronJob(this, `cron-${schedule.storageClass}`, {
      metadata: { name: checkedCronJobName(schedule.storageClass), namespace: SNAPSHOT_NAMESPACE, labels },
      spec: {
        schedule: schedule.schedule,
        timeZone: 'Etc/UTC',
        // Two runs at once would race on the same claims' rotation.
        concurrencyPolicy: 'Forbid',
        // A run missed by more than an hour (controller down) is skipped, not replayed late.
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            // No retry: a failed run shows as a failed Job, the next schedule is the retry, and a
            // retry now would snapshot the claims that succeeded a second time.
            backoffLimit: 0,
            activeDeadlineSeconds: 900,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: SNAPSHOTTER,
                restartPolicy: 'Never',
                securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: 'snapshot',
                    image: SNAPSHOTTER_IMAGE,
                    command: ['/bin/sh', '-c', SNAPSHOT_SCRIPT],
                    env: [
                      { name: 'STORAGE_CLASS', value: schedule.storageClass },
                      { name: 'SNAPSHOT_CLASS', value: schedule.snapshotClass },
                      { name: 'KEEP', value: String(schedule.keep) },
                      // kubectl writes its discovery cache under $HOME: the emptyDir, the root filesystem being read-only.
                      { name: 'HOME', value: '/tmp' },
                    ],
                    resources: {
                      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') },
                      limits: { memory: k8s.Quantity.fromString('256Mi') },
                    },
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                  },
                ],
                volumes: [{ name: 'tmp', emptyDir: {} }],
              },
            },
          },
        },
      },
    });
  }

  /** Cluster-wide: prod claims live in every app namespace, and their snapshots beside them. */
  private rbac(): void {
    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: SNAPSHOTTER, namespace: SNAPSHOT_NAMESPACE, labels: { ...NAME_LABELS } } });
    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: SNAPSHOTTER_ROLE, labels: { ...NAME_LABELS } },
      rules: [
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list'] },
        { apiGroups: [SNAPSHOT_API_GROUP], resources: ['volumesnapshots'], verbs: ['get', 'list', 'create', 'delete'] },
        // Rotation flips a retained content to Delete before deleting its snapshot (see SNAPSHOT_SCRIPT).
        { apiGroups: [SNAPSHOT_API_GROUP], resources: ['volumesnapshotcontents'], verbs: ['get', 'patch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: SNAPSHOTTER_ROLE, labels: { ...NAME_LABELS } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: SNAPSHOTTER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: SNAPSHOTTER, namespace: SNAPSHOT_NAMESPACE }],
    });
  }
}
