import { describe, expect, it } from 'vitest';
import { withAppState, withEnvironmentState } from '../../lib/config/state';
import { alignColumns, environmentStatus, formatStatus, summarizeStatus } from '../../lib/dr/status';
import { lab, LAB_SPEC } from '../support/environments';

describe('environmentStatus', () => {
  it('reads state, identity, replicas and hosts of every twin from the variant engine', () => {
    expect(environmentStatus(lab())).toEqual({
      environment: 'lab',
      state: 'standby',
      withoutTwin: 0,
      twins: [
        {
          cluster: 'home',
          twinCluster: 'home',
          app: 'wordpress',
          state: 'standby',
          ownState: false,
          identity: 'own',
          prodReplicas: 1,
          drReplicas: 1,
          prodHost: 'blog.example.org',
          drHost: 'blog-dr.example.org',
          twinHost: 'blog-dr.example.org',
        },
        { cluster: 'home', twinCluster: 'home', app: 'redis', state: 'standby', ownState: false, identity: 'own', prodReplicas: 1, drReplicas: 1 },
        {
          cluster: 'home',
          twinCluster: 'home',
          app: 'keycloak',
          state: 'standby',
          ownState: false,
          identity: 'production',
          prodReplicas: 1,
          drReplicas: 1,
          prodHost: 'keycloak.example.org',
          drHost: 'keycloak-dr.example.org',
          twinHost: 'keycloak.example.org',
        },
      ],
    });
  });

  it('shows an app in its own state, a syncing twin at zero replicas and an active twin as production', () => {
    const env = withAppState(withEnvironmentState(lab(), 'syncing'), 'wordpress', 'active');
    const status = environmentStatus(env);
    expect(formatStatus(status)).toEqual([
      'CLUSTER  APP        STATE         IDENTITY    REPLICAS  PROD HOST             DR HOST                  TWIN HOST',
      'home     wordpress  active (app)  own         1/1       blog.example.org      blog-dr.example.org      blog.example.org',
      'home     redis      syncing       own         1/0       -                     -                        -',
      'home     keycloak   syncing       production  1/0       keycloak.example.org  keycloak-dr.example.org  keycloak.example.org',
    ]);
    expect(summarizeStatus(status)).toBe('lab is syncing: 3 twin(s) on 1 cluster(s): 0 standby, 2 syncing, 1 active');
  });

  it('counts the apps placed without a twin', () => {
    const env = lab({
      clusters: LAB_SPEC.clusters.map((cluster) => ({
        ...cluster,
        apps: cluster.apps?.map((placement) => (placement.app === 'redis' ? { ...placement, dr: false } : placement)),
      })),
    });
    expect(summarizeStatus(environmentStatus(env))).toBe(
      'lab is standby: 2 twin(s) on 1 cluster(s): 2 standby, 0 syncing, 0 active; 1 app(s) without twin',
    );
  });
});

describe('alignColumns', () => {
  it('pads each column to its widest cell and trims the line end', () => {
    expect(alignColumns([['a', 'bbb', ''], ['cc', 'd', 'e']])).toEqual(['a   bbb', 'cc  d    e']);
  });
});
