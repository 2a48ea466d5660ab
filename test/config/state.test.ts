import { describe, expect, it } from 'vitest';
import { appState, type Environment } from '../../lib/config/environment';
import { parseDrState, withAppState, withEnvironmentState, withStateEverywhere } from '../../lib/config/state';
import { lab, LAB_SPEC } from '../support/environments';

/** `app: state` for every placement, as the variant engine will see it. */
const states = (env: Environment) => Object.fromEntries(env.clusters[0]!.apps.map((placement) => [placement.app, appState(env, placement)]));

/** The lab with keycloak holding its own state. */
const withKeycloakActive = () =>
  lab({
    clusters: LAB_SPEC.clusters.map((cluster) => ({
      ...cluster,
      apps: cluster.apps?.map((placement) =>
        placement.app === 'keycloak' ? { ...placement, dr: { identity: 'production' as const, state: 'active' as const } } : placement,
      ),
    })),
  });

describe('parseDrState', () => {
  it('accepts the three states and names them when given another', () => {
    expect(parseDrState('syncing', 'TWINOPS_DR_STATE')).toBe('syncing');
    expect(() => parseDrState('warm', 'TWINOPS_DR_STATE')).toThrow('TWINOPS_DR_STATE: expected one of standby, syncing, active; given "warm"');
  });
});

describe('withEnvironmentState', () => {
  it('sets the environment state; an app with its own state keeps it', () => {
    const env = withEnvironmentState(withKeycloakActive(), 'syncing');
    expect(env.dr.state).toBe('syncing');
    expect(states(env)).toEqual({ wordpress: 'syncing', redis: 'syncing', keycloak: 'active' });
  });
});

describe('withAppState', () => {
  it('sets one app on its clusters and leaves the others and the environment alone', () => {
    const env = withAppState(lab(), 'wordpress', 'active');
    expect(env.dr.state).toBe('standby');
    expect(states(env)).toEqual({ wordpress: 'active', redis: 'standby', keycloak: 'standby' });
    expect(env.clusters[0]!.apps[0]!.dr).toEqual({ enabled: true, identity: 'own', state: 'active' });
  });

  it('names the placed apps when the app is not placed', () => {
    expect(() => withAppState(lab(), 'nextcloud', 'active')).toThrow(
      'environment lab: no app "nextcloud" is placed; expected one of keycloak, redis, wordpress',
    );
  });
});

describe('withStateEverywhere', () => {
  it('puts the environment and every app in the state, own states included', () => {
    const env = withStateEverywhere(withKeycloakActive(), 'syncing');
    expect(env.dr.state).toBe('syncing');
    expect(states(env)).toEqual({ wordpress: 'syncing', redis: 'syncing', keycloak: 'syncing' });
  });

  it('leaves its input unchanged', () => {
    const input = withKeycloakActive();
    withStateEverywhere(input, 'standby');
    expect(states(input)).toEqual({ wordpress: 'standby', redis: 'standby', keycloak: 'active' });
  });
});
