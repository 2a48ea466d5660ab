/** What a tracked computation notes of its input, and when a later input still answers the same. */
import { describe, expect, it } from 'vitest';
import { noteUnitRead, ReadSet, recordedMemo, trackReads, Verifier, withReads } from '../../lib/cache/reads';

interface Input {
  name: string;
  clusters: { name: string; apps: { app: string; host?: string }[] }[];
}
const input = (): Input => ({ name: 'home', clusters: [{ name: 'a', apps: [{ app: 'wordpress', host: 'blog.example.org' }] }, { name: 'b', apps: [] }] });

/** The reads `work` makes of a tracked copy of `input()`, as `path op key = seen`. */
function readsOf(work: (data: Input) => unknown): { set: ReadSet; lines: string[] } {
  const set = new ReadSet();
  withReads(set, () => work(trackReads(input())));
  return { set, lines: [...set.reads()].map((read) => `${read.at.join('.')} ${read.op} ${read.key} = ${read.seen}`) };
}

describe('trackReads', () => {
  it('notes each value read once, objects by kind and primitives exactly', () => {
    const { lines } = readsOf((data) => [data.clusters[0]?.apps[0]?.host, data.clusters[0]?.apps[0]?.host]);
    expect(lines.sort()).toEqual([' get clusters = a', 'clusters get 0 = o', 'clusters.0 get apps = a', 'clusters.0.apps get 0 = o', 'clusters.0.apps.0 get host = sblog.example.org']);
  });

  it('notes iteration (length and items), presence and key lists', () => {
    const { lines } = readsOf((data) => [data.clusters.map((cluster) => cluster.name), 'host' in (data.clusters[1] ?? {}), Object.keys(data)]);
    expect(lines).toContain('clusters get length = d2');
    expect(lines).toContain('clusters.1 get name = sb');
    expect(lines).toContain('clusters.1 has host = f');
    expect(lines).toContain(' keys  = ["name","clusters"]');
  });

  it('keeps arrays arrays and refuses writes', () => {
    const data = trackReads(input());
    expect(Array.isArray(data.clusters)).toBe(true);
    expect(JSON.stringify(data)).toBe(JSON.stringify(input()));
    expect(() => {
      (data as { name: string }).name = 'other';
    }).toThrow('the environment is read-only while it is rendered (at its root)');
  });
});

describe('Verifier', () => {
  it('holds while every read answers the same, and fails on a changed value, length or key', () => {
    const { set } = readsOf((data) => [data.clusters[0]?.apps[0]?.host, data.clusters.length, 'dr' in data]);
    expect(new Verifier(input()).holds(set)).toBe(true);
    const otherHost = input();
    otherHost.clusters[0]!.apps[0]!.host = 'journal.example.org';
    expect(new Verifier(otherHost).holds(set)).toBe(false);
    const moreClusters = input();
    moreClusters.clusters.push({ name: 'c', apps: [] });
    expect(new Verifier(moreClusters).holds(set)).toBe(false);
    expect(new Verifier({ ...input(), dr: {} }).holds(set)).toBe(false);
    // A value nobody read may change.
    const otherUnread = input();
    otherUnread.clusters[1]!.name = 'z';
    expect(new Verifier(otherUnread).holds(set)).toBe(true);
  });
});

describe('Verifier, string values', () => {
  it('fails on a string of the same length, a value that became a number of the same text, or a string that became its prefix', () => {
    const { set } = readsOf((data) => data.clusters[0]?.apps[0]?.host);
    const variants: unknown[] = ['blog.example.orG', 'blog.example.or', 'xblog.example.org', 42, undefined];
    for (const host of variants) {
      const changed = input();
      (changed.clusters[0]!.apps[0] as { host?: unknown }).host = host;
      expect(new Verifier(changed).holds(set), String(host)).toBe(false);
    }
    const { set: numeric } = readsOf((data) => (data as unknown as { name: unknown }).name);
    const asNumber = { ...input(), name: 1 };
    const asString = { ...input(), name: '1' };
    expect(new Verifier(asNumber).holds(numeric)).toBe(false);
    const { set: fromNumber } = (() => {
      const reads = new ReadSet();
      withReads(reads, () => trackReads(asNumber).name);
      return { set: reads };
    })();
    expect(new Verifier(asString).holds(fromNumber)).toBe(false);
    expect(new Verifier(asNumber).holds(fromNumber)).toBe(true);
  });
});

describe('ReadSet, sealed', () => {
  it('keeps every read when packed on leaving withReads, and a read noted later unpacks it first', () => {
    const data = trackReads(input());
    const set = new ReadSet();
    withReads(set, () => [data.clusters[0]?.apps[0]?.host, data.clusters.length]);
    const packed = [...set.reads()].map((read) => `${read.at.join('.')} ${read.op} ${read.key} = ${read.seen}`);
    expect(packed).toContain('clusters.0.apps.0 get host = sblog.example.org');
    expect(set.size).toBe(packed.length);
    // Noted into again: the earlier reads stay, the new one joins them.
    withReads(set, () => data.clusters[1]?.name);
    expect([...set.reads()].map((read) => `${read.at.join('.')} ${read.op} ${read.key} = ${read.seen}`).sort()).toEqual([...packed, 'clusters get 1 = o', 'clusters.1 get name = sb'].sort());
    const otherHost = input();
    otherHost.clusters[0]!.apps[0]!.host = 'journal.example.org';
    expect(new Verifier(otherHost).holds(set)).toBe(false);
    const otherName = input();
    otherName.clusters[1]!.name = 'z';
    expect(new Verifier(otherName).holds(set)).toBe(false);
    expect(new Verifier(input()).holds(set)).toBe(true);
  });
});

describe('unit reads', () => {
  it('notes the units whose objects a computation read, its shared reads\' included', () => {
    const memo = new Map<string, { value: number; reads: ReadSet }>();
    const outer = new ReadSet();
    withReads(outer, () => {
      noteUnitRead('home/home/apps/wordpress/prod');
      recordedMemo(memo, 'redis', () => {
        noteUnitRead('home/home/apps/redis/prod');
        return 1;
      });
    });
    expect([...outer.unitsRead()].sort()).toEqual(['home/home/apps/redis/prod', 'home/home/apps/wordpress/prod']);
  });
});

describe('recordedMemo', () => {
  it('makes every user of a shared value depend on what computing it read', () => {
    const memo = new Map<string, { value: string | undefined; reads: ReadSet }>();
    const data = trackReads(input());
    const first = new ReadSet();
    const second = new ReadSet();
    const hostOf = () => recordedMemo(memo, 'host', () => data.clusters[0]?.apps[0]?.host);
    expect(withReads(first, hostOf)).toBe('blog.example.org');
    expect(withReads(second, hostOf)).toBe('blog.example.org');
    expect(second.size).toBe(0);
    const changed = input();
    changed.clusters[0]!.apps[0]!.host = 'journal.example.org';
    expect(new Verifier(changed).holds(first)).toBe(false);
    expect(new Verifier(changed).holds(second)).toBe(false);
    expect(new Verifier(input()).holds(second)).toBe(true);
  });
});
