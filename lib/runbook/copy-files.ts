/**
 * File-level copies between a prod volume and its twin: an rsync between the nodes for
 * local-path volumes (folders `<pv>_<namespace>_<claim>` under the provisioner's root, as in
 * 000), and, for network storage without the snapshot route, a pod mounting both claims while
 * their writers are stopped: a database copied while it runs is inconsistent, and a
 * ReadWriteOnce claim attached to a running pod cannot be mounted by the copy pod elsewhere.
 */
import { restartWritersLines, stopWritersLines } from './copy-writers';
import { nodeProse, sshTo, type Ends } from './copy-zfs';
import { expansion, refuseControl, shellArg, shellComment, shellWord, type Expansion, type WordPart } from './shell';
import type { Claim, PairUnits, VolumePair } from './volumes';
import { LOCAL_PATH_ROOT } from './volumes';
import { onTimeout, podsGoneLines } from './waits';

/** How long the copy pod may run: hours for hundreds of gigabytes. */
const COPY_TIMEOUT = '6h';

/** A pair the copy pod can copy: a twin claim and the units that hold the writers. */
export type PodCopyPair = VolumePair & { readonly twin: Claim; readonly units: PairUnits };

/** The local-path folder of a claim whose volume name is in the shell variable `pvVariable`. */
function folder(claim: Claim, pvVariable: string): WordPart[] {
  return [`${LOCAL_PATH_ROOT}/`, expansion(`\${${pvVariable}:?}`), `_${claim.namespace}_${claim.name}/`];
}

/** One rsync run on the source node, pushing to the target node. */
function rsync(fromNode: string | Expansion, from: WordPart[], toNode: string | Expansion, to: WordPart[]): string[] {
  const remote = { remote: true };
  return [
    `# Runs on ${nodeProse(fromNode)}, which must reach ${nodeProse(toNode)} over ssh. A database copied while it runs may be`,
    `# inconsistent: for a last pass, stop the source's workloads (flux suspend, kubectl scale).`,
    `${sshTo(fromNode)} rsync -aHAX --numeric-ids --delete ${shellWord(from, remote)} ${shellWord([toNode, ':', ...to], remote)}`,
  ];
}

export function rsyncToTwin(pair: VolumePair & { twin: Claim }, ends: Ends): string[] {
  return rsync(ends.prodNode, folder(pair.prod, 'PROD_PV'), ends.twinNode, folder(pair.twin, 'DR_PV'));
}

export function rsyncToProd(pair: VolumePair & { twin: Claim }, ends: Ends): string[] {
  return rsync(ends.twinNode, folder(pair.twin, 'DR_PV'), ends.prodNode, folder(pair.prod, 'PROD_PV'));
}

/** A name as a YAML scalar in the heredoc: plain when it is a plain name, else double-quoted (JSON is YAML). */
export function yamlScalar(value: string): string {
  refuseControl(value); // a line break could end the heredoc
  return /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value) ? value : JSON.stringify(value);
}

/** A pod mounting `from` read-only and `to`, replacing the content of `to` with a copy of `from`; `giveUp` says what to do when it fails. */
function copyPod(name: string, from: Claim, to: Claim, giveUp: string): string[] {
  if (from.namespace !== to.namespace) {
    return [
      `# ${shellComment(from.name)} (namespace ${shellComment(from.namespace)}) and ${shellComment(to.name)} (namespace ${shellComment(to.namespace)}) are in different`,
      '# namespaces: no pod can mount both. Copy through a machine that can reach both volumes.',
    ];
  }
  const namespace = from.namespace;
  return [
    '# A pod mounts both claims and copies the files. Both volumes must be attachable on one node',
    '# (network storage; not node-local volumes).',
    `kubectl apply -f - <<'EOF'`,
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${yamlScalar(name)}`,
    `  namespace: ${yamlScalar(namespace)}`,
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
    `    - { name: from, persistentVolumeClaim: { claimName: ${yamlScalar(from.name)}, readOnly: true } }`,
    `    - { name: to, persistentVolumeClaim: { claimName: ${yamlScalar(to.name)} } }`,
    'EOF',
    `kubectl wait -n ${shellArg(namespace)} ${shellArg(`pod/${name}`)} --for=jsonpath='{.status.phase}'=Succeeded --timeout=${COPY_TIMEOUT}`,
    onTimeout(
      `the copy is still running or has failed (kubectl logs -n ${namespace} ${name} says which). Wait for it, or give up: ` +
        `delete the pod; ${to.name} is then incomplete: ${giveUp}`,
    ),
    `kubectl delete pod -n ${shellArg(namespace)} ${shellArg(name)}`,
  ];
}

/**
 * Prod → twin with prod running: prod's writers are stopped for the copy (the twin's are held
 * at zero by the resync's first step) and started again after it.
 */
export function podToTwin(pair: PodCopyPair): string[] {
  const copy = copyPod(`twinops-resync-${pair.prod.name}`, pair.prod, pair.twin, 'do not activate the twin until a resync succeeds.');
  if (pair.prod.namespace !== pair.twin.namespace) return copy;
  return [
    ...stopWritersLines(pair.prod, pair.units.prod, pair.units),
    ...copy,
    ...restartWritersLines(pair.prod, pair.units.prod, pair.units),
  ];
}

/**
 * Twin → prod, in a failback: the step before stopped both variants with Flux suspended, and
 * the failback resumes them afterwards; the copy only waits until their pods are gone.
 */
export function podToProd(pair: PodCopyPair): string[] {
  const copy = copyPod(
    `twinops-failback-${pair.prod.name}`,
    pair.twin,
    pair.prod,
    `stop the failback; ${pair.twin.name} still holds the data: resume ${pair.units.twin} to serve from it again.`,
  );
  if (pair.prod.namespace !== pair.twin.namespace) return copy;
  const gone = podsGoneLines(
    [...pair.twin.writers, ...pair.prod.writers],
    '10m',
    'a pod still runs: check that the step before scaled both variants to zero, then wait again.',
  );
  return [...gone, ...copy];
}
