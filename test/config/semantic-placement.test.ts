import { describe, expect, it } from 'vitest';
import { lab, load } from './lab';
import { problems, yaml } from './support';

const TAINT = 'taints: [{ key: role, value: dr, effect: NoExecute }]';
const withBravo = (lines: string) => ['      - name: bravo\n', `      - name: bravo\n${lines}`] as const;
const NEEDS_TAINT =
  'DR node "bravo" needs a taint that prod pods do not tolerate, or prod pods can be scheduled on it; expected a taint with effect NoSchedule or NoExecute, such as {key: dedicated, value: bravo, effect: NoSchedule}';

describe('DR placement', () => {
  it('refuses a DR node that a prod storage class is pinned to', () => {
    expect(problems(lab(['dr: { node: bravo }', 'dr: { node: alpha }']))).toEqual([
      'environments/test.yaml:11:17 clusters[0].dr.node: DR node "alpha" is where prod storage class "zfs-storage-znvm" keeps its volumes (line 15): the twins would share the failure domain of prod and go down with it; expected a node that no prod storage class is pinned to; given "alpha"',
    ]);
  });

  it('refuses the only node of a cluster as its DR node', () => {
    const text = yaml`
      clusters:
        - name: solo
          nodes:
            - name: one
              taints: [{ key: role, value: dr, effect: NoExecute }]
          dr: { node: one }
    `;
    expect(problems(text)).toEqual([
      'environments/test.yaml:6:17 clusters[0].dr.node: DR node "one" is the only node of cluster "solo", where prod runs: the twins would share the failure domain of prod and go down with it; expected a node of its own for the twins (add it to the nodes of the cluster); given "one"',
    ]);
  });

  it('says nothing more of an unknown DR node than that it is unknown', () => {
    expect(problems(lab(['dr: { node: bravo }', 'dr: { node: charlie }']))).toEqual([
      'environments/test.yaml:11:17 clusters[0].dr.node: unknown node "charlie"; expected a node of cluster "lab": alpha, bravo',
    ]);
  });

  it('refuses empty labels on the DR node: twins would get nodeSelector: {}', () => {
    expect(problems(lab(withBravo('        labels: {}\n')))).toEqual([
      'environments/test.yaml:10:17 clusters[0].nodes[1].labels: the labels of DR node "bravo" are every twin\'s nodeSelector, and an empty nodeSelector selects every node: twins could run on prod nodes; expected a label that only "bravo" carries, such as kubernetes.io/hostname: bravo; given {}',
    ]);
  });

  it('refuses a DR node labelled with the prod node’s host name', () => {
    expect(problems(lab(withBravo('        labels: { kubernetes.io/hostname: alpha }\n')))).toEqual([
      'environments/test.yaml:10:17 clusters[0].nodes[1].labels: the labels of DR node "bravo" are every twin\'s nodeSelector, and node "alpha" (line 8) carries them too: twins could run there; expected a label that only "bravo" carries, such as kubernetes.io/hostname: bravo; given {kubernetes.io/hostname: alpha}',
    ]);
  });

  it('refuses DR labels that another node carries among its own', () => {
    const text = lab(
      ['      - name: alpha\n', '      - name: alpha\n        labels: { role: dr, kubernetes.io/hostname: alpha }\n'],
      withBravo('        labels: { role: dr }\n'),
    );
    expect(problems(text)).toEqual([
      'environments/test.yaml:11:17 clusters[0].nodes[1].labels: the labels of DR node "bravo" are every twin\'s nodeSelector, and node "alpha" (line 8) carries them too: twins could run there; expected a label that only "bravo" carries, such as kubernetes.io/hostname: bravo; given {role: dr}',
    ]);
  });

  it('refuses a DR node without a NoSchedule or NoExecute taint', () => {
    expect(problems(lab([TAINT, 'taints: []']))).toEqual([`environments/test.yaml:10:17 clusters[0].nodes[1].taints: ${NEEDS_TAINT}; given no taint`]);
    expect(problems(lab([`\n        ${TAINT}`, '']))).toEqual([`environments/test.yaml:9:15 clusters[0].nodes[1].name: ${NEEDS_TAINT}; given no taint`]);
    expect(problems(lab(['effect: NoExecute', 'effect: PreferNoSchedule']))).toEqual([
      `environments/test.yaml:10:17 clusters[0].nodes[1].taints: ${NEEDS_TAINT}; given PreferNoSchedule taints only`,
    ]);
  });

  it('accepts a NoSchedule taint as well as NoExecute', () => {
    expect(load(lab(['effect: NoExecute', 'effect: NoSchedule'])).clusters[0]?.dr?.node).toBe('bravo');
  });

  it('refuses a class mapped to itself for DR when it is pinned to a prod node', () => {
    const text = lab(['    local-path: local-path\n', '    local-path: local-path\n    zfs-storage-znvm: zfs-storage-znvm\n']);
    expect(problems(text)).toEqual([
      'environments/test.yaml:5:23 dr.storageClasses.zfs-storage-znvm: the twins on cluster "lab" keep claiming "zfs-storage-znvm" (mapped to itself), and it is pinned to node "alpha" (line 16), not to DR node "bravo": twin volumes would live beside prod\'s; expected a DR class unpinned or pinned to "bravo"; given "zfs-storage-znvm"',
    ]);
  });

  const declaredTwin = (node: string) =>
    lab(['        provisioner: rancher.io/local-path\n', `        provisioner: rancher.io/local-path\n      - name: zfs-storage-nas-dr\n        provisioner: zfs.csi.openebs.io\n        node: ${node}\n`]);

  it('refuses a declared DR class pinned to a node other than the DR node', () => {
    expect(problems(declaredTwin('alpha'))).toEqual([
      'environments/test.yaml:26:15 clusters[0].storageClasses[3].node: the twins on cluster "lab" claim "zfs-storage-nas-dr" instead of "zfs-storage-nas", and it is pinned to node "alpha", not to DR node "bravo": twin volumes would live beside prod\'s; expected a DR class unpinned or pinned to "bravo"; given "zfs-storage-nas-dr"',
    ]);
  });

  it('accepts a declared DR class pinned to the DR node, and an unpinned class mapped to itself', () => {
    const env = load(declaredTwin('bravo'));
    expect(env.clusters[0]?.storageClasses.map((sc) => [sc.name, sc.node])).toEqual([
      ['zfs-storage-znvm', 'alpha'],
      ['zfs-storage-nas', 'alpha'],
      ['local-path', undefined],
      ['zfs-storage-nas-dr', 'bravo'],
    ]);
    expect(env.dr.storageClasses).toEqual({ 'local-path': 'local-path' });
  });
});
