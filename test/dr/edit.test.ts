import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADDED_STATE_MARK, setAppState, setEnvironmentState, setPlacementState } from '../../lib/dr/edit';
import { HOME_FILE } from '../support/render';

/** A file whose lines are given as an array, to keep indentation visible in the test. */
const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('setEnvironmentState', () => {
  it('replaces the value of dr.state and nothing else, keeping its quotes and comment', () => {
    const text = lines('# head', 'dr:', '  state: standby   # the default', '  suffix: -dr', 'clusters: []');
    expect(setEnvironmentState(text, 'active')).toEqual({
      text: lines('# head', 'dr:', '  state: active   # the default', '  suffix: -dr', 'clusters: []'),
      changes: [{ line: 3, path: 'dr.state', before: 'standby', after: 'active' }],
    });
    expect(setEnvironmentState(lines('dr:', '  state: "standby"'), 'syncing').text).toBe(lines('dr:', '  state: "syncing"'));
    expect(setEnvironmentState(lines('dr:', "  state: 'standby'"), 'syncing').text).toBe(lines('dr:', "  state: 'syncing'"));
  });

  it('changes nothing when the state is in force', () => {
    const text = lines('dr:', '  state: active');
    expect(setEnvironmentState(text, 'active')).toEqual({ text, changes: [] });
  });

  it('inserts state first in a dr mapping without it, at the mapping indentation, marked as added', () => {
    const text = lines('dr:', '    # why the suffix', '    suffix: -dr', 'clusters: []');
    expect(setEnvironmentState(text, 'syncing')).toEqual({
      text: lines('dr:', `    state: syncing ${ADDED_STATE_MARK}`, '    # why the suffix', '    suffix: -dr', 'clusters: []'),
      changes: [{ line: 2, path: 'dr.state', after: 'syncing' }],
    });
    expect(setEnvironmentState(lines('dr: # rules', '  suffix: -dr'), 'active').text).toBe(
      lines('dr: # rules', `  state: active ${ADDED_STATE_MARK}`, '  suffix: -dr'),
    );
  });

  it('inserts state into a flow mapping, marked right after it', () => {
    expect(setEnvironmentState(lines('dr: { suffix: -dr }'), 'active').text).toBe(lines(`dr: { state: active, suffix: -dr } ${ADDED_STATE_MARK}`));
    expect(setEnvironmentState(lines('dr: {}'), 'active').text).toBe(lines(`dr: { state: active } ${ADDED_STATE_MARK}`));
  });

  it('removes a state it added to a flow mapping when going back to standby', () => {
    for (const text of [lines('dr: { suffix: -dr } # why', 'x: 1'), lines('dr: {}'), lines('dr: {suffix: -dr, namespace: same}')]) {
      const activated = setEnvironmentState(text, 'active').text;
      expect(setEnvironmentState(activated, 'standby').text).toBe(text);
      expect(setEnvironmentState(setEnvironmentState(activated, 'syncing').text, 'standby').text).toBe(text);
    }
  });

  it('appends a marked dr block at the end of the top level when there is none, indented like the file', () => {
    expect(setEnvironmentState(lines('clusters:', '    - name: home', '# the end'), 'active')).toEqual({
      text: lines('clusters:', '    - name: home', '# the end', 'dr:', `  state: active ${ADDED_STATE_MARK}`),
      changes: [{ line: 4, path: 'dr.state', after: 'active' }],
    });
    expect(setEnvironmentState(lines('secrets:', '    name: vault'), 'active').text).toBe(
      lines('secrets:', '    name: vault', 'dr:', `    state: active ${ADDED_STATE_MARK}`),
    );
    expect(setEnvironmentState('secrets:\n  name: vault', 'active').text).toBe(`secrets:\n  name: vault\ndr:\n  state: active ${ADDED_STATE_MARK}\n`);
  });

  it('changes nothing to set the default state where the file sets none', () => {
    for (const text of [lines('clusters: []'), lines('dr:', '  suffix: -dr'), lines('dr: { suffix: -dr }')]) {
      expect(setEnvironmentState(text, 'standby')).toEqual({ text, changes: [] });
    }
  });

  it('removes a state line it added when going back to standby, and the dr block it added with it', () => {
    const withoutState = lines('dr:', '  suffix: -dr', 'clusters: []');
    const activated = setEnvironmentState(withoutState, 'active').text;
    expect(setEnvironmentState(activated, 'standby')).toEqual({ text: withoutState, changes: [{ line: 2, path: 'dr.state', before: 'active' }] });
    const withoutDr = lines('# lab', 'clusters: []');
    const synced = setEnvironmentState(setEnvironmentState(withoutDr, 'active').text, 'syncing').text;
    expect(synced).toBe(lines('# lab', 'clusters: []', 'dr:', `  state: syncing ${ADDED_STATE_MARK}`));
    expect(setEnvironmentState(synced, 'standby').text).toBe(withoutDr);
  });

  it('keeps an explicit state line the author wrote: standby replaces the value', () => {
    const text = lines('dr:', '  state: standby', '  suffix: -dr');
    expect(setEnvironmentState(setEnvironmentState(text, 'active').text, 'standby').text).toBe(text);
  });

  it('keeps CRLF line breaks and a UTF-8 byte order mark', () => {
    expect(setEnvironmentState('dr:\r\n  suffix: -dr\r\n', 'active').text).toBe(`dr:\r\n  state: active ${ADDED_STATE_MARK}\r\n  suffix: -dr\r\n`);
    const bom = '\uFEFFdr:\r\n  state: standby\r\nclusters: []\r\n';
    expect(setEnvironmentState(bom, 'active').text).toBe('\uFEFFdr:\r\n  state: active\r\nclusters: []\r\n');
    for (const text of ['\uFEFFclusters: []\r\n', '\uFEFFdr:\r\n  suffix: -dr\r\n']) {
      expect(setEnvironmentState(setEnvironmentState(text, 'active').text, 'standby').text).toBe(text);
    }
  });
});

/** One cluster placing `wordpress` with the given `dr` lines (indented below `dr:` or after it). */
const placing = (dr: string, state = 'standby') =>
  lines(`dr: { state: ${state} }`, 'clusters:', '  - name: home', '    apps:', '      - app: wordpress', `        ${dr}`, '      - app: redis');

describe('setAppState', () => {
  it('turns dr: true into { state: X }, and back when X is the environment state', () => {
    const edited = setAppState(placing('dr: true   # twin on remote'), 'wordpress', 'active', 'standby');
    expect(edited).toEqual({
      text: placing('dr: { state: active }   # twin on remote'),
      changes: [{ line: 6, path: 'clusters[0].apps[0].dr', before: 'true', after: '{ state: active }' }],
    });
    expect(setAppState(edited.text, 'wordpress', 'standby', 'standby')).toEqual({
      text: placing('dr: true   # twin on remote'),
      changes: [{ line: 6, path: 'clusters[0].apps[0].dr', before: '{ state: active }', after: 'true' }],
    });
  });

  it('leaves dr: true alone when X is the environment state already', () => {
    const text = placing('dr: true', 'active');
    expect(setAppState(text, 'wordpress', 'active', 'active')).toEqual({ text, changes: [] });
  });

  it('replaces the state of a block mapping, or removes its line when X is the environment state', () => {
    const block = (state: string) => placing(['dr:', '          identity: production # a clone', `          state: ${state}   # failover`, '          # after state'].join('\n'));
    expect(setAppState(block('active'), 'wordpress', 'syncing', 'standby')).toEqual({
      text: block('syncing'),
      changes: [{ line: 8, path: 'clusters[0].apps[0].dr.state', before: 'active', after: 'syncing' }],
    });
    expect(setAppState(block('active'), 'wordpress', 'standby', 'standby')).toEqual({
      text: placing(['dr:', '          identity: production # a clone', '          # after state'].join('\n')),
      changes: [{ line: 8, path: 'clusters[0].apps[0].dr.state', before: 'active' }],
    });
  });

  it('turns a block mapping holding only the state back into true', () => {
    expect(setAppState(placing('dr:\n          state: active'), 'wordpress', 'standby', 'standby')).toEqual({
      text: placing('dr: true'),
      changes: [{ line: 6, path: 'clusters[0].apps[0].dr', before: 'state: active', after: 'true' }],
    });
  });

  it('inserts the state line into a block mapping without one, after the dr: line', () => {
    const text = placing('dr:\n          # the clone answers as production\n          identity: production');
    const edited = setAppState(text, 'wordpress', 'active', 'standby');
    expect(edited).toEqual({
      text: placing('dr:\n          state: active\n          # the clone answers as production\n          identity: production'),
      changes: [{ line: 7, path: 'clusters[0].apps[0].dr.state', after: 'active' }],
    });
    expect(setAppState(edited.text, 'wordpress', 'standby', 'standby').text).toBe(text);
    expect(setAppState(text, 'wordpress', 'standby', 'standby')).toEqual({ text, changes: [] });
  });

  it('edits flow mappings in place: insert first, replace, remove with its comma', () => {
    const flow = (inner: string) => placing(`dr: { ${inner} }`);
    expect(setAppState(flow('identity: production'), 'wordpress', 'active', 'standby').text).toBe(flow('state: active, identity: production'));
    expect(setAppState(flow('state: active'), 'wordpress', 'syncing', 'standby').text).toBe(flow('state: syncing'));
    expect(setAppState(flow('state: active, identity: production'), 'wordpress', 'standby', 'standby').text).toBe(flow('identity: production'));
    expect(setAppState(flow('identity: production, state: active'), 'wordpress', 'standby', 'standby')).toEqual({
      text: flow('identity: production'),
      changes: [{ line: 6, path: 'clusters[0].apps[0].dr.state', before: 'active' }],
    });
  });

  it('edits every cluster that places the app, changes in file order', () => {
    const text = lines(
      'clusters:',
      '  - name: east',
      '    apps: [{ app: wordpress, dr: true }]',
      '  - name: west',
      '    apps:',
      '      - app: wordpress',
      '        dr: { identity: production }',
    );
    expect(setAppState(text, 'wordpress', 'syncing', 'standby')).toEqual({
      text: lines(
        'clusters:',
        '  - name: east',
        '    apps: [{ app: wordpress, dr: { state: syncing } }]',
        '  - name: west',
        '    apps:',
        '      - app: wordpress',
        '        dr: { state: syncing, identity: production }',
      ),
      changes: [
        { line: 3, path: 'clusters[0].apps[0].dr', before: 'true', after: '{ state: syncing }' },
        { line: 7, path: 'clusters[1].apps[0].dr.state', after: 'syncing' },
      ],
    });
  });

  it('refuses an app without a twin, and an app not placed', () => {
    expect(() => setAppState(placing('dr: false'), 'wordpress', 'active', 'standby')).toThrow(
      'wordpress has no DR twin on cluster home (dr is false)',
    );
    expect(() => setAppState(placing('host: blog.example.org'), 'wordpress', 'active', 'standby')).toThrow(
      'wordpress has no DR twin on cluster home (dr is not set)',
    );
    expect(() => setAppState(placing('dr: { enabled: false }'), 'wordpress', 'active', 'standby')).toThrow(
      'wordpress has no DR twin on cluster home (dr.enabled is false)',
    );
    expect(() => setAppState(placing('dr: true'), 'keycloak', 'active', 'standby')).toThrow('no app "keycloak" is placed');
  });
});

/** Two clusters: east places wordpress and redis (no twin) and keycloak; west places wordpress. */
const twoClusters = (eastWordpress = 'dr: true', westWordpress = 'dr: true') =>
  lines(
    'clusters:',
    '  - name: east',
    '    apps:',
    '      - app: wordpress',
    `        ${eastWordpress}`,
    '      - app: redis',
    '        dr: false',
    '      - app: keycloak',
    '        dr: { identity: production }',
    '  - name: west',
    '    apps:',
    '      - app: wordpress',
    `        ${westWordpress}`,
  );

describe('setPlacementState', () => {
  it('sets every app with a twin on one cluster, skips the twinless one, and leaves the other cluster alone', () => {
    const text = twoClusters();
    const edited = setPlacementState(text, { cluster: 'east' }, 'active', 'standby');
    expect(edited).toEqual({
      text: lines(
        'clusters:',
        '  - name: east',
        '    apps:',
        '      - app: wordpress',
        '        dr: { state: active }',
        '      - app: redis',
        '        dr: false',
        '      - app: keycloak',
        '        dr: { state: active, identity: production }',
        '  - name: west',
        '    apps:',
        '      - app: wordpress',
        '        dr: true',
      ),
      changes: [
        { line: 5, path: 'clusters[0].apps[0].dr', before: 'true', after: '{ state: active }' },
        { line: 9, path: 'clusters[0].apps[2].dr.state', after: 'active' },
      ],
    });
    expect(setPlacementState(edited.text, { cluster: 'east' }, 'standby', 'standby').text).toBe(text);
  });

  it('sets one app on one cluster only', () => {
    const edited = setPlacementState(twoClusters(), { app: 'wordpress', cluster: 'west' }, 'syncing', 'standby');
    expect(edited).toEqual({
      text: twoClusters('dr: true', 'dr: { state: syncing }'),
      changes: [{ line: 13, path: 'clusters[1].apps[0].dr', before: 'true', after: '{ state: syncing }' }],
    });
    expect(setPlacementState(edited.text, { app: 'wordpress', cluster: 'west' }, 'standby', 'standby').text).toBe(twoClusters());
  });

  it('removes a cluster-scoped state where the environment state is the one asked for', () => {
    const text = twoClusters('dr: { state: active }', 'dr: { state: active }');
    expect(setPlacementState(text, { cluster: 'west' }, 'active', 'active')).toEqual({
      text: twoClusters('dr: { state: active }', 'dr: true'),
      changes: [{ line: 13, path: 'clusters[1].apps[0].dr', before: '{ state: active }', after: 'true' }],
    });
  });

  it('refuses a scope with no placement, a named app without a twin, and a cluster without twins', () => {
    expect(() => setPlacementState(twoClusters(), { cluster: 'north' }, 'active', 'standby')).toThrow('no cluster "north" is placed');
    expect(() => setPlacementState(twoClusters(), { app: 'keycloak', cluster: 'west' }, 'active', 'standby')).toThrow(
      'no app "keycloak" on cluster "west" is placed',
    );
    expect(() => setPlacementState(twoClusters(), { app: 'redis', cluster: 'east' }, 'active', 'standby')).toThrow(
      'redis has no DR twin on cluster east (dr is false)',
    );
    expect(() => setPlacementState(twoClusters('dr: true', 'dr: false'), { cluster: 'west' }, 'active', 'standby')).toThrow(
      'no app with a DR twin is placed on cluster "west"',
    );
  });
});

describe('the round trip on environments/home.yaml', () => {
  const home = readFileSync(HOME_FILE, 'utf8');

  it('activate then standby returns the original bytes at the environment level', () => {
    const active = setEnvironmentState(home, 'active');
    // Only the value changed: every other byte, comments included, is where it was.
    const at = home.indexOf('  state: standby\n') + '  state: '.length;
    expect(active.text).toBe(`${home.slice(0, at)}active${home.slice(at + 'standby'.length)}`);
    expect(setEnvironmentState(active.text, 'standby').text).toBe(home);
  });

  it('activate then standby returns the original bytes for every app of the file', () => {
    for (const app of ['wordpress', 'redis', 'keycloak', 'nextcloud']) {
      const active = setAppState(home, app, 'active', 'standby');
      expect(active.changes).toHaveLength(1);
      expect(setAppState(active.text, app, 'standby', 'standby').text).toBe(home);
    }
  });

  it('--app wordpress changes only its dr value', () => {
    const active = setAppState(home, 'wordpress', 'active', 'standby');
    const at = home.indexOf('dr: true', home.indexOf('- app: wordpress')) + 'dr: '.length;
    expect(active.text).toBe(`${home.slice(0, at)}{ state: active }${home.slice(at + 'true'.length)}`);
  });
});
