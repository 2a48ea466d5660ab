import { describe, expect, it } from 'vitest';
import { problems, yaml } from './support';

const LABEL =
  "a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";

describe('schema problems', () => {
  it('names an unknown field, where its key is, with the allowed field names', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: redis
                replica: 2
      `),
    ).toEqual([
      'environments/test.yaml:6:9 clusters[0].apps[0].replica: unknown field "replica" (did you mean "replicas"?); expected one of app, namespace, host, replicas, dependsOn, storageRoles, dr',
    ]);
  });

  it('says which type was expected and what was given', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: redis
                replicas: three
      `),
    ).toEqual(['environments/test.yaml:6:19 clusters[0].apps[0].replicas: expected integer; given "three"']);
  });

  it('lists the DR states instead of a cascade of union errors', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }, { name: remote, taints: [{ key: dedicated, effect: NoSchedule }] }]
            dr: { node: remote }
            apps:
              - app: redis
                dr:
                  state: warm
      `),
    ).toEqual(['environments/test.yaml:8:18 clusters[0].apps[0].dr.state: expected one of standby, syncing, active; given "warm"']);
  });

  it('gives one message for a dr field that is neither a boolean nor a mapping', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: redis
                dr: yes
      `),
    ).toEqual([
      'environments/test.yaml:6:13 clusters[0].apps[0].dr: expected true, false or a mapping with fields enabled, identity, host, state, cluster; given "yes"',
    ]);
  });

  it('explains a bad DNS-1123 label in words', () => {
    expect(
      problems(yaml`
        clusters:
          - name: Home_Lab
            nodes: [{ name: hassio }]
      `),
    ).toEqual([`environments/test.yaml:2:11 clusters[0].name: expected ${LABEL}; given "Home_Lab"`]);
  });

  it('reports a label that is too long once, with the same words', () => {
    const long = 'a'.repeat(64);
    expect(problems(`clusters:\n  - name: ${long}\n    nodes: [{ name: hassio }]\n`)).toEqual([
      `environments/test.yaml:2:11 clusters[0].name: expected ${LABEL}; given "${long}"`,
    ]);
  });

  it('explains a bad host name with an example', () => {
    expect(
      problems(yaml`
        secrets: { name: vault }
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: keycloak
                host: https://auth.example.org
      `),
    ).toEqual([
      'environments/test.yaml:7:15 clusters[0].apps[0].host: expected a fully qualified host name such as blog.example.org; given "https://auth.example.org"',
    ]);
  });

  it('explains a bad duration with examples', () => {
    expect(problems('gitops:\n  interval: 10 minutes\nclusters: [{ name: home, nodes: [{ name: hassio }] }]\n')).toEqual([
      'environments/test.yaml:2:13 gitops.interval: expected a duration such as 10m or 1h30m; given "10 minutes"',
    ]);
  });

  it('points at the parent of a missing required field', () => {
    expect(
      problems(yaml`
        # no clusters yet
        description: empty
      `),
    ).toEqual(['environments/test.yaml:2:1 clusters: missing required field; expected a non-empty list']);
  });

  it('describes the missing field in words when it has a pattern', () => {
    expect(problems('clusters:\n  - name: home\n    capi: { infrastructure: docker, controlPlane: kubeadm, pods: 192.168.0.0/20, services: 10.128.0.0/16 }\n')).toEqual([
      'environments/test.yaml:3:11 clusters[0].capi.kubernetes: missing required field; expected a Kubernetes version such as v1.34.0 (kubeadm) or v1.33.1+rke2r1 (rke2)',
    ]);
  });

  it('asks for exactly one DR target, naming what was given', () => {
    const withDr = (dr: string) => problems(`clusters:\n  - name: home\n    nodes: [{ name: hassio }]\n    dr: ${dr}\n`);
    expect(withDr('{}')).toEqual(['environments/test.yaml:4:9 clusters[0].dr: expected exactly one of node, cluster; given none']);
    expect(withDr('{ node: hassio, cluster: away }')).toEqual([
      'environments/test.yaml:4:9 clusters[0].dr: expected exactly one of node, cluster; given both node and cluster',
    ]);
    // An unknown key is said once, as unknown, not also as one key too many.
    expect(withDr('{ node: hassio, nod: away }')).toEqual([
      'environments/test.yaml:4:17 clusters[0].dr.node: DR node "hassio" is the only node of cluster "home", where prod runs: the twins would share the failure domain of prod and go down with it; expected a node of its own for the twins (add it to the nodes of the cluster); given "hassio"',
      'environments/test.yaml:4:25 clusters[0].dr.nod: unknown field "nod" (did you mean "node"?); expected one of node, cluster',
    ]);
  });

  it('says what a file must hold when it is empty', () => {
    expect(problems('# nothing here\n')).toEqual([
      'environments/test.yaml:1:1 expected a mapping with fields description, gitops, secrets, dr, capi, addons, clusters; given an empty document',
    ]);
  });

  it('gives the range of a bounded integer and the earlier position of a repeated item', () => {
    expect(
      problems(yaml`
        secrets: { name: vault }
        clusters:
          - name: home
            nodes: [{ name: hassio }]
            apps:
              - app: redis
                replicas: 300
              - app: keycloak
                host: auth.example.org
                dependsOn: [redis, redis]
      `),
    ).toEqual([
      'environments/test.yaml:7:19 clusters[0].apps[0].replicas: expected an integer from 0 to 100; given 300',
      'environments/test.yaml:10:28 clusters[0].apps[1].dependsOn[1]: expected each item once; given "redis" twice (also at clusters[0].apps[1].dependsOn[0])',
    ]);
  });

  it('reports an empty list that needs items', () => {
    expect(problems('clusters: []\n')).toEqual(['environments/test.yaml:1:11 clusters: expected at least 1 item; given an empty list']);
  });
});
