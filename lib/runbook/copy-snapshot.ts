/**
 * The snapshot route for network storage whose CSI driver takes snapshots: a VolumeSnapshot of
 * the prod claim, taken while prod runs (no downtime), and the twin's claim recreated from it
 * through `dataSource`. A claim's `dataSource` is set at creation only, hence the recreation;
 * the twin is held at zero replicas by then, so nothing mounts the claim it replaces.
 */
import { SNAPSHOT_API_GROUP } from '../constructs/volume-snapshots';
import type { ApiObjectJson } from '../model';
import { toYaml } from '../render/yaml';
import { refuseControl, shellArg, shellComment } from './shell';
import type { Claim, PairUnits, VolumePair } from './volumes';
import { onTimeout } from './waits';


/** A pair the snapshot route can copy: a twin claim and the units to suspend. */
export type SnapshotPair = VolumePair & { readonly twin: Claim; readonly units: PairUnits };

/** How long the driver may take to cut the snapshot, and to provision the claim from it. */
const SNAPSHOT_TIMEOUT = '30m';
const RESTORE_TIMEOUT = '30m';
/** How long deleting the old twin claim may take (its volume is detached first). */
const DELETE_TIMEOUT = '5m';

/** Text inside an unquoted heredoc: `\`, `$` and `` ` `` escaped, so it reaches kubectl as written. */
function heredocText(value: string): string {
  refuseControl(value);
  return value.replace(/[\\$`]/g, '\\$&');
}

/**
 * The driver as the `${SNAPSHOT_CLASS:?…}` message names it: a driver name (a DNS name) as it is;
 * anything else, which the shell could read as part of the expansion, described instead.
 */
function unsetMessageName(driver: string): string {
  return /^[A-Za-z0-9][-A-Za-z0-9_./]*$/.test(driver) ? driver : 'the driver of the prod claim';
}

/** A name as a YAML scalar: plain when it is a plain name, else double-quoted (JSON is YAML). */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value) ? value : JSON.stringify(value);
}

/**
 * The VolumeSnapshot, in an unquoted heredoc so that `${SNAPSHOT_CLASS:?…}` expands where the
 * environment renders no VolumeSnapshotClass for the driver (the cluster has its own).
 */
function volumeSnapshotLines(name: string, claim: Claim, driver: string, snapshotClass: string | undefined): string[] {
  const className =
    snapshotClass === undefined
      ? `\${SNAPSHOT_CLASS:?set to the VolumeSnapshotClass of ${unsetMessageName(driver)}}`
      : heredocText(yamlScalar(snapshotClass));
  return [
    'kubectl apply -f - <<EOF',
    `apiVersion: ${SNAPSHOT_API_GROUP}/v1`,
    'kind: VolumeSnapshot',
    'metadata:',
    `  name: ${heredocText(yamlScalar(name))}`,
    `  namespace: ${heredocText(yamlScalar(claim.namespace))}`,
    'spec:',
    `  volumeSnapshotClassName: ${className}`,
    '  source:',
    `    persistentVolumeClaimName: ${heredocText(yamlScalar(claim.name))}`,
    'EOF',
  ];
}

/**
 * Deletes a VolumeSnapshot and what it holds on the storage: a class with deletionPolicy
 * `Retain` (the one twinops renders, say) would keep the driver's snapshot after the object
 * goes, so its content is switched to `Delete` first. Without `wait`, `--wait=false`: a snapshot
 * a claim is being restored from is protected, and goes once the restore is done.
 */
function dropSnapshotLines(namespace: string, name: string, wait: boolean): string[] {
  const lines = [
    `CONTENT=$(kubectl get volumesnapshot -n ${shellArg(namespace)} ${shellArg(name)} --ignore-not-found -o jsonpath='{.status.boundVolumeSnapshotContentName}')`,
    `if [ -n "$CONTENT" ]; then kubectl patch volumesnapshotcontent "$CONTENT" --type merge -p '{"spec":{"deletionPolicy":"Delete"}}'; fi`,
    `kubectl delete volumesnapshot -n ${shellArg(namespace)} ${shellArg(name)} --ignore-not-found ${wait ? `--timeout=${DELETE_TIMEOUT}` : '--wait=false'}`,
  ];
  if (!wait) return lines;
  return [
    ...lines,
    onTimeout(
      `a claim is still being restored from the old snapshot (the twin never started since the last resync): ` +
        'start it once, or delete that claim, then run the delete again. Never apply the new snapshot over the old one.',
    ),
  ];
}

/** The claim as rendered, restored from the snapshot `snapshot`; in a quoted heredoc, written as it is. */
function restoredClaimLines(claim: Claim, snapshot: string): string[] {
  const rendered = claim.object as ApiObjectJson & { spec?: Record<string, unknown> };
  const restored: ApiObjectJson = {
    ...rendered,
    spec: { ...rendered.spec, dataSource: { apiGroup: SNAPSHOT_API_GROUP, kind: 'VolumeSnapshot', name: snapshot } },
  };
  const yaml = toYaml(restored).trimEnd().split('\n');
  // A line `EOF` would end the heredoc early; YAML written by toYaml indents every value line, so this guards a bug.
  if (yaml.includes('EOF')) throw new Error(`claim ${claim.namespace}/${claim.name}: its YAML holds a line "EOF", which would end the heredoc`);
  return [`kubectl apply -f - <<'EOF'`, ...yaml, 'EOF'];
}

/** Prod → twin: snapshot prod, recreate the twin's claim from it, clean up. */
export function snapshotToTwin(pair: SnapshotPair): string[] {
  const { prod, twin, units } = pair;
  const driver = prod.classPlan?.provisioner ?? prod.storageClass;
  const snapshot = `twinops-resync-${prod.name}`;
  const namespace = shellArg(prod.namespace);
  const twinClass = twin.classPlan;
  const retained = twinClass?.reclaimPolicy === 'Retain';
  const waitsForConsumer = twinClass?.volumeBindingMode === 'WaitForFirstConsumer';
  const classChoice =
    pair.snapshotClass === undefined
      ? [
          `# ${shellComment(driver)} (the environment renders none): the one this lists with that DRIVER.`,
          'kubectl get volumesnapshotclass',
        ]
      : [`# ${shellComment(driver)}: ${shellComment(pair.snapshotClass)}, rendered by twinops.`];
  return [
    `# ${shellComment(driver)} takes CSI snapshots, so prod keeps running. The snapshot is crash-consistent: the twin's`,
    `# database starts from it as after a power cut. The VolumeSnapshotClass is the cluster's for`,
    ...classChoice,
    `# 1. Snapshot ${shellComment(prod.name)}; an earlier resync's snapshot goes first, entirely (a snapshot`,
    `#    applied over one being deleted would be the old one).`,
    ...dropSnapshotLines(prod.namespace, snapshot, true),
    ...volumeSnapshotLines(snapshot, prod, driver, pair.snapshotClass),
    `kubectl wait -n ${namespace} ${shellArg(`volumesnapshot/${snapshot}`)} --for=jsonpath='{.status.readyToUse}'=true --timeout=${SNAPSHOT_TIMEOUT}`,
    onTimeout(
      `the snapshot is not ready: kubectl describe volumesnapshot -n ${prod.namespace} ${snapshot} names the error ` +
        `(a wrong VolumeSnapshotClass, no snapshot controller); prod is untouched: fix it and run this block again.`,
    ),
    `# 2. Recreate ${shellComment(twin.name)} from it (a claim's dataSource is set only at creation). Flux would put the`,
    `#    deleted claim back without it, so ${shellComment(units.twin)} is suspended until the new claim exists.`,
    units.delivery.suspend(units.twin),
    ...(retained ? [`OLD_DR_PV=$(kubectl get pvc -n ${namespace} ${shellArg(twin.name)} -o jsonpath='{.spec.volumeName}')`] : []),
    `kubectl delete pvc -n ${namespace} ${shellArg(twin.name)} --ignore-not-found --timeout=${DELETE_TIMEOUT}`,
    onTimeout(`a pod still mounts ${twin.name}: check that the twin is at zero replicas (step 1), then run the delete again.`),
    ...restoredClaimLines(twin, snapshot),
    ...(waitsForConsumer
      ? [`# ${shellComment(twin.storageClass)} binds on first use (WaitForFirstConsumer): the claim is restored when the twin first starts.`]
      : [
          `kubectl wait -n ${namespace} ${shellArg(`pvc/${twin.name}`)} --for=jsonpath='{.status.phase}'=Bound --timeout=${RESTORE_TIMEOUT}`,
          onTimeout(
            `the driver has not restored the snapshot: kubectl describe pvc -n ${twin.namespace} ${twin.name} names its error ` +
              `(a driver that restores only into the snapshot's own pool cannot fill ${twin.storageClass}); ` +
              'the twin is at zero and prod untouched: fix it, delete the claim and apply it again.',
          ),
        ]),
    units.delivery.resume(units.twin),
    `# 3. Clean up. A snapshot being restored from is protected: it goes once the claim is provisioned.`,
    ...dropSnapshotLines(prod.namespace, snapshot, false),
    ...(retained
      ? [
          `# ${shellComment(twin.storageClass)} keeps released volumes (Retain): once the twin has run on the new one, delete the old:`,
          `#   kubectl delete pv "\${OLD_DR_PV:?}"`,
        ]
      : []),
  ];
}
