/**
 * A valid estate for the semantic tests, not the example: other node names, a DR node tainted
 * NoExecute, ZFS classes pinned to the prod node, a local-path class mapped to itself, an edge
 * with pools on both sides. Each test spoils it with exact edits, so every line stays put.
 */
import { parseEnvironment } from '../../lib/config/load';
import type { Environment } from '../../lib/config/environment';
import { FILE, knownApps, yaml } from './support';

export const LAB = yaml`
  secrets: { name: vault }
  dr:
    storageClasses:
      local-path: local-path
  clusters:
    - name: lab
      nodes:
        - name: alpha
        - name: bravo
          taints: [{ key: role, value: dr, effect: NoExecute }]
      dr: { node: bravo }
      storageClasses:
        - name: zfs-storage-znvm
          provisioner: zfs.csi.openebs.io
          node: alpha
          parameters: { poolname: tank/k8s }
          dr: { parameters: { poolname: vault/k8s } }
        - name: zfs-storage-nas
          provisioner: zfs.csi.openebs.io
          node: alpha
          dr: {}
        - name: local-path
          provisioner: rancher.io/local-path
      edge:
        acmeEmail: ops@example.org
        prod:
          ipv4: { pool: prod-v4, cidr: 192.0.2.128/28 }
          ipv6: { pool: prod-v6, cidr: "2001:db8:0:100::/112" }
        dr:
          ipv4: { address: 192.0.2.200 }
          ipv6: { pool: dr-v6, cidr: "2001:db8:200:100::/112" }
      apps:
        - app: wordpress
          host: www.example.org
          dr: true
        - app: redis
          namespace: wordpress
          dr: true
      storageRoles: { database: zfs-storage-znvm, files: zfs-storage-nas }
`;

/** The lab with each `[from, to]` applied once; fails when `from` is not in the text. */
export function lab(...edits: ReadonlyArray<readonly [string, string]>): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`the lab has no ${JSON.stringify(from)}`);
    return text.replace(from, to);
  }, LAB);
}

/** Loads a text that must be valid. */
export function load(text: string, name = 'test', file = FILE): Environment {
  return parseEnvironment(name, file, text, { knownApps });
}
