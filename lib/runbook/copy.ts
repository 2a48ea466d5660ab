/**
 * The commands that copy one claim pair, in either direction: the volume and node lookups,
 * then the method's own commands (`./copy-zfs.ts`, `./copy-files.ts`).
 */
import { podToProd, podToTwin, rsyncToProd, rsyncToTwin } from './copy-files';
import { snapshotToTwin } from './copy-snapshot';
import { streamToProd, streamToTwin } from './copy-stream';
import { zfsCloneLatestReplica, zfsToProd, zfsToTwin, type Ends } from './copy-zfs';
import { expansion, shellArg } from './shell';
import type { Claim, VolumePair } from './volumes';

export type Direction = 'to-twin' | 'to-prod';

/** A pair with a twin claim, a copy method and the units that apply its claims. */
export type CopyablePair = VolumePair & {
  readonly twin: Claim;
  readonly method: NonNullable<VolumePair['method']>;
  readonly units: NonNullable<VolumePair['units']>;
};

export function isCopyable(pair: VolumePair): pair is CopyablePair {
  return pair.twin !== undefined && pair.method !== undefined && pair.units !== undefined;
}

const NODE_OF_PV = `-o jsonpath='{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}'`;

function volumeLookups(pair: CopyablePair): string[] {
  const lines = [
    `PROD_PV=$(kubectl get pvc -n ${shellArg(pair.prod.namespace)} ${shellArg(pair.prod.name)} -o jsonpath='{.spec.volumeName}')`,
    `DR_PV=$(kubectl get pvc -n ${shellArg(pair.twin.namespace)} ${shellArg(pair.twin.name)} -o jsonpath='{.spec.volumeName}')`,
  ];
  // A class that pins no node provisions where the pod first ran: the volume knows where.
  if (pair.prod.node === undefined) lines.push(`PROD_NODE=$(kubectl get pv "\${PROD_PV:?}" ${NODE_OF_PV})`);
  if (pair.twin.node === undefined) lines.push(`DR_NODE=$(kubectl get pv "\${DR_PV:?}" ${NODE_OF_PV})`);
  return lines;
}

function endsOf(pair: CopyablePair): Ends {
  return {
    prodNode: pair.prod.node ?? expansion('${PROD_NODE:?}'),
    twinNode: pair.twin.node ?? expansion('${DR_NODE:?}'),
  };
}

/** Every command that copies the pair in `direction`, ready for an `sh` block. */
export function copyLines(pair: CopyablePair, direction: Direction): string[] {
  // The snapshot route exists to spare prod downtime. A failback has stopped both variants
  // already, so it copies with the pod and never deletes the prod claim to recreate it.
  if (pair.method === 'csi-snapshot') return direction === 'to-twin' ? snapshotToTwin(pair) : podToProd(pair);
  if (pair.method === 'pod') return direction === 'to-twin' ? podToTwin(pair) : podToProd(pair);
  if (pair.method === 'stream') {
    const contexts = pair.contexts;
    if (contexts === undefined) throw new Error(`claim ${pair.prod.name} of ${pair.app}: a copy between clusters needs both clusters' contexts; none given`);
    const streamed = { ...pair, contexts };
    return direction === 'to-twin' ? streamToTwin(streamed) : streamToProd(streamed);
  }
  const ends = endsOf(pair);
  const lookups = volumeLookups(pair);
  if (pair.method === 'rsync') return [...lookups, ...(direction === 'to-twin' ? rsyncToTwin(pair, ends) : rsyncToProd(pair, ends))];
  return [...lookups, ...(direction === 'to-twin' ? zfsToTwin(pair, ends) : zfsToProd(pair, ends))];
}

/** For a clone from the replica: the commands replacing the snapshot and clone when prod is down. */
export function copyWhenProdIsDown(pair: CopyablePair): string[] | undefined {
  return pair.method === 'zfs-clone' ? zfsCloneLatestReplica(pair, endsOf(pair)) : undefined;
}
