import { describe, expect, it } from 'vitest';
import { resolveStorageRole } from '../../lib/config/storage-roles';
import { load } from './lab';
import { problems, yaml } from './support';

describe('semantic problems', () => {
  it('lists the known apps for an unknown app', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: wordpres
      `),
    ).toEqual([
      'environments/test.yaml:5:14 clusters[0].apps[0].app: unknown app (did you mean "wordpress"?); expected one of keycloak, nextcloud, redis, wordpress; given "wordpres"',
    ]);
  });

  it('lists the nodes of the cluster for an unknown DR node or storage class node', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }, { name: remote }]
            dr:
              node: remot
            storageClasses:
              - name: fast
                provisioner: zfs.csi.openebs.io
                node: nas
      `),
    ).toEqual([
      'environments/test.yaml:5:13 clusters[0].dr.node: unknown node "remot" (did you mean "remote"?); expected a node of cluster "home": hassio, remote',
      'environments/test.yaml:9:15 clusters[0].storageClasses[0].node: unknown node "nas"; expected a node of cluster "home": hassio, remote',
    ]);
  });

  it('requires a DR node on the cluster of an app with DR enabled', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: redis
                dr: true
      `),
    ).toEqual([
      'environments/test.yaml:6:13 clusters[0].apps[0].dr: DR is enabled but cluster "home" has no DR node; expected clusters[0].dr.node naming the node the twins run on, a DR cluster (clusters[0].dr.cluster or dr.cluster of the app), or dr: false; given no dr.node',
    ]);
  });

  it('reports names used twice, at the second, with the line of the first', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }, { name: hassio }]
            storageClasses:
              - { name: fast, provisioner: zfs.csi.openebs.io }
              - { name: fast, provisioner: rancher.io/local-path }
            apps:
              - app: redis
              - app: redis
          - name: home
            nodes: [{ name: other }]
      `),
    ).toEqual([
      'environments/test.yaml:3:39 clusters[0].nodes[1].name: duplicate node name "hassio" (first at line 3)',
      'environments/test.yaml:6:17 clusters[0].storageClasses[1].name: duplicate storage class name "fast" (first at line 5)',
      'environments/test.yaml:9:14 clusters[0].apps[1].app: duplicate app "redis" on cluster "home" (first at line 8)',
      'environments/test.yaml:10:11 clusters[1].name: duplicate cluster name "home" (first at line 2)',
    ]);
  });

  it('rejects a node address that is not an IP address', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes:
              - name: hassio
                addresses: [192.0.2.10, 192.0.2.300, "2001:db8::1"]
      `),
    ).toEqual([
      'environments/test.yaml:5:33 clusters[0].nodes[0].addresses[1]: expected an IPv4 or IPv6 address; given "192.0.2.300"',
    ]);
  });

  it('lets a cluster with one storage class serve every role without a mapping', () => {
    const env = load(yaml`
      secrets: { name: vault }
      clusters:
        - name: home
          nodes: [{ name: hassio }]
          storageClasses:
            - { name: ceph-rbd, provisioner: rbd.csi.ceph.com }
          apps:
            - app: nextcloud
              host: cloud.example.org
    `);
    const [cluster] = env.clusters;
    const [app] = cluster?.apps ?? [];
    if (cluster === undefined || app === undefined) throw new Error('the estate lost its placement');
    expect(resolveStorageRole(cluster, app, 'files')).toEqual({ storageClass: 'ceph-rbd', source: 'only-class' });
  });

  it('asks for a mapping of a role the chart uses when the cluster has several classes', () => {
    expect(
      problems(yaml`
        secrets: { name: vault }
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            storageClasses:
              - { name: a, provisioner: zfs.csi.openebs.io }
              - { name: b, provisioner: zfs.csi.openebs.io }
              - { name: c, provisioner: rancher.io/local-path }
            storageRoles: { database: a }
            apps:
              - app: nextcloud
                host: cloud.example.org
      `),
    ).toEqual([
      'environments/test.yaml:11:14 clusters[0].apps[0].app: nextcloud asks for storage role "files"; map it in clusters[0].storageRoles (or the placement\'s storageRoles) to one of the cluster\'s classes: a, b, c',
    ]);
  });

  it('reports a role mapped to an undeclared class at the mapping, on the cluster and on a placement', () => {
    expect(
      problems(yaml`
        secrets: { name: vault }
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            storageClasses:
              - { name: zfs-storage-znvm, provisioner: zfs.csi.openebs.io }
              - { name: zfs-storage-nas, provisioner: zfs.csi.openebs.io }
            storageRoles: { database: zfs-storage-znvm, files: zfs-storage-nsa }
            apps:
              - app: nextcloud
                host: cloud.example.org
                storageRoles: { database: ceph-rbd }
      `),
    ).toEqual([
      'environments/test.yaml:8:56 clusters[0].storageRoles.files: storage role "files" maps to unknown storage class "zfs-storage-nsa" (did you mean "zfs-storage-nas"?); expected a storage class declared on cluster "home": zfs-storage-znvm, zfs-storage-nas; given "zfs-storage-nsa"',
      'environments/test.yaml:12:35 clusters[0].apps[0].storageRoles.database: storage role "database" maps to unknown storage class "ceph-rbd"; expected a storage class declared on cluster "home": zfs-storage-znvm, zfs-storage-nas; given "ceph-rbd"',
    ]);
  });

  it('requires the DR class of a twin to be declared or derivable from a dr block', () => {
    expect(
      problems(yaml`
        secrets: { name: vault }
        dr:
          storageClasses:
            zfs-storage-nas: backup-nas
        clusters:
          - name: home
            nodes: [{ name: hassio }, { name: remote, taints: [{ key: dedicated, effect: NoSchedule }] }]
            dr: { node: remote }
            storageClasses:
              - name: zfs-storage-znvm
                provisioner: zfs.csi.openebs.io
              - name: zfs-storage-nas
                provisioner: zfs.csi.openebs.io
            storageRoles: { database: zfs-storage-znvm, files: zfs-storage-nas }
            apps:
              - app: nextcloud
                host: cloud.example.org
                dr: true
      `),
    ).toEqual([
      'environments/test.yaml:4:22 dr.storageClasses.zfs-storage-nas: the DR twins of nextcloud need storage class "backup-nas" (DR class of "zfs-storage-nas"), which cluster "home" neither declares nor derives; expected a declared or derivable storage class: zfs-storage-znvm, zfs-storage-nas; given "backup-nas"',
      'environments/test.yaml:10:9 clusters[0].storageClasses[0]: the DR twins of nextcloud need storage class "zfs-storage-znvm-dr" (DR class of "zfs-storage-znvm"), which cluster "home" neither declares nor derives; expected a "dr" block on "zfs-storage-znvm", a declared "zfs-storage-znvm-dr" or a dr.storageClasses entry; given "zfs-storage-znvm-dr"',
    ]);
  });

  it('rejects a DR storage class map key that no cluster declares', () => {
    expect(
      problems(yaml`
        dr:
          storageClasses:
            local-pth: local-path
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            storageClasses:
              - { name: local-path, provisioner: rancher.io/local-path }
      `),
    ).toEqual([
      'environments/test.yaml:3:5 dr.storageClasses.local-pth: unknown storage class "local-pth" (did you mean "local-path"?); expected a storage class declared by a cluster: local-path',
    ]);
  });

  it('rejects a host name that is also the derived DR host of another app', () => {
    expect(
      problems(yaml`
        secrets: { name: vault }
        clusters:
          - name: home
            nodes: [{ name: hassio }, { name: remote, taints: [{ key: dedicated, effect: NoSchedule }] }]
            dr: { node: remote }
            storageClasses:
              - { name: zfs-storage-znvm, provisioner: zfs.csi.openebs.io }
              - { name: zfs-storage-nas, provisioner: zfs.csi.openebs.io }
            apps:
              - app: keycloak
                host: auth.example.org
                dr: true
              - app: redis
              - app: wordpress
                host: auth-dr.example.org
                storageRoles: { database: zfs-storage-znvm, files: zfs-storage-nas }
      `),
    ).toEqual([
      'environments/test.yaml:15:15 clusters[0].apps[2].host: duplicate host name "auth-dr.example.org": the host of wordpress is also the DR host derived for keycloak (line 12)',
    ]);
  });

  it('requires a host for an app that serves HTTP and a secrets store for one that reads credentials', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: keycloak
      `),
    ).toEqual([
      'environments/test.yaml:5:9 clusters[0].apps[0].host: missing host: keycloak serves HTTP; expected a fully qualified host name such as blog.example.org; given nothing',
      'environments/test.yaml:5:14 clusters[0].apps[0].app: keycloak reads credentials but the environment has no secrets store; expected a top-level "secrets" field such as secrets: {name: vault}; given none',
    ]);
  });

  it('requires dependencies on the same cluster; a twin may depend on an app without twin', () => {
    expect(
      problems(yaml`
        secrets: { name: vault }
        clusters:
          - name: home
            nodes: [{ name: hassio }, { name: remote, taints: [{ key: dedicated, effect: NoSchedule }] }]
            dr: { node: remote }
            apps:
              - app: keycloak
                host: auth.example.org
                dependsOn: [redis, nextcloud]
                dr: true
              - app: redis
      `),
    ).toEqual([
      'environments/test.yaml:9:28 clusters[0].apps[0].dependsOn[1]: keycloak depends on "nextcloud", which is not placed on cluster "home"; expected an app placed on cluster "home": redis; given "nextcloud"',
    ]);
  });

  it('points at the app when a dependency its chart declares is not placed', () => {
    expect(
      problems(yaml`
        secrets: { name: vault }
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            storageClasses:
              - { name: zfs-storage-znvm, provisioner: zfs.csi.openebs.io }
              - { name: zfs-storage-nas, provisioner: zfs.csi.openebs.io }
            apps:
              - app: wordpress
                host: blog.example.org
                storageRoles: { database: zfs-storage-znvm, files: zfs-storage-nas }
      `),
    ).toEqual([
      'environments/test.yaml:9:14 clusters[0].apps[0].app: wordpress depends on "redis" (by its chart), which is not placed on cluster "home"; expected an app placed on cluster "home" (it has none besides wordpress); given "redis"',
    ]);
  });

  it('reports a dependency cycle once, with its path', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: redis
                dependsOn: [keycloak]
              - app: keycloak
                host: auth.example.org
                dependsOn: [redis]
        secrets: { name: vault }
      `),
    ).toEqual(['environments/test.yaml:6:21 clusters[0].apps[0].dependsOn[0]: dependency cycle: redis → keycloak → redis']);
  });

  it('rejects a name that would stop being a DNS-1123 label with the DR suffix', () => {
    const label = 'a'.repeat(61);
    expect(
      problems(yaml`
        secrets: { name: vault }
        dr: { namespace: suffixed }
        clusters:
          - name: home
            nodes: [{ name: hassio }, { name: remote, taints: [{ key: dedicated, effect: NoSchedule }] }]
            dr: { node: remote }
            apps:
              - app: keycloak
                namespace: ${label}
                host: ${label}.example.org
                dr: true
      `),
    ).toEqual([
      `environments/test.yaml:9:20 clusters[0].apps[0].namespace: expected a namespace of at most 60 characters, so that it stays a DNS-1123 label with the DR suffix "-dr"; given "${label}" (61 characters)`,
      `environments/test.yaml:10:15 clusters[0].apps[0].host: expected a first host label of at most 60 characters, so that it stays a DNS-1123 label with the DR suffix "-dr"; given "${label}" (61 characters)`,
    ]);
  });
});
