/** Structural sharing between two loads of an environment: equal parts become the same objects. */
import { describe, expect, it } from 'vitest';
import { deepFreeze, intern } from '../../lib/cache/intern';

const load = () => ({
  name: 'home',
  clusters: [
    { name: 'a', apps: [{ app: 'wordpress', host: 'blog.example.org' }] },
    { name: 'b', apps: [{ app: 'keycloak', host: 'sso.example.org' }] },
  ],
  dr: { state: 'standby' },
});

describe('intern', () => {
  it('gives back the previous data itself when the new load is equal, everything frozen', () => {
    const previous = deepFreeze(load());
    expect(intern(previous, load())).toBe(previous);
    expect(Object.isFrozen(previous.clusters[1]!.apps[0])).toBe(true);
  });

  it('shares every unchanged part and keeps the changed path new', () => {
    const previous = deepFreeze(load());
    const next = load();
    next.clusters[1]!.apps[0]!.host = 'id.example.org';
    const shared = intern(previous, next);
    expect(shared).toBe(next);
    expect(shared.clusters).not.toBe(previous.clusters);
    expect(shared.clusters[1]).not.toBe(previous.clusters[1]);
    expect(shared.clusters[1]!.apps[0]).not.toBe(previous.clusters[1]!.apps[0]);
    expect(shared.clusters[0]).toBe(previous.clusters[0]);
    expect(shared.dr).toBe(previous.dr);
    expect(shared.clusters[1]!.apps[0]!.host).toBe('id.example.org');
    expect(Object.isFrozen(shared.clusters[1]!.apps[0])).toBe(true);
    expect(Object.isFrozen(shared)).toBe(true);
  });

  it('does not share an object whose keys came in another order, or an array that became an object', () => {
    const previous = deepFreeze({ dr: { state: 'standby', suffix: '-dr' }, list: [1, 2] });
    const next = intern(previous, { dr: { suffix: '-dr', state: 'standby' }, list: { 0: 1, 1: 2 } });
    expect(next.dr).not.toBe(previous.dr);
    expect(Object.keys(next.dr)).toEqual(['suffix', 'state']);
    expect(next.list).not.toBe(previous.list);
    expect(Array.isArray(next.list)).toBe(false);
  });

  it('does not share an array that lost its last item, or an object that gained a key', () => {
    const previous = deepFreeze(load());
    const shorter = load();
    shorter.clusters.pop();
    expect(intern(previous, shorter).clusters).not.toBe(previous.clusters);
    const wider = { ...load(), dr: { state: 'standby', suffix: '-dr' } };
    const shared = intern(previous, wider);
    expect(shared.dr).not.toBe(previous.dr);
    expect(shared.clusters).toBe(previous.clusters);
  });

  it('freezes the parts of frozen data it cannot replace', () => {
    const constant = Object.freeze({ versions: { core: 'v1.8.0' } });
    const shared = intern(deepFreeze({ capi: { versions: { core: 'v1.8.0' } } }), { capi: constant });
    expect(shared.capi).toBe(constant);
    expect(Object.isFrozen(constant.versions)).toBe(true);
  });
});
