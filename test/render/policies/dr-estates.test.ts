/**
 * The positive DR policies hold on the estates as they render: the frozen 002 example and the
 * corpus lab. (The user's own environments are checked by the golden test: synth runs every
 * policy on them.)
 */
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../../charts/catalog';
import { composeEnvironment } from '../../../charts/estate';
import type { Environment } from '../../../lib/config/environment';
import { loadEnvironment } from '../../../lib/config/load';
import { drPlacement } from '../../../lib/render/policies/dr-placement';
import { drStorage } from '../../../lib/render/policies/dr-storage';
import { variantSelectors } from '../../../lib/render/policies/variant-selectors';
import { loadHome } from '../../support/render';

const positiveProblems = (env: Environment) => {
  const { units } = composeEnvironment(env);
  return [...drPlacement(units, env), ...drStorage(units, env), ...variantSelectors(units)];
};

describe('positive DR policies on rendered estates', () => {
  it('pass on the frozen 002 example', () => {
    expect(positiveProblems(loadHome())).toEqual([]);
  });

  it('pass on the corpus lab (other names, MetalLB, a NoExecute DR node)', () => {
    expect(positiveProblems(loadEnvironment('test/fixtures/hostile/lab.yaml', { knownApps: APP_CATALOG }))).toEqual([]);
  });
});
