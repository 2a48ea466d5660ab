/** The render cache's layout memo: the same files as a layout without it, and every check still made when paths change. */
import { describe, expect, it } from 'vitest';
import type { ApiObjectJson, RenderedUnit } from '../../lib/model';
import { textOf } from '../../lib/render/content';
import { assembleLayout, LayoutError, LayoutMemo, layoutOfUnit } from '../../lib/render/layout';

const configMap = (name: string, value: string): ApiObjectJson => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'web' }, data: { value } });
const unit = (path: string, objects: ApiObjectJson[]): RenderedUnit => ({ path, objects });
const runbook = (text: string) => [{ path: 'home/RUNBOOK.md', content: text }];

describe('LayoutMemo', () => {
  const a = layoutOfUnit('home', unit('home/home/apps/a/prod', [configMap('a', '1')]));
  const b = layoutOfUnit('home', unit('home/home/apps/b/prod', [configMap('b', '1')]));

  it('gives the files of a layout without it when the paths are the same and contents changed', () => {
    const memo = new LayoutMemo();
    expect(assembleLayout('home', [a, b], runbook('one'), memo)).toEqual(assembleLayout('home', [a, b], runbook('one')));
    const b2 = layoutOfUnit('home', unit('home/home/apps/b/prod', [configMap('b', '2')]));
    const withMemo = assembleLayout('home', [a, b2], runbook('two'), memo);
    expect(withMemo).toEqual(assembleLayout('home', [a, b2], runbook('two')));
    expect([...withMemo.keys()]).toEqual([...assembleLayout('home', [a, b2], runbook('two')).keys()]);
    expect(textOf(withMemo.get('home/home/apps/b/prod/configmap-b.yaml') ?? '')).toContain('value: "2"');
    expect(withMemo.get('home/RUNBOOK.md')).toBe('two');
  });

  it('lays out anew when a unit places other paths, and still finds a path produced twice', () => {
    const memo = new LayoutMemo();
    assembleLayout('home', [a, b], runbook('one'), memo);
    const moreFiles = layoutOfUnit('home', unit('home/home/apps/b/prod', [configMap('b', '1'), configMap('c', '1')]));
    expect([...assembleLayout('home', [a, moreFiles], runbook('one'), memo).keys()]).toContain('home/home/apps/b/prod/configmap-c.yaml');
    const twice = layoutOfUnit('home', unit('home/home/apps/a/prod', [configMap('a', '1')]));
    expect(() => assembleLayout('home', [a, twice], runbook('one'), memo)).toThrow(LayoutError);
    expect(() => assembleLayout('home', [a, twice], runbook('one'), memo)).toThrow('home/home/apps/a/prod/configmap-a.yaml is produced twice');
  });

  it('lays out anew when a document moves', () => {
    const memo = new LayoutMemo();
    assembleLayout('home', [a, b], runbook('one'), memo);
    expect([...assembleLayout('home', [a, b], [{ path: 'home/README.md', content: 'x' }], memo).keys()]).toContain('home/README.md');
  });
});
