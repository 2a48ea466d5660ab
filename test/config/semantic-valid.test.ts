import { describe, expect, it } from 'vitest';
import { fleetYaml } from '../../lib/bench/fleet';
import { loadEnvironment } from '../../lib/config/load';
import { LAB, load } from './lab';
import { knownApps, yaml } from './support';

/** Another estate under other names: Ceph RBD with its CSI Secret references, MetalLB, a DR node tainted role=dr:NoExecute. */
const CEPH = yaml`
  secrets: { name: openbao }
  gitops: { pathPrefix: ./clusters/prod/dist, namespace: gitops }
  dr: { suffix: -twin, namespace: suffixed }
  clusters:
    - name: rack
      nodes:
        - name: n1
          labels: { kubernetes.io/hostname: n1, topology.kubernetes.io/zone: a }
        - name: n2
          labels: { kubernetes.io/hostname: n2, topology.kubernetes.io/zone: b, example.org/role: dr }
          taints: [{ key: role, value: dr, effect: NoExecute }]
      dr: { node: n2 }
      storageClasses:
        - name: ceph-rbd
          provisioner: rbd.csi.ceph.com
          parameters:
            clusterID: ceph-a
            pool: rbd
            csi.storage.k8s.io/provisioner-secret-name: csi-rbd-secret
            csi.storage.k8s.io/provisioner-secret-namespace: ceph-csi
            csi.storage.k8s.io/node-stage-secret-name: csi-rbd-secret
          dr: { parameters: { pool: rbd-twin } }
      edge:
        namespace: ingress
        provider: metallb
        acmeEmail: noc@example.org
        prod:
          name: edge
          ipv4: { pool: edge-v4, cidr: 198.51.100.0/28 }
          ipv6: { pool: edge-v6, cidr: "2001:db8:a::/112" }
        dr:
          name: edge-twin
          ipv4: { pool: edge-v4-twin, cidr: 198.51.100.16/28 }
          ipv6: { pool: edge-v6-twin, cidr: "2001:db8:b::/112" }
      apps:
        - app: redis
          namespace: cache
          dr: true
        - app: keycloak
          host: id.example.org
          namespace: identity
          dependsOn: [redis]
          dr: { identity: production }
`;

describe('valid environments still load', () => {
  it('loads the lab the semantic tests spoil', () => {
    expect(load(LAB).clusters[0]?.dr?.node).toBe('bravo');
  });

  it('loads an estate with Ceph classes, CSI secret references, MetalLB and a NoExecute DR node', () => {
    const env = load(CEPH);
    expect(env.clusters[0]?.storageClasses[0]?.parameters['csi.storage.k8s.io/provisioner-secret-name']).toBe('csi-rbd-secret');
    expect(env.clusters[0]?.edge?.provider).toBe('metallb');
  });

  it('loads the 002 example, the corpus lab and the bench fleet', () => {
    expect(loadEnvironment('test/fixtures/seed-002/home.yaml', { knownApps }).clusters[0]?.dr?.node).toBe('remote');
    expect(loadEnvironment('test/fixtures/hostile/lab.yaml', { knownApps }).clusters[0]?.dr?.node).toBe('bravo');
    expect(load(fleetYaml(3, ['wordpress', 'redis', 'keycloak', 'nextcloud'])).clusters).toHaveLength(3);
  });
});
