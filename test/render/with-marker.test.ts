import { describe, expect, it } from 'vitest';
import { MARKER_FILE, MARKER_TEXT } from '../../lib/render/output-folder';
import { withMarker } from '../../lib/render/plan';

describe('withMarker', () => {
  const files = new Map([
    ['a/b.yaml', 'kind: B\n'],
    ['c.yaml', 'kind: C\n'],
  ]);

  it('gives the produced files, then the marker, however it is walked', () => {
    const produced = withMarker(files);
    const all = [['a/b.yaml', 'kind: B\n'], ['c.yaml', 'kind: C\n'], [MARKER_FILE, MARKER_TEXT]];
    expect([...produced]).toEqual(all);
    expect([...produced.entries()]).toEqual(all);
    expect([...produced.keys()]).toEqual(['a/b.yaml', 'c.yaml', MARKER_FILE]);
    expect([...produced.values()]).toEqual(['kind: B\n', 'kind: C\n', MARKER_TEXT]);
    const seen: string[] = [];
    produced.forEach((content, path) => seen.push(`${path}=${String(content)}`));
    expect(seen).toEqual(all.map(([path, content]) => `${path}=${content}`));
    expect(produced.size).toBe(3);
    expect(produced.get(MARKER_FILE)).toBe(MARKER_TEXT);
    expect(produced.has('c.yaml')).toBe(true);
    expect(produced.has('d.yaml')).toBe(false);
  });

  it('ends once, and stays ended', () => {
    const keys = withMarker(new Map()).keys();
    expect(keys.next()).toEqual({ value: MARKER_FILE, done: false });
    expect(keys.next()).toEqual({ value: undefined, done: true });
    expect(keys.next()).toEqual({ value: undefined, done: true });
  });

  it('refuses a produced file at the marker path', () => {
    expect(() => withMarker(new Map([[MARKER_FILE, 'x']]))).toThrow(`${MARKER_FILE} is produced, but it is the marker the writer itself writes`);
  });
});
