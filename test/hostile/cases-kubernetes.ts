/**
 * Values that pass a loose reading of the schema but that Kubernetes, a path, DR or an
 * operator's shell would refuse or regret: refused by the loader at their place.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { at, badEdit, edited, type HostileCase } from './harness';

const long = (n: number) => 'a'.repeat(n);

export const KUBERNETES_CASES: readonly HostileCase[] = [
  // DR placement that defeats DR (problem 7)
  badEdit('the DR node is the node prod volumes are pinned to', '      node: bravo', '      node: alpha', 'alpha\n    storageClasses', /clusters\[0\]\.dr\.node/),
  badEdit('the DR node has empty labels', '        labels:\n          kubernetes.io/hostname: bravo', '        labels: {}', '{}', /clusters\[0\]\.nodes\[1\]\.labels/),
  badEdit('the DR node is labelled with the prod hostname', '          kubernetes.io/hostname: bravo', '          kubernetes.io/hostname: alpha', 'kubernetes.io/hostname: alpha', /clusters\[0\]\.nodes\[1\]\.labels/),
  badEdit('the DR node has no taint', /        taints:\n          - key: role\n            value: dr\n            effect: NoExecute\n/, '', 'bravo\n        addresses', /DR node "bravo" needs a taint that prod pods do not tolerate/),
  badEdit('the DR node has only a PreferNoSchedule taint', '            effect: NoExecute', '            effect: PreferNoSchedule', '- key: role', /given PreferNoSchedule taints only/),
  badEdit('a pinned class mapped to itself for DR', '    local-path: local-path', '    local-path: local-path\n    zfs-storage-znvm: zfs-storage-znvm', 'zfs-storage-znvm\n\nclusters', /pinned to node "alpha" \(line 33\), not to DR node "bravo"/),
  badEdit('a DR class that is another class pinned to the prod node', '    local-path: local-path', '    local-path: local-path\n    zfs-storage-nas: zfs-storage-znvm', 'zfs-storage-znvm\n\nclusters', /claim "zfs-storage-znvm" instead of "zfs-storage-nas"/),

  // Names Kubernetes refuses (problem 9)
  badEdit('an app namespace of 64 characters', '        namespace: wordpress', `        namespace: ${long(64)}`, long(64), /clusters\[0\]\.apps\[1\]\.namespace/),
  badEdit('a Traefik instance name starting with a digit (a Service name)', '        name: edge-prod', '        name: 1edge', '1edge', /clusters\[0\]\.edge\.prod\.name/),
  badEdit('a Traefik instance name too long for its load balancer Service', '        name: edge-prod', `        name: ${long(60)}`, long(60), /clusters\[0\]\.edge\.prod\.name/),
  badEdit('an edge namespace of 64 characters', '      namespace: edge', `      namespace: ${long(64)}`, long(64), /clusters\[0\]\.edge\.namespace/),
  badEdit('a label key with a space and a bang', '          kubernetes.io/hostname: bravo', '          kubernetes.io/hostname: bravo\n          bad key!: x', 'bad key!', /labels/),
  badEdit('a label value with a Cyrillic letter', '          kubernetes.io/hostname: bravo', '          kubernetes.io/hostname: bravo\n          zone: bаse', 'bаse', /labels/),
  badEdit('a label value of 64 characters', '          kubernetes.io/hostname: bravo', `          kubernetes.io/hostname: bravo\n          zone: ${long(64)}`, long(64), /labels/),
  badEdit('a label value with a newline', '          kubernetes.io/hostname: bravo', '          kubernetes.io/hostname: bravo\n          zone: "a\\nb"', '"a\\nb"', /labels/),
  badEdit('a label key prefix that is not a DNS subdomain', '          kubernetes.io/hostname: bravo', '          kubernetes.io/hostname: bravo\n          Example_Org/zone: a', 'Example_Org/zone', /labels/),
  badEdit('a label key name of 64 characters', '          kubernetes.io/hostname: bravo', `          kubernetes.io/hostname: bravo\n          ${long(64)}: a`, long(64), /labels/),
  badEdit('a taint key with a space', '          - key: role', '          - key: the role', 'the role', /taints\[0\]\.key/),
  badEdit('a taint value with a slash', '            value: dr', '            value: d/r', 'd/r', /taints\[0\]\.value/),
  badEdit('a provisioner with a space', '        provisioner: rancher.io/local-path', '        provisioner: rancher local path', 'rancher local path', /storageClasses\[2\]\.provisioner/),
  badEdit('a provisioner with a shell command', '        provisioner: rancher.io/local-path', '        provisioner: "$(reboot)"', '"$(reboot)"', /storageClasses\[2\]\.provisioner/),
  badEdit('a provisioner of 64 characters', '        provisioner: rancher.io/local-path', `        provisioner: ${long(64)}`, long(64), /storageClasses\[2\]\.provisioner/),
  badEdit('a storage class name too long for its file name', '      - name: local-path\n', `      - name: ${long(253)}\n`, long(253), /storageClasses\[2\]\.name/),
  badEdit('a DR class name too long for its file name', '    local-path: local-path', `    local-path: ${long(253)}`, long(253), /local-path/),

  // Reserved namespaces (problem 9)
  badEdit('an app in flux-system', '        namespace: wordpress', '        namespace: flux-system', 'flux-system', /clusters\[0\]\.apps\[1\]\.namespace/),
  badEdit('an app in kube-system', '        namespace: wordpress', '        namespace: kube-system', 'kube-system', /clusters\[0\]\.apps\[1\]\.namespace/),
  badEdit('an app in kube-public', '        namespace: wordpress', '        namespace: kube-public', 'kube-public', /clusters\[0\]\.apps\[1\]\.namespace/),
  badEdit('an app in kube-node-lease', '        namespace: wordpress', '        namespace: kube-node-lease', 'kube-node-lease', /clusters\[0\]\.apps\[1\]\.namespace/),
  badEdit('the edge in kube-system', '      namespace: edge', '      namespace: kube-system', 'kube-system', /clusters\[0\]\.edge\.namespace/),
  inGitOpsNamespace(),

  // Paths (problem 9)
  badEdit('a path prefix climbing out of the repository', 'secrets:\n', 'gitops:\n  pathPrefix: ../../../etc\nsecrets:\n', '../../../etc', /gitops\.pathPrefix/),
  badEdit('an absolute path prefix', 'secrets:\n', 'gitops:\n  pathPrefix: /etc\nsecrets:\n', '/etc', /gitops\.pathPrefix/),
  badEdit('a path prefix with an empty segment', 'secrets:\n', 'gitops:\n  pathPrefix: ./a//b\nsecrets:\n', './a//b', /gitops\.pathPrefix/),
  badEdit('a path prefix with a dot-dot in the middle', 'secrets:\n', 'gitops:\n  pathPrefix: ./dist/../..\nsecrets:\n', './dist/../..', /gitops\.pathPrefix/),

  // Address pools (problem 9)
  badEdit('a pool of the whole IPv4 internet', '          cidr: 192.0.2.128/28', '          cidr: 0.0.0.0/0', '0.0.0.0/0', /edge\.prod\.ipv4\.cidr/),
  badEdit('a pool of the whole IPv6 internet', '        ipv4:\n          pool: prod-v4', '        ipv6:\n          pool: prod-v6\n          cidr: ::/0\n        ipv4:\n          pool: prod-v4', '::/0', /edge\.prod\.ipv6\.cidr/),
  badEdit('prod and DR pools with the same CIDR', '          cidr: 192.0.2.160/28', '          cidr: 192.0.2.128/28', '192.0.2.128/28\n    apps', /DR IPv4 pool overlaps the prod pool 192\.0\.2\.128\/28/),
  badEdit('prod and DR pools that overlap', '          cidr: 192.0.2.160/28', '          cidr: 192.0.2.128/25', '192.0.2.128/25', /overlap/),
  badEdit('prod and DR pools with the same name', '          pool: dr-v4', '          pool: prod-v4', 'prod-v4\n          cidr: 192.0.2.160', /prod-v4/),
  badEdit('a DR fixed address inside the prod pool', '          pool: dr-v4\n          cidr: 192.0.2.160/28', '          address: 192.0.2.130', '192.0.2.130', /192\.0\.2\.130|overlap|inside/),

  // Secrets through free-form fields (problem 13)
  badEdit('a password in storage class parameters', '          fstype: zfs', '          fstype: zfs\n          password: hunter2', 'password', /password/),
  badEdit('a token in DR parameters', '            poolname: vault/k8s', '            poolname: vault/k8s\n            apiToken: abc', 'apiToken', /apiToken/),
  badEdit('a secret key in parameters', '          fstype: zfs', '          fstype: zfs\n          secretKey: abc', 'secretKey', /secretKey/),
  badEdit('a private key in parameters', '          fstype: zfs', '          fstype: zfs\n          private-key: abc', 'private-key', /private-key/),
  badEdit('credentials in parameters', '          fstype: zfs', '          fstype: zfs\n          credentials: abc', 'credentials', /credentials/),
  {
    name: 'a CSI secret reference in parameters is a name, not a secret',
    arrange: (p) =>
      p.writeLab(
        edited('        provisioner: rancher.io/local-path', '        provisioner: rancher.io/local-path\n        parameters:\n          csi.storage.k8s.io/provisioner-secret-name: ceph-admin\n          csi.storage.k8s.io/provisioner-secret-namespace: ceph'),
      ),
    expect: {
      renders: (p) => {
        const storageClass = readFileSync(join(p.dist, 'lab/lab/infrastructure/storage/storageclass-local-path.yaml'), 'utf8');
        expect(storageClass).toContain('csi.storage.k8s.io/provisioner-secret-name: ceph-admin\n');
      },
    },
  },
  {
    name: 'a shell command in a pool name is quoted in the runbook',
    arrange: (p) => p.writeLab(edited('          poolname: tank/k8s', '          poolname: "tank$(touch pwned)"')),
    expect: {
      renders: (p) => {
        const runbook = readFileSync(join(p.dist, 'lab/RUNBOOK.md'), 'utf8');
        expect(runbook).toContain("'tank$(touch pwned)");
        expect(runbook).not.toMatch(/(^|[\s/])tank\$\(touch pwned\)/m);
      },
    },
  },
  {
    name: 'Markdown in the description stays text in the runbook',
    arrange: (p) => p.writeLab(edited('description: Corpus lab with a DR node in the same cluster.', 'description: "# Owned\\n<script>x</script> [a](javascript:x)"')),
    expect: {
      renders: (p) => {
        const runbook = readFileSync(join(p.dist, 'lab/RUNBOOK.md'), 'utf8');
        expect(runbook).not.toMatch(/^# Owned/m);
        expect(runbook).not.toContain('<script>');
        expect(runbook).not.toContain('](javascript:');
      },
    },
  },
];

/** An app in the namespace the environment gives Flux (`gitops.namespace`). */
function inGitOpsNamespace(): HostileCase {
  const text = edited('        namespace: wordpress', '        namespace: gitops', edited('secrets:\n', 'gitops:\n  namespace: gitops\nsecrets:\n'));
  return {
    name: 'an app in the GitOps namespace',
    arrange: (p) => p.writeLab(text),
    expect: { at: at(text, 'gitops\n        dr'), says: /clusters\[0\]\.apps\[1\]\.namespace/ },
  };
}
