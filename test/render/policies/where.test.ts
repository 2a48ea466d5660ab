import { describe, expect, it } from 'vitest';
import { at, pathOf } from '../../../lib/render/policies/where';

describe('pathOf', () => {
  it('writes keys, quoted keys and indices in the policies path style', () => {
    const template = at(at(at(undefined, 'spec'), 'template'), 'metadata');
    expect(pathOf(undefined)).toBe('');
    expect(pathOf(at(undefined, 'metadata'))).toBe('metadata');
    expect(pathOf(at(at(template, 'labels'), 'app.kubernetes.io/name'))).toBe('spec.template.metadata.labels["app.kubernetes.io/name"]');
    expect(pathOf(at(at(at(at(undefined, 'spec'), 'tolerations'), 0), 'key'))).toBe('spec.tolerations[0].key');
    expect(pathOf(at(at(undefined, 'items'), 3))).toBe('items[3]');
    expect(pathOf(at(undefined, 'has "quote"'))).toBe('["has \\"quote\\""]');
  });
});
