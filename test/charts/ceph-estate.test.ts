/**
 * Storage by role on an estate with no ZFS at all: one Ceph RBD class, its DR class, a DR node
 * tainted role=dr:NoExecute. The shipped charts place there, every claim lands on the Ceph class
 * (prod) or its DR class (twin), and the render passes every policy.
 */
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeEnvironment } from '../../charts/estate';
import { parseEnvironment } from '../../lib/config/load';
import type { ApiObjectJson } from '../../lib/model';
import { checkPolicies } from '../../lib/render/policies';
import { yaml } from '../config/support';

const NODES = yaml`
  nodes:
    - name: ceph-1
      controlPlane: true
    - name: ceph-dr
      taints: [{ key: role, value: dr, effect: NoExecute }]
  dr: { node: ceph-dr }`;

/** The four shipped apps; `nextcloud` is the extra fields of its placement. */
const apps = (nextcloud = '') => yaml`
  apps:
    - { app: wordpress, host: www.example.org, dr: true }
    - { app: redis, namespace: wordpress, dr: true }
    - { app: keycloak, host: id.example.org, dr: { identity: production } }
    - { app: nextcloud, host: files.example.org, dr: true${nextcloud} }`;

const indent = (text: string, by: string) => text.split('\n').map((line) => `${by}${line}`).join('\n');

/** A one-cluster Ceph estate; `storage` is the cluster's storage block, `dr` the environment's. */
function cephEstate(storage: string, dr = '', appsBlock = apps()) {
  const text = [
    'secrets: { name: vault }',
    dr,
    'clusters:',
    '  - name: rook',
    indent(NODES, '    '),
    indent(storage, '    '),
    indent(appsBlock, '    '),
  ].filter((part) => part !== '').join('\n');
  return parseEnvironment('ceph', 'environments/ceph.yaml', text, { knownApps: APP_CATALOG });
}

/** The DR class declared beside the prod class, both roles mapped to the prod class. */
const DECLARED_DR_CLASS = cephEstate(
  yaml`
    storageClasses:
      - { name: ceph-rbd, provisioner: rbd.csi.ceph.com, parameters: { clusterID: rook-ceph, pool: rbd } }
      - { name: ceph-rbd-dr, provisioner: rbd.csi.ceph.com, parameters: { clusterID: rook-ceph, pool: rbd-dr } }
    storageRoles: { database: ceph-rbd, files: ceph-rbd }`,
  'dr: { storageClasses: { ceph-rbd: ceph-rbd-dr } }',
);

/** The only class of the cluster serves every role; its DR class is derived from its `dr` block. */
const ONLY_CLASS = cephEstate(yaml`
    storageClasses:
      - { name: ceph-rbd, provisioner: rbd.csi.ceph.com, parameters: { clusterID: rook-ceph, pool: rbd }, dr: { parameters: { pool: rbd-dr } } }`);

type Claim = ApiObjectJson & { spec: { storageClassName?: string } };

function claimClasses(env: ReturnType<typeof cephEstate>): Record<string, string | undefined> {
  const claims = composeEnvironment(env).units.flatMap((unit) => unit.objects).filter((object) => object.kind === 'PersistentVolumeClaim') as Claim[];
  return Object.fromEntries(claims.map((claim) => [claim.metadata.name, claim.spec.storageClassName]));
}

const EXPECTED_CLAIMS = {
  'wordpress-db': 'ceph-rbd',
  'wordpress-db-dr': 'ceph-rbd-dr',
  'wordpress-html': 'ceph-rbd',
  'wordpress-html-dr': 'ceph-rbd-dr',
  'keycloak-db': 'ceph-rbd',
  'keycloak-db-dr': 'ceph-rbd-dr',
  'nextcloud-db': 'ceph-rbd',
  'nextcloud-db-dr': 'ceph-rbd-dr',
  'nextcloud-data': 'ceph-rbd',
  'nextcloud-data-dr': 'ceph-rbd-dr',
};

describe.each([
  ['a declared DR class and a role mapping', DECLARED_DR_CLASS],
  ['its only class serving every role, with a derived DR class', ONLY_CLASS],
])('a Ceph-only estate with %s', (_, env) => {
  it('puts every prod claim on ceph-rbd and every twin claim on ceph-rbd-dr', () => {
    expect(claimClasses(env)).toEqual(EXPECTED_CLAIMS);
  });

  it('passes every policy', () => {
    expect(checkPolicies(composeEnvironment(env).units, env)).toEqual([]);
  });
});

describe('a per-placement storage role override', () => {
  it('moves only that app\'s role, and its twin follows the DR mapping', () => {
    const env = cephEstate(
      yaml`
        storageClasses:
          - { name: ceph-rbd, provisioner: rbd.csi.ceph.com, parameters: { clusterID: rook-ceph, pool: rbd } }
          - { name: ceph-rbd-dr, provisioner: rbd.csi.ceph.com, parameters: { clusterID: rook-ceph, pool: rbd-dr } }
          - { name: cephfs, provisioner: cephfs.csi.ceph.com, parameters: { clusterID: rook-ceph, fsName: bulk }, dr: {} }
        storageRoles: { database: ceph-rbd, files: ceph-rbd }`,
      'dr: { storageClasses: { ceph-rbd: ceph-rbd-dr } }',
      apps(', storageRoles: { files: cephfs }'),
    );
    expect(claimClasses(env)).toEqual({ ...EXPECTED_CLAIMS, 'nextcloud-data': 'cephfs', 'nextcloud-data-dr': 'cephfs-dr' });
    expect(checkPolicies(composeEnvironment(env).units, env)).toEqual([]);
  });
});
