/**
 * Two fleets for the fleet checks, after fleet.md §C.2 and §C.3: a management cluster with two
 * Cluster API workload clusters (Docker/kubeadm and OpenStack/RKE2), and three existing clusters
 * in three regions, each keeping its twins in the next. Tests spoil them with exact edits.
 */
import { yaml } from './support';

export const FLEET = yaml`
  secrets: { name: vault }
  capi:
    cilium: 1.16.3
  clusters:
    - name: mgmt
      role: management
      capi:
        bootstrap: kind
        pivoted: false
        infrastructure: docker
        controlPlane: kubeadm
        kubernetes: v1.34.0
        pods: 192.168.0.0/20
        services: 10.128.0.0/16
    - name: edge-1
      capi:
        infrastructure: docker
        controlPlane: kubeadm
        kubernetes: v1.34.0
        workers: 2
        pods: 192.168.16.0/20
        services: 10.129.0.0/16
      dr:
        cluster: edge-2
      apps:
        - app: redis
          dr: true
    - name: edge-2
      region: RegionOne
      capi:
        infrastructure: openstack
        controlPlane: rke2
        kubernetes: v1.33.1+rke2r1
        controlPlaneReplicas: 3
        workers: 2
        pods: 192.168.32.0/20
        services: 10.130.0.0/16
        openstack:
          cloud: openstack
          credentials: capi/edge-2/openstack
          externalNetwork: 00000000-0000-4000-8000-000000000001
          image: ubuntu-24.04
          sshKey: fleet
          flavors: { controlPlane: m1.medium, workers: m1.large }
          nodeCidr: 10.6.0.0/24
          dnsNameservers: [192.0.2.53]
`;

const LOCAL_PATH = `
      storageClasses:
        - name: local-path
          provisioner: rancher.io/local-path
      storageRoles: { database: local-path, files: local-path }`;

export const REGIONS = yaml`
  secrets: { name: vault }
  dr:
    storageClasses:
      local-path: local-path
  clusters:
    - name: east
      region: eastus
      nodes: [{ name: east-1 }]
      dr: { cluster: west }${LOCAL_PATH}
      apps:
        - app: wordpress
          host: blog.example.org
          dr: true
        - app: redis
          namespace: wordpress
          dr: true
    - name: west
      region: eastus2
      nodes: [{ name: west-1 }]
      dr: { cluster: uk }${LOCAL_PATH}
      apps:
        - app: keycloak
          host: keycloak.example.org
          dr: { identity: production }
    - name: uk
      region: uksouth
      nodes: [{ name: uk-1 }]
      dr: { cluster: east }${LOCAL_PATH}
      apps:
        - app: nextcloud
          host: cloud.example.org
          dr: true
`;

/** A fleet with each `[from, to]` applied once; fails when `from` is not in the text. */
export function edit(text: string, ...edits: ReadonlyArray<readonly [string, string]>): string {
  return edits.reduce((out, [from, to]) => {
    if (!out.includes(from)) throw new Error(`the fleet has no ${JSON.stringify(from)}`);
    return out.replace(from, to);
  }, text);
}
