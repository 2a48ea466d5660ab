/**
 * File-level copies between a prod volume and its twin: an rsync between the nodes for
 * local-path volumes (folders `<pv>_<namespace>_<claim>` under the provisioner's root, as in
 * 000), and, for any provisioner twinops knows no procedure for, a pod mounting both claims.
 */
import { nodeProse, sshTo, type Ends } from './copy-zfs';
import { expansion, refuseControl, shellArg, shellComment, shellWord, type Expansion, type WordPart } from './shell';
import type { Claim, VolumePair } from './volumes';
import { LOCAL_PATH_ROOT } from './volumes';

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
function yamlScalar(value: string): string {
  refuseControl(value); // a line break could end the heredoc
  return /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value) ? value : JSON.stringify(value);
}

/** A pod mounting `from` read-only and `to`, replacing the content of `to` with a copy of `from`. */
function copyPod(name: string, from: Claim, to: Claim): string[] {
  if (from.namespace !== to.namespace) {
    return [
      `# ${shellComment(from.name)} (namespace ${shellComment(from.namespace)}) and ${shellComment(to.name)} (namespace ${shellComment(to.namespace)}) are in different`,
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
    `kubectl wait -n ${shellArg(namespace)} ${shellArg(`pod/${name}`)} --for=jsonpath='{.status.phase}'=Succeeded --timeout=6h`,
    `kubectl delete pod -n ${shellArg(namespace)} ${shellArg(name)}`,
  ];
}

export function podToTwin(pair: VolumePair & { twin: Claim }): string[] {
  return copyPod(`twinops-resync-${pair.prod.name}`, pair.prod, pair.twin);
}

export function podToProd(pair: VolumePair & { twin: Claim }): string[] {
  return copyPod(`twinops-failback-${pair.prod.name}`, pair.twin, pair.prod);
}
