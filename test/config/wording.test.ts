import { describe, expect, it } from 'vitest';
import { describeValue, didYouMean, oneOf } from '../../lib/config/wording';

describe('wording', () => {
  it('suggests a near miss, counting a swap of neighbours as one edit', () => {
    expect(didYouMean('hots', ['app', 'host', 'dr'])).toBe(' (did you mean "host"?)');
    expect(didYouMean('wordpres', ['redis', 'wordpress'])).toBe(' (did you mean "wordpress"?)');
  });

  it('suggests nothing for a word that is not close to any choice', () => {
    expect(didYouMean('foo', ['app', 'host', 'dr'])).toBe('');
    expect(didYouMean('b', ['a'])).toBe('');
  });

  it('lists choices and shows given values', () => {
    expect(oneOf(['standby', 'syncing', 'active'])).toBe('one of standby, syncing, active');
    expect([describeValue('warm'), describeValue(3), describeValue(null), describeValue([]), describeValue({ a: 1 })]).toEqual([
      '"warm"',
      '3',
      'null',
      'an empty list',
      'a mapping',
    ]);
  });
});
