/** What a tracked computation notes of its input, and when a later input still answers the same. */
import { describe, expect, it } from 'vitest';
import { deepFreeze, intern } from '../../lib/cache/intern';
import { retainedBytes } from '../support/heap';
import { childPath, noteUnitRead, observe, observeKeys, ReadSet, recordedMemo, ROOT_PATH, sharedPath, trackReads, Verifier, withReads } from '../../lib/cache/reads';

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

describe('sealed reads', () => {
  it('keep a set of one read in a few hundred bytes: arrays of their size, no typed arrays or Sets', () => {
    const input = deepFreeze({ value: 'x', shared: { name: 'memo' } });
    const memo = new Map<string, { readonly value: string; readonly reads: ReadSet }>();
    const sets = 2_000;
    const kept = retainedBytes(() =>
      Array.from({ length: sets }, (_, i) => {
        const set = new ReadSet();
        withReads(set, () => {
          const data = trackReads(input);
          noteUnitRead(`home/home/apps/app-${i % 4}/prod`);
          return [data.value, recordedMemo(memo, 'shared', () => data.shared.name)];
        });
        return set;
      }),
    );
    // Grown by push and packed in typed arrays, Sets for includes and units, each took 1.7 KB.
    expect(kept / sets).toBeLessThan(700);
    const set = new ReadSet();
    withReads(set, () => [trackReads(input).value, recordedMemo(memo, 'shared', () => 'unused')]);
    expect([...set.reads()].map((read) => `${read.op} ${read.key} = ${read.seen}`)).toEqual(['get value = sx']);
    expect([...set.includes()]).toHaveLength(1);
  });

  it('keep one string per value observed, however many reads saw it', () => {
    const sets = 1_000;
    const fields = 50;
    const keptReading = (value: unknown) => {
      const input = Object.fromEntries(Array.from({ length: fields }, (_, i) => [`field${i}`, value]));
      return retainedBytes(() =>
        Array.from({ length: sets }, () => {
          const set = new ReadSet();
          withReads(set, () => Object.keys(input).map((key) => trackReads(input)[key]));
          return set;
        }),
      );
    };
    // What `value`'s reads keep beyond those of booleans, the least of three tries: the heap's
    // noise (code V8 optimizes meanwhile) is ±70 KB alone and once passed 400 KB in a loaded full
    // run, while one string a read adds its 1.2 MB to every try.
    const keptBeyondBooleans = (value: unknown) => Math.min(...[1, 2, 3].map(() => keptReading(value) - keptReading(true)));
    // A short string value is observed as a new short string (`s${value}`), 24-32 bytes a read
    // when each read keeps its own; a boolean as a one-letter string V8 keeps once.
    expect(keptBeyondBooleans('blog-host')).toBeLessThan(sets * fields * 8);
    // So are small integers (replicas, ports, indexes) and methods read through a tracked array.
    expect(keptBeyondBooleans(443)).toBeLessThan(sets * fields * 8);
    expect(keptBeyondBooleans(() => 1)).toBeLessThan(sets * fields * 8);
  });

  it('observe numbers and methods exactly as before their strings were kept once', () => {
    expect([0, 2, 1023, 1024, -1, 2.5, -0, 1e21, Number.NaN].map(observe)).toEqual(['d0', 'd2', 'd1023', 'd1024', 'd-1', 'd2.5', 'd-0', 'd1e+21', 'dNaN']);
    expect(observe(() => 1)).toBe('xfunction');
    expect(observe(Symbol('s'))).toBe('xsymbol');
  });
});

describe('ReadSet.shareLists', () => {
  it('gives two sets of the same reads one list of keys, observations and ends, and keeps every read as it was', () => {
    const lists = new Map<string, readonly unknown[]>();
    const share = <L extends readonly unknown[]>(list: L): L => {
      const key = JSON.stringify(list);
      const known = lists.get(key);
      if (known !== undefined) return known as L;
      lists.set(key, list);
      return list;
    };
    const setOf = (data: Input) => {
      const set = new ReadSet();
      withReads(set, () => trackReads(data).clusters.map((cluster) => [cluster.name, cluster.apps.length]));
      return set;
    };
    const first = setOf(input());
    const second = setOf(input());
    const before = [...second.reads()];
    first.shareLists(share);
    second.shareLists(share);
    expect(second.packed().keys).toBe(first.packed().keys);
    expect(second.packed().seen).toBe(first.packed().seen);
    expect(second.packed().ends).toBe(first.packed().ends);
    expect([...second.reads()]).toEqual(before);
    expect(new Verifier(input()).holds(second)).toBe(true);
    const renamed = input();
    renamed.clusters[1]!.name = 'z';
    expect(new Verifier(renamed).holds(second)).toBe(false);
  });
});

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

describe('paths', () => {
  it('gives one array per path, shared by the reads of every render and by paths loaded from a file', () => {
    const first = readsOf((data) => data.clusters[0]?.apps[0]?.host).set;
    const second = readsOf((data) => data.clusters[0]?.apps[0]?.host).set;
    const hostPath = (set: ReadSet) => [...set.reads()].find((read) => read.key === 'host')?.at;
    expect(hostPath(first)).toBe(hostPath(second));
    expect(hostPath(first)).toBe(sharedPath(['clusters', '0', 'apps', '0']));
    expect(sharedPath(['clusters', '0'])).toBe(childPath(childPath(ROOT_PATH, 'clusters'), '0'));
    expect(Object.isFrozen(sharedPath(['clusters']))).toBe(true);
    expect(sharedPath([])).toBe(ROOT_PATH);
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

describe('ReadSet.everyRead, frozen objects', () => {
  /** `set`'s reads checked against `root`: whether they hold, and how many were checked one by one. */
  function check(set: ReadSet, root: object): { holds: boolean; checked: number } {
    let checked = 0;
    const holds = set.everyRead(
      (path) => path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], root),
      (target, op, key, seen) => {
        checked += 1;
        const object = target as Record<string, unknown>;
        return (op === 'get' ? observe(object[key]) : op === 'has' ? (key in object ? 't' : 'f') : observeKeys(object)) === seen;
      },
    );
    return { holds, checked };
  }

  it('settles the reads of a frozen object still at their path without checking them, and checks them of an equal copy', () => {
    const data = deepFreeze(input());
    const set = new ReadSet();
    withReads(set, () => trackReads(data).clusters[0]?.apps[0]?.host);
    expect(set.size).toBe(5);
    expect(check(set, data)).toEqual({ holds: true, checked: 0 });
    // An equal copy is another object: each of its reads is checked (`clusters`, `0`, `apps`, `0`, `host`).
    const copy = deepFreeze(input());
    expect(check(set, copy)).toEqual({ holds: true, checked: 5 });
    // Found to hold of the copy, frozen: the copy now settles them at once.
    expect(check(set, copy)).toEqual({ holds: true, checked: 0 });
  });

  it('checks every read of an object that is not frozen, even when it is the object read', () => {
    const data = input();
    const set = new ReadSet();
    withReads(set, () => trackReads(data).clusters[0]?.apps[0]?.host);
    expect(check(set, data)).toEqual({ holds: true, checked: 5 });
    expect(check(set, data)).toEqual({ holds: true, checked: 5 });
  });

  it('fails on a changed value of a shared environment, and holds for the parts it shares', () => {
    const data = deepFreeze(input());
    const set = new ReadSet();
    withReads(set, () => [trackReads(data).clusters[0]?.apps[0]?.host, trackReads(data).clusters[1]?.name]);
    const next = input();
    next.clusters[0]!.apps[0]!.host = 'journal.example.org';
    const shared = intern(data, next);
    expect(new Verifier(shared).holds(set)).toBe(false);
    // Another app on the first cluster: a changed part, but none of its reads changed.
    const unread = input();
    unread.clusters[0]!.apps.push({ app: 'keycloak' });
    const sharedUnread = intern(data, unread);
    expect(sharedUnread.clusters[1]).toBe(data.clusters[1]);
    expect(new Verifier(sharedUnread).holds(set)).toBe(true);
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
