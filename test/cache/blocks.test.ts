/** Blocks kept between renders: reused exactly while what they read of the input and of the units holds. */
import { describe, expect, it } from 'vitest';
import { BlockCache, type KeptBlock } from '../../lib/cache/blocks';
import { noteUnitRead, trackReads, Verifier, withReads } from '../../lib/cache/reads';

interface Input {
  title: string;
  clusters: { name: string; nodes: string[] }[];
}
const input = (): Input => ({ title: 'Estate', clusters: [{ name: 'a', nodes: ['a-1'] }, { name: 'b', nodes: ['b-1', 'b-2'] }] });

/** One render of a two-block document: a title read outside the blocks, each cluster's nodes and its unit's objects inside. */
function render(kept: Map<string, KeptBlock>, data: Input, entries: ReadonlyMap<string, object>): { text: string; computed: string[]; reused: number } {
  const blocks = new BlockCache(kept, new Verifier(data), (path) => entries.get(path));
  const seen = trackReads(data);
  const text = withReads(blocks.level, () => {
    const title = seen.title;
    return [
      title,
      ...seen.clusters.map((cluster) =>
        blocks.block(`nodes/${cluster.name}`, () => {
          noteUnitRead(`units/${cluster.name}`);
          return `${cluster.name}: ${cluster.nodes.join(', ')}`;
        }),
      ),
    ].join('\n');
  });
  blocks.finish();
  return { text, computed: blocks.computed, reused: blocks.reused };
}

describe('BlockCache', () => {
  const entries = new Map<string, object>([
    ['units/a', {}],
    ['units/b', {}],
  ]);

  it('reuses every block when nothing changed', () => {
    const kept = new Map<string, KeptBlock>();
    expect(render(kept, input(), entries).computed).toEqual(['nodes/a', 'nodes/b']);
    expect(render(kept, input(), entries)).toEqual({ text: 'Estate\na: a-1\nb: b-1, b-2', computed: [], reused: 2 });
  });

  it('computes again the block whose input changed, and only it', () => {
    const kept = new Map<string, KeptBlock>();
    render(kept, input(), entries);
    const changed = input();
    changed.clusters[1]!.nodes.push('b-3');
    expect(render(kept, changed, entries)).toEqual({ text: 'Estate\na: a-1\nb: b-1, b-2, b-3', computed: ['nodes/b'], reused: 1 });
  });

  it('computes again the block whose unit has another entry', () => {
    const kept = new Map<string, KeptBlock>();
    render(kept, input(), entries);
    const rerendered = new Map(entries).set('units/a', {});
    expect(render(kept, input(), rerendered).computed).toEqual(['nodes/a']);
  });

  it('computes every block again when a read outside the blocks changed', () => {
    const kept = new Map<string, KeptBlock>();
    render(kept, input(), entries);
    expect(render(kept, { ...input(), title: 'Other' }, entries).computed).toEqual(['nodes/a', 'nodes/b']);
  });

  it('keeps no block that read a unit the render has no entry for, and forgets blocks not asked for', () => {
    const kept = new Map<string, KeptBlock>();
    render(kept, input(), new Map([['units/a', {}]]));
    expect([...kept.keys()]).toEqual(['nodes/a']);
    render(kept, { ...input(), clusters: [] }, entries);
    expect(kept.size).toBe(0);
  });

  it('does not cache a key asked twice in one render', () => {
    const kept = new Map<string, KeptBlock>();
    const blocks = new BlockCache(kept, new Verifier(input()), (path) => entries.get(path));
    expect(blocks.block('x', () => 'first')).toBe('first');
    expect(blocks.block('x', () => 'second')).toBe('second');
    blocks.finish();
    expect(kept.get('x')?.value).toBe('first');
  });
});
