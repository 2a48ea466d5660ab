/** Fixture rules for the twin transform tests: the 002 DR node, one public host, standby. */
import type { DrState } from '../../../lib/config/schema';
import type { ApiObjectJson } from '../../../lib/model';
import { drReplicas } from '../../../lib/variant/rules';
import { twinObjects, type TwinObject, type TwinRules } from '../../../lib/variant/twin';

export const DR_PLACEMENT = {
  nodeSelector: { 'kubernetes.io/hostname': 'remote' },
  tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'remote', effect: 'NoSchedule' as const }],
};

/** The twin placement as it appears in a rendered pod spec. */
export const PLACED = {
  nodeSelector: { 'kubernetes.io/hostname': 'remote' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' }],
};

export function rulesFor(state: DrState = 'standby', overrides: Partial<TwinRules> = {}): TwinRules {
  return {
    suffix: '-dr',
    storageClass: (prodClass) => (prodClass === 'local-path' ? 'local-path' : `${prodClass}-dr`),
    placement: DR_PLACEMENT,
    replicas: (prodCount) => drReplicas(state, prodCount),
    state,
    hosts: { twinOf: { 'blog.example.org': 'blog-dr.example.org' }, routesAnswerBoth: true, identity: 'twin' },
    ingressClass: (prodClass) => (prodClass === 'traefik-external' ? 'traefik-dr' : prodClass),
    ...overrides,
  };
}

/** The twin objects, or a test failure listing every error. */
export function twinsOf(prod: readonly ApiObjectJson[], rules: TwinRules = rulesFor()): readonly TwinObject[] {
  const result = twinObjects(prod, rules);
  if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.objects;
}

export function twinOf(prod: ApiObjectJson, rules: TwinRules = rulesFor()): ApiObjectJson {
  const [only] = twinsOf([prod], rules);
  if (only === undefined) throw new Error(`${prod.kind}/${prod.metadata.name} has no twin`);
  return only.object;
}

/** Metadata of an object of the `web` app in namespace `web`. */
export function meta(name: string, extra: Record<string, unknown> = {}) {
  return { name, namespace: 'web', ...extra };
}
