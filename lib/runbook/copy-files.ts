/**
 * File-level copies between a prod volume and its twin: an rsync between the nodes for
 * local-path volumes (folders `<pv>_<namespace>_<claim>` under the provisioner's root, as in
 * 000), and, for any provisioner twinops knows no procedure for, a pod mounting both claims.
 */
import type { Claim, VolumePair } from './volumes';
import { LOCAL_PATH_ROOT } from './volumes';
import type { Ends } from './copy-zfs';

/** The local-path folder of a claim whose volume name is in the shell variable `pvVariable`. */
function folder(claim: Claim, pvVariable: string): string {
  return `${LOCAL_PATH_ROOT}/\${${pvVariable}:?}_${claim.namespace}_${claim.name}/`;
}

/** A node word for a comment: `${PROD_NODE:?}` reads as `$PROD_NODE`. */
const prose = (word: string) => word.replace(/\$\{(\w+):\?\}/g, '$$$1');

/** One rsync run on the source node, pushing to the target node. */
function rsync(fromNode: string, from: string, toNode: string, to: string): string[] {
  return [
    `# Runs on ${prose(fromNode)}, which must reach ${prose(toNode)} over ssh. A database copied while it runs may be`,
    `# inconsistent: for a last pass, stop the source's workloads (flux suspend, kubectl scale).`,
    `ssh ${fromNode} rsync -aHAX --numeric-ids --delete "${from}" "${toNode}:${to}"`,
  ];
}

export function rsyncToTwin(pair: VolumePair & { twin: Claim }, ends: Ends): string[] {
  return rsync(ends.prodNode, folder(pair.prod, 'PROD_PV'), ends.twinNode, folder(pair.twin, 'DR_PV'));
}

export function rsyncToProd(pair: VolumePair & { twin: Claim }, ends: Ends): string[] {
  return rsync(ends.twinNode, folder(pair.twin, 'DR_PV'), ends.prodNode, folder(pair.prod, 'PROD_PV'));
}

/** A pod mounting `from` read-only and `to`, replacing the content of `to` with a copy of `from`. */
function copyPod(name: string, from: Claim, to: Claim): string[] {
  if (from.namespace !== to.namespace) {
    return [
      `# ${from.name} (namespace ${from.namespace}) and ${to.name} (namespace ${to.namespace}) are in different`,
      '# namespaces: no pod can mount both. Copy through a machine that can reach both volumes.',
    ];
  }
  const namespace = from.namespace;
  return [
    '# No procedure is known for this provisioner: a pod mounts both claims and copies the files.',
    '# Both volumes must be attachable on one node (network storage; not node-local volumes).',
    `kubectl apply -f - <<'EOF'`,
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
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
    `    - { name: from, persistentVolumeClaim: { claimName: ${from.name}, readOnly: true } }`,
    `    - { name: to, persistentVolumeClaim: { claimName: ${to.name} } }`,
    'EOF',
    `kubectl wait -n ${namespace} pod/${name} --for=jsonpath='{.status.phase}'=Succeeded --timeout=6h`,
    `kubectl delete pod -n ${namespace} ${name}`,
  ];
}

export function podToTwin(pair: VolumePair & { twin: Claim }): string[] {
  return copyPod(`twinops-resync-${pair.prod.name}`, pair.prod, pair.twin);
}

export function podToProd(pair: VolumePair & { twin: Claim }): string[] {
  return copyPod(`twinops-failback-${pair.prod.name}`, pair.twin, pair.prod);
}
