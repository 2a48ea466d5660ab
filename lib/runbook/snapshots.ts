/**
 * The runbook's section on scheduled volume snapshots: per cluster and storage class, what is
 * snapshotted, when and how many are kept, how to list them, and how a prod claim is restored
 * from one. Schedules come from the environment through the construct's own defaulting helper,
 * claims, writers and units from the rendered objects (the cluster facts).
 *
 * The restore replaces the claim: a claim's `dataSource` is set only at creation and Git names
 * the claim, so it is deleted and created again under its rendered name, from its rendered spec
 * plus the snapshot. Flux is suspended meanwhile, else it would create the claim again, empty.
 */
import { clusterBlock as cachedClusterBlock } from './cluster-blocks';
import { deliveryCommands } from './delivery';
import type { Environment } from '../config/environment';
import {
  SNAPSHOT_API_GROUP,
  SNAPSHOT_LABEL,
  SNAPSHOT_NAMESPACE,
  snapshotCronJobName,
  snapshotSchedulesOf,
  type SnapshotSchedule,
} from '../constructs/volume-snapshots';
import type { ApiObjectJson } from '../model';
import { toYaml } from '../render/yaml';
import type { ClusterFacts } from './facts';
import { blocks, code, fenced, listing, table } from './markdown';
import { refuseControl, shellArg, shellComment } from './shell';
import { ZFS_PROVISIONER, volumePairs, type Claim } from './volumes';
import { onTimeout, podsGoneLines } from './waits';

/** How long the writers' pods may take to stop and start, the claim to go, and the driver to restore. */
const STOP_TIMEOUT = '10m';
const START_TIMEOUT = '10m';
const DELETE_TIMEOUT = '5m';
const RESTORE_TIMEOUT = '30m';

/** A prod claim snapshotted by a schedule, with the Flux unit that applies it. */
interface SnapshottedClaim {
  readonly claim: Claim;
  /** Flux name of the prod unit holding the claim. */
  readonly unit: string;
}

function claimsOf(facts: ClusterFacts, schedule: SnapshotSchedule): SnapshottedClaim[] {
  return facts.apps.flatMap((app) =>
    volumePairs(facts, app)
      .filter((pair) => pair.prod.storageClass === schedule.storageClass)
      .map((pair) => ({ claim: pair.prod, unit: app.prod.fluxName })),
  );
}

const scheduleSelector = (schedule: SnapshotSchedule) => shellArg(`${SNAPSHOT_LABEL.schedule}=${schedule.storageClass}`);
const claimSelector = (schedule: SnapshotSchedule, claim: Claim) =>
  shellArg(`${SNAPSHOT_LABEL.of}=${claim.name},${SNAPSHOT_LABEL.schedule}=${schedule.storageClass}`);

/** Listing, the last runs, and a run now (e.g. before a risky change). */
function listingLines(schedule: SnapshotSchedule): string[] {
  const cronJob = snapshotCronJobName(schedule.storageClass);
  return [
    `kubectl get volumesnapshot -A -l ${scheduleSelector(schedule)}`,
    `kubectl get jobs -n ${SNAPSHOT_NAMESPACE} -l ${scheduleSelector(schedule)}`,
    // One manual Job name per class (a CronJob name has at most 52 characters, so it fits 63); the previous one goes first.
    `kubectl delete job -n ${SNAPSHOT_NAMESPACE} ${shellArg(`${cronJob}-manual`)} --ignore-not-found`,
    `kubectl create job -n ${SNAPSHOT_NAMESPACE} --from=${shellArg(`cronjob/${cronJob}`)} ${shellArg(`${cronJob}-manual`)}`,
  ];
}

/** The variable the restore reads the snapshot from, with the message shown when it is unset. */
const SNAP = (claim: Claim) => `\${SNAP:?set SNAP to a ready snapshot of ${claim.name}, from the list above}`;
/** A YAML plain scalar the claim's YAML holds in place of the snapshot name, replaced by `${SNAP:?…}`. */
const SNAPSHOT_SENTINEL = 'TWINOPS-SNAPSHOT-NAME';

/** Text inside an unquoted heredoc: `\`, `$` and `` ` `` escaped, so it reaches kubectl as written. */
function heredocLine(value: string): string {
  refuseControl(value);
  return value.replace(/[\\$`]/g, '\\$&');
}

/** The claim as rendered plus its `dataSource`, in an unquoted heredoc so `${SNAP:?…}` expands. */
function restoredClaimLines(claim: Claim): string[] {
  const rendered = claim.object as ApiObjectJson & { spec?: Record<string, unknown> };
  const restored: ApiObjectJson = {
    ...rendered,
    spec: { ...rendered.spec, dataSource: { apiGroup: SNAPSHOT_API_GROUP, kind: 'VolumeSnapshot', name: SNAPSHOT_SENTINEL } },
  };
  const yaml = toYaml(restored).trimEnd().split('\n');
  // toYaml indents every value line, so a line `EOF` would be a bug: it would end the heredoc early.
  if (yaml.includes('EOF')) throw new Error(`claim ${claim.namespace}/${claim.name}: its YAML holds a line "EOF", which would end the heredoc`);
  return ['kubectl create -f - <<EOF', ...yaml.map((line) => heredocLine(line).replace(SNAPSHOT_SENTINEL, SNAP(claim))), 'EOF'];
}

const accessModesOf = (claim: Claim): string[] => {
  const modes = (claim.object as { spec?: { accessModes?: unknown } }).spec?.accessModes;
  return Array.isArray(modes) ? modes.filter((mode): mode is string => typeof mode === 'string') : [];
};

function restoreLines(env: Environment, schedule: SnapshotSchedule, { claim, unit }: SnapshottedClaim): string[] {
  const namespace = shellArg(claim.namespace);
  const name = shellArg(claim.name);
  const delivery = deliveryCommands(env.gitops);
  const immediate = claim.classPlan?.volumeBindingMode === 'Immediate';
  return [
    `# 1. Pick the snapshot: the newest ready one; to restore an older one, set SNAP to its name from this list.`,
    `kubectl get volumesnapshot -n ${namespace} -l ${claimSelector(schedule, claim)}`,
    `SNAP=$(kubectl get volumesnapshot -n ${namespace} -l ${claimSelector(schedule, claim)} ` +
      `-o jsonpath='{range .items[?(@.status.readyToUse==true)]}{.metadata.name}{"\\n"}{end}' | sort | tail -n 1)`,
    `kubectl get volumesnapshot -n ${namespace} "${SNAP(claim)}" -o jsonpath='{.status.readyToUse}{"\\n"}'   # must print true`,
    `# 2. ${delivery.engine} stops applying ${shellComment(unit)} (it would create the deleted claim again, empty), and the claim's writers stop.`,
    delivery.suspend(unit),
    ...(claim.writers.length === 0
      ? [`# No rendered workload mounts ${shellComment(claim.name)}: nothing to stop.`]
      : [
          `# Replicas in Git, which ${delivery.engine} restores: ${shellComment(claim.writers.map((writer) => `${writer.kind}/${writer.name} ${writer.replicas}`).join(', '))}.`,
          ...claim.writers.map((writer) => `kubectl scale ${shellArg(writer.kind)} -n ${shellArg(writer.namespace)} ${shellArg(writer.name)} --replicas 0`),
          ...podsGoneLines(
            claim.writers,
            STOP_TIMEOUT,
            `a pod is still terminating (kubectl get pods -n ${claim.namespace} shows which): wait for it, or delete it; the claim cannot go while it runs.`,
          ),
        ]),
    `# 3. Keep the current volume as a fallback (a Delete reclaim policy would destroy it with the claim), then delete the claim:`,
    `#    its prune protection stops Flux, not kubectl.`,
    `OLD_PV=$(kubectl get pvc -n ${namespace} ${name} -o jsonpath='{.spec.volumeName}')`,
    `kubectl patch pv "\${OLD_PV:?${claim.name} is not bound to a volume}" -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}'`,
    `kubectl delete pvc -n ${namespace} ${name} --timeout=${DELETE_TIMEOUT}`,
    onTimeout(`a pod still mounts ${claim.name} (step 2): stop it, then run the delete again.`),
    `# 4. Create the claim again as rendered (class ${shellComment(claim.storageClass)}, ${shellComment(claim.size)}, ${shellComment(accessModesOf(claim).join(', '))}), from the snapshot.`,
    ...restoredClaimLines(claim),
    ...(immediate
      ? [
          `kubectl wait -n ${namespace} ${shellArg(`pvc/${claim.name}`)} --for=jsonpath='{.status.phase}'=Bound --timeout=${RESTORE_TIMEOUT}`,
          onTimeout(
            `the driver has not restored the snapshot: kubectl describe pvc -n ${claim.namespace} ${claim.name} names its error; ` +
              `Flux is still suspended and the old volume kept: fix it, delete the claim and create it again.`,
          ),
        ]
      : [`# ${shellComment(claim.storageClass)} binds on first use (WaitForFirstConsumer): the volume is restored when a writer starts.`]),
    `# 5. ${delivery.engine} applies ${shellComment(unit)} again: the writers come back with Git's replicas, on the restored claim.`,
    delivery.resume(unit),
    ...claim.writers.map(
      (writer) => `kubectl rollout status ${shellArg(writer.kind)} -n ${shellArg(writer.namespace)} ${shellArg(writer.name)} --timeout=${START_TIMEOUT}`,
    ),
    ...(claim.writers.length === 0
      ? []
      : [onTimeout(`kubectl describe pvc -n ${claim.namespace} ${claim.name} and kubectl get pods -n ${claim.namespace} say why (a restore the driver refused, a pod that cannot mount the claim).`)]),
    `kubectl get pvc -n ${namespace} ${name} -o jsonpath='{.spec.dataSource.name} {.status.phase}{"\\n"}'   # must print the snapshot and Bound`,
    `# 6. Once the app is verified on the restored data, release the old volume (its data stays in the storage until deleted there):`,
    `#    kubectl delete pv "\${OLD_PV:?}"`,
  ];
}

function scheduleTable(facts: ClusterFacts, schedules: readonly SnapshotSchedule[]): string {
  return table(
    ['Storage class', 'Driver', 'VolumeSnapshotClass', 'Schedule (UTC)', 'Kept per claim', 'Prod claims snapshotted'],
    schedules.map((schedule) => {
      const claims = claimsOf(facts, schedule).map(({ claim }) => code(`${claim.namespace}/${claim.name}`));
      return [
        code(schedule.storageClass),
        code(schedule.driver),
        code(schedule.snapshotClass),
        code(schedule.schedule),
        String(schedule.keep),
        claims.length === 0 ? 'none rendered yet' : listing(claims),
      ];
    }),
  );
}

const ZFS_CLONE_NOTE =
  `${code(ZFS_PROVISIONER)} restores a snapshot as a ZFS clone of it: while the restored claim lives, ZFS keeps that snapshot, and with it the dataset of the old volume. ` +
  `Rotation's deletion of that snapshot waits (the snapshot controller retries it) until ${code('zfs promote')} of the new volume's dataset on the node reverses the dependency.`;

function claimRestore(env: Environment, schedule: SnapshotSchedule, snapshotted: SnapshottedClaim): string {
  const { claim } = snapshotted;
  return blocks([
    `#### Restore ${code(`${claim.namespace}/${claim.name}`)} from a snapshot`,
    fenced('sh', restoreLines(env, schedule, snapshotted)),
    schedule.driver === ZFS_PROVISIONER ? ZFS_CLONE_NOTE : undefined,
  ]);
}

function clusterBlock(env: Environment, facts: ClusterFacts, schedules: readonly SnapshotSchedule[]): string {
  return blocks([
    `### Cluster ${code(facts.cluster.name)}`,
    scheduleTable(facts, schedules),
    'List the snapshots, see the last runs, or take snapshots now (before a risky change):',
    fenced('sh', schedules.flatMap(listingLines)),
    ...schedules.flatMap((schedule) => claimsOf(facts, schedule).map((snapshotted) => claimRestore(env, schedule, snapshotted))),
  ]);
}

/**
 * `## Volume snapshots`: per cluster, its schedules and the restore of each snapshotted prod
 * claim; undefined when no storage class of the environment asks for snapshots.
 */
export function snapshotsSection(env: Environment, clusters: readonly ClusterFacts[]): string | undefined {
  const scheduled = clusters.map((facts) => ({ facts, schedules: snapshotSchedulesOf(facts.cluster) })).filter(({ schedules }) => schedules.length > 0);
  if (scheduled.length === 0) return undefined;
  return blocks([
    '## Volume snapshots',
    `Where a storage class asks for snapshots, a CronJob in ${code(SNAPSHOT_NAMESPACE)} snapshots every Bound prod claim of the class ` +
      `(label ${code('twinops.dev/variant=prod')}) as ${code('<claim>-<UTC YYYYMMDDhhmm>')} beside the claim, labelled ${code(SNAPSHOT_LABEL.of)} and ${code(SNAPSHOT_LABEL.schedule)}, ` +
      `and deletes a claim's older snapshots once the kept number of newer ones are ready to use. ` +
      `The VolumeSnapshotClass retains a snapshot's data when its object is deleted by hand; only the rotation releases it. ` +
      `The cluster must run the CSI snapshot controller and its CRDs. A snapshot is crash-consistent: a database restored from it starts as after a power cut.`,
    `A restore replaces the prod claim: its ${code('dataSource')} can only be set when it is created, and Git names it. ` +
      `Flux is suspended for the unit, the claim's writers stopped, the claim deleted and created again under the same name and spec, from the snapshot. ` +
      'Restoring one claim of an app rolls it back alone: restore every claim of the app from the same run (same suffix) to keep them consistent.',
    ...scheduled.map(({ facts, schedules }) => cachedClusterBlock('snapshots', facts.cluster.name, () => clusterBlock(env, facts, schedules))),
  ]);
}
