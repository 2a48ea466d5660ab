/**
 * Copying a claim between two clusters (a twin in another cluster or region, 000's local-path
 * volumes): nothing mounts volumes of two clusters, so a helper pod on each side mounts one
 * claim, and the files flow through the workstation as a tar stream between two `kubectl exec`s.
 * It works for any class; for a node-local one (local-path) the volume's node affinity pins each
 * helper pod to the node holding the volume. The source's writers are stopped for the copy, as
 * for the same-cluster copy pod: a database copied while it runs is inconsistent.
 */
import { restartWritersLines, stopWritersLines } from './copy-writers';
import { yamlScalar } from './copy-files';
import { inContext } from './contexts';
import { shellArg, shellComment } from './shell';
import type { Claim, PairUnits, VolumePair } from './volumes';
import { onTimeout, podsGoneLines } from './waits';

/** How long a helper pod lives at most: hours for hundreds of gigabytes; a forgotten one ends itself. */
const HELPER_LIFETIME_SECONDS = 21600;
const READY_TIMEOUT = '10m';

/** The kubectl contexts of a pair's two ends: the prod cluster and the cluster its twin runs on. */
export interface PairContexts {
  readonly prod: string;
  readonly twin: string;
}

/** A pair the stream copies: a twin claim in another cluster, the units holding its writers, both contexts. */
export type StreamPair = VolumePair & { readonly twin: Claim; readonly units: PairUnits; readonly contexts: PairContexts };

/** One end of a copy: a claim and the context of its cluster. */
interface End {
  readonly claim: Claim;
  readonly context: string;
  /** The helper pod that mounts the claim. */
  readonly pod: string;
}

/** The helper pod mounting `end`'s claim at `/data` (read-only on the sending side). */
function helperPod(end: End, readOnly: boolean): string[] {
  const flag = readOnly ? ', readOnly: true' : '';
  return [
    ...inContext([`kubectl apply -f - <<'EOF'`], end.context),
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${yamlScalar(end.pod)}`,
    `  namespace: ${yamlScalar(end.claim.namespace)}`,
    'spec:',
    '  restartPolicy: Never',
    '  containers:',
    '    - name: copy',
    '      image: busybox:1.36',
    `      command: ["sleep", "${HELPER_LIFETIME_SECONDS}"]`,
    '      volumeMounts:',
    `        - { name: data, mountPath: /data${flag} }`,
    '  volumes:',
    `    - { name: data, persistentVolumeClaim: { claimName: ${yamlScalar(end.claim.name)}${flag} } }`,
    'EOF',
  ];
}

/** `exec -n wordpress twinops-send-data --`: the arguments of a command run in `end`'s helper pod. */
const execArgs = (end: End, stdin: boolean) => `exec${stdin ? ' -i' : ''} -n ${shellArg(end.claim.namespace)} ${shellArg(end.pod)} --`;
const exec = (end: End) => `kubectl ${execArgs(end, false)}`;
const kubectlIn = (end: End) => `kubectl --context ${shellArg(end.context)}`;

/**
 * The helper pods, the stream from `from` to `to` (replacing `to`'s files), the check, the
 * clean-up. `fromVolume`: the shell variable the source's volume name goes in (`PROD_PV`, as in
 * the same-cluster copies, or `DR_PV`).
 */
function stream(from: End, to: End, giveUp: string, fromVolume: 'PROD_PV' | 'DR_PV'): string[] {
  const volume = (end: End, variable: string) =>
    inContext([`${variable}=$(kubectl get pvc -n ${shellArg(end.claim.namespace)} ${shellArg(end.claim.name)} -o jsonpath='{.spec.volumeName}')`], end.context);
  return [
    `# ${shellComment(from.claim.name)} on ${shellComment(from.context)} → ${shellComment(to.claim.name)} on ${shellComment(to.context)}, through this workstation.`,
    '# The source volume must exist (the line after the lookup stops on an unbound claim). Each helper pod',
    '# mounts one claim; a node-local volume (local-path) pins its pod to the node holding it, through',
    "# the PersistentVolume's node affinity: no node to choose.",
    ...volume(from, fromVolume),
    ...inContext([`kubectl get pv "\${${fromVolume}:?}"`], from.context),
    ...helperPod(from, true),
    ...helperPod(to, false),
    ...inContext([`kubectl wait -n ${shellArg(from.claim.namespace)} ${shellArg(`pod/${from.pod}`)} --for=condition=Ready --timeout=${READY_TIMEOUT}`], from.context),
    ...inContext([`kubectl wait -n ${shellArg(to.claim.namespace)} ${shellArg(`pod/${to.pod}`)} --for=condition=Ready --timeout=${READY_TIMEOUT}`], to.context),
    onTimeout(
      `a helper pod is not running (kubectl --context CLUSTER describe pod says why: a claim still mounted by a pod on another node, ` +
        'a volume on a node that is down). Do not copy; delete both helper pods (the last two lines) and fix that first.',
    ),
    ...inContext([`${exec(to)} find /data -mindepth 1 -delete`], to.context),
    `${kubectlIn(from)} ${execArgs(from, false)} tar -C /data -cf - . | ${kubectlIn(to)} ${execArgs(to, true)} tar -C /data -xf -`,
    '# A pipe reports only its last command: compare the file counts; they must be equal.',
    ...inContext([`${exec(from)} sh -c 'find /data | wc -l'`], from.context),
    ...inContext([`${exec(to)} sh -c 'find /data | wc -l'`], to.context),
    `# If the counts differ or tar failed: ${shellComment(giveUp)}`,
    ...inContext([`kubectl delete pod -n ${shellArg(from.claim.namespace)} ${shellArg(from.pod)}`], from.context),
    ...inContext([`kubectl delete pod -n ${shellArg(to.claim.namespace)} ${shellArg(to.pod)}`], to.context),
  ];
}

const sender = (claim: Claim, context: string): End => ({ claim, context, pod: `twinops-send-${claim.name}` });
const receiver = (claim: Claim, context: string): End => ({ claim, context, pod: `twinops-receive-${claim.name}` });

/**
 * Prod → twin, prod running: prod's writers are stopped on the prod cluster for the copy (the
 * twin's are held at zero by the resync's first step) and started again after it.
 */
export function streamToTwin(pair: StreamPair): string[] {
  const { prod, twin } = pair.contexts;
  return [
    ...inContext(stopWritersLines(pair.prod, pair.units.prod, pair.units), prod),
    ...stream(sender(pair.prod, prod), receiver(pair.twin, twin), 'run this block again from the top; do not activate the twin until a copy succeeds.', 'PROD_PV'),
    ...inContext(restartWritersLines(pair.prod, pair.units.prod, pair.units), prod),
  ];
}

/** Twin → prod, in a failback: both variants are stopped already; the copy waits until their pods are gone. */
export function streamToProd(pair: StreamPair): string[] {
  const { prod, twin } = pair.contexts;
  const advice = 'a pod still runs: check that the step before scaled both variants to zero, then wait again.';
  return [
    ...inContext(podsGoneLines(pair.twin.writers, '10m', advice), twin),
    ...inContext(podsGoneLines(pair.prod.writers, '10m', advice), prod),
    ...stream(
      sender(pair.twin, twin),
      receiver(pair.prod, prod),
      `run this block again; ${pair.twin.name} still holds the data: resume ${pair.units.twin} to serve from it again.`,
      'DR_PV',
    ),
  ];
}
