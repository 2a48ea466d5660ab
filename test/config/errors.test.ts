import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError, formatPath, type ConfigProblem } from '../../lib/config/errors';

const problem = (overrides: Partial<ConfigProblem>): ConfigProblem => ({
  file: 'environments/home.yaml',
  line: 41,
  column: 16,
  path: 'clusters[0].apps[2].dr.state',
  expected: 'one of standby, syncing, active',
  given: '"warm"',
  message: 'expected one of standby, syncing, active; given "warm"',
  ...overrides,
});

describe('formatConfigError', () => {
  it('renders one line per problem: file:line:column path: message', () => {
    const err = new ConfigError([problem({}), problem({ line: 0, column: 0, path: '', message: 'cannot read the environment file' })]);
    expect(formatConfigError(err)).toBe(
      'environments/home.yaml:41:16 clusters[0].apps[2].dr.state: expected one of standby, syncing, active; given "warm"\n' +
        'environments/home.yaml cannot read the environment file',
    );
  });

  it('is an Error whose message is the same report, keeping problems and cause', () => {
    const cause = new Error('parser said no');
    const err = new ConfigError([problem({})], { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ConfigError');
    expect(err.message).toBe(formatConfigError(err));
    expect(err.cause).toBe(cause);
    expect(err.problems).toHaveLength(1);
  });
});

describe('formatPath', () => {
  it('writes indices in brackets and quotes keys that are not plain words', () => {
    expect(formatPath(['clusters', 0, 'nodes', 1, 'labels', 'kubernetes.io/hostname'])).toBe(
      'clusters[0].nodes[1].labels["kubernetes.io/hostname"]',
    );
    expect(formatPath(['dr', 'storageClasses', 'local-path'])).toBe('dr.storageClasses.local-path');
    expect(formatPath([])).toBe('');
  });
});
