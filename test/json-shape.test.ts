/** sharedShape: a copy of a cdk8s-made object that V8 keeps in a hidden class shared by its kind. */
import { describe, expect, it } from 'vitest';
import { sharedShape } from '../lib/json';
import { retainedBytes } from './support/heap';

/** Enough objects that what else the process allocates meanwhile is lost in the measure (see flat.test.ts). */
const COUNT = 20_000;
const GVK = { apiVersion: 'v1', kind: 'Namespace' } as const;
/** As the classes cdk8s-cli and cdk8s-plus-28 generate make an object's JSON: `{ ...GVK, ...props }`. */
const asGenerated = (seed: number): Record<string, unknown> => ({ ...GVK, ...{ metadata: { name: `ns-${seed}` } } });

describe('sharedShape', () => {
  it('copies the keys in their order, values as they are', () => {
    const metadata = { name: 'a' };
    const object = { kind: 'K', apiVersion: 'v1', metadata, '1': 'one' };
    const copy = sharedShape(object);
    expect(copy).not.toBe(object);
    expect(Object.keys(copy)).toEqual(Object.keys(object));
    expect(copy).toEqual(object);
    expect(copy.metadata).toBe(metadata);
  });

  it('keeps objects made as the generated classes make them in far less heap than they take themselves', () => {
    // The metadata is shared by both measures: what differs is each top object and its hidden class.
    const metadata = Array.from({ length: COUNT }, (_, seed) => ({ name: `ns-${seed}` }));
    const made = (seed: number) => ({ ...GVK, ...{ metadata: metadata[seed] } });
    expect(made(0)).toEqual(asGenerated(0));
    const own = retainedBytes(() => Array.from({ length: COUNT }, (_, seed) => made(seed))) / COUNT;
    const shared = retainedBytes(() => Array.from({ length: COUNT }, (_, seed) => sharedShape(made(seed)))) / COUNT;
    // Each generated object has a hidden class of its own (120-190 bytes more, measured: how many
    // V8 shares depends on its inline caches' state); a shared one costs the object only.
    expect(shared).toBeLessThan(80);
    expect(own - shared).toBeGreaterThan(60);
  });
});
