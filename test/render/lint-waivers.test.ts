/**
 * Waivers of the linter-style policies (an annotation with a reason per object and policy), the
 * twin inheriting its prod's waivers through the real composition, and the shipped apps passing
 * every policy in every shipped environment, including with replicas that need a budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeEnvironment } from '../../charts/estate';
import { appRegistry, type AppDefinition } from '../../lib/app/definition';
import { parseEnvironment } from '../../lib/config/load';
import type { ApiObjectJson, RenderedUnit } from '../../lib/model';
import { checkPolicies } from '../../lib/render/policies';
import { imagesPinned } from '../../lib/render/policies/lint-images';
import { waiverProblems } from '../../lib/render/policies/waivers';
import { LAB_SPEC, lab } from '../support/environments';
import { HOME_FILE, loadHome, renderHome } from '../support/render';
import { REPO } from '../support/tree';

const home = renderHome();
const WP_PROD = 'home/home/apps/wordpress/prod';
const WP_DR = 'home/home/apps/wordpress/dr';

/**
 * The home lab with Deployment `wordpress` unpinned and annotated as given, and its twin alike:
 * the parity policy refuses a twin whose image or annotations differ from prod's.
 */
function unpinnedWordPress(annotations: Record<string, string>): RenderedUnit[] {
  return home.units.map((unit) => {
    if (unit.path !== WP_PROD && unit.path !== WP_DR) return unit;
    const objects = structuredClone([...unit.objects]) as ApiObjectJson[];
    const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name.startsWith('wordpress') && !object.metadata.name.startsWith('wordpress-db')) as Record<string, any>;
    deployment['spec'].template.spec.containers[0].image = 'wordpress:latest';
    deployment['metadata'].annotations = annotations;
    return { ...unit, objects };
  });
}

describe('waivers', () => {
  it('refuses a waiver without a reason, which waives nothing', () => {
    const units = unpinnedWordPress({ 'twinops.dev/waive-image-tag': ' ' });
    expect(waiverProblems(units)[0]).toEqual({
      file: WP_PROD,
      kind: 'Deployment',
      name: 'wordpress',
      path: 'metadata.annotations["twinops.dev/waive-image-tag"]',
      message: 'a waiver must give its reason: expected a non-empty reason; given " "',
    });
    expect(checkPolicies(units, loadHome()).map((problem) => `${problem.name} ${problem.path}`)).toEqual([
      'wordpress spec.template.spec.containers[0].image',
      'wordpress-dr spec.template.spec.containers[0].image',
      'wordpress metadata.annotations["twinops.dev/waive-image-tag"]',
      'wordpress-dr metadata.annotations["twinops.dev/waive-image-tag"]',
    ]);
  });

  it('refuses a waiver of a policy that does not exist, which waives nothing', () => {
    const units = unpinnedWordPress({ 'twinops.dev/waive-latest-tag': 'kube-linter spelling' });
    expect(waiverProblems(units).map((problem) => `${problem.name} ${problem.path}: ${problem.message}`)).toEqual(
      ['wordpress', 'wordpress-dr'].map(
        (name) =>
          `${name} metadata.annotations["twinops.dev/waive-latest-tag"]: a waiver must name a policy: expected one of ["twinops.dev/waive-image-tag","twinops.dev/waive-resources","twinops.dev/waive-probes","twinops.dev/waive-privileged","twinops.dev/waive-disruption-budget"]; given "twinops.dev/waive-latest-tag"`,
      ),
    );
    expect(imagesPinned(units)).toHaveLength(2);
  });

  it('passes a waived object with every policy, and waives only the policy it names', () => {
    expect(checkPolicies(unpinnedWordPress({ 'twinops.dev/waive-image-tag': 'the vendor tags only latest' }), loadHome())).toEqual([]);
    expect(imagesPinned(unpinnedWordPress({ 'twinops.dev/waive-probes': 'wrong policy' }))).toHaveLength(2);
  });
});

/** An app whose chart waives two policies: an unpinned image and a serving port without probes. */
class Tool extends Chart {
  public constructor(scope: ConstructorParameters<typeof Chart>[0], id: string, props: Parameters<AppDefinition['chart']>[2]) {
    super(scope, id, props);
    const labels = { 'app.kubernetes.io/name': 'tool', 'app.kubernetes.io/instance': 'tool' };
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: {
        name: 'tool',
        labels,
        annotations: {
          'twinops.dev/waive-image-tag': 'the vendor publishes latest only',
          'twinops.dev/waive-probes': 'answers on a port no probe can speak',
        },
      },
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'tool',
                image: 'registry.example.org/tool',
                ports: [{ name: 'tool', containerPort: 7000 }],
                resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') } },
              },
            ],
          },
        },
      },
    });
  }
}

const TOOL: AppDefinition = { name: 'tool', chart: (scope, id, props) => new Tool(scope, id, props) };

describe('a twin of a waived prod workload', () => {
  const env = lab({ clusters: LAB_SPEC.clusters.map((cluster) => ({ ...cluster, apps: [{ app: 'tool', dr: true }] })) });
  const units = composeEnvironment(env, appRegistry([TOOL])).units;
  const deployments = units.flatMap((unit) => unit.objects).filter((object) => object.kind === 'Deployment');

  it('carries its prod waivers (the twin transform copies annotations) and passes every policy', () => {
    expect(deployments.map((object) => [object.metadata.name, object.metadata.annotations])).toEqual([
      ['tool', { 'twinops.dev/waive-image-tag': 'the vendor publishes latest only', 'twinops.dev/waive-probes': 'answers on a port no probe can speak' }],
      ['tool-dr', { 'twinops.dev/waive-image-tag': 'the vendor publishes latest only', 'twinops.dev/waive-probes': 'answers on a port no probe can speak' }],
    ]);
    expect(checkPolicies(units, env)).toEqual([]);
  });

  it('fails, prod and twin alike, without the waivers', () => {
    const unwaived = units.map((unit) => ({
      ...unit,
      objects: unit.objects.map((object) => (object.kind === 'Deployment' ? { ...object, metadata: { ...object.metadata, annotations: {} } } : object)),
    }));
    expect(checkPolicies(unwaived, env).map((problem) => `${problem.name} ${problem.path}`)).toEqual([
      'tool spec.template.spec.containers[0].image',
      'tool-dr spec.template.spec.containers[0].image',
      'tool spec.template.spec.containers[0].readinessProbe',
      'tool spec.template.spec.containers[0].livenessProbe',
      'tool-dr spec.template.spec.containers[0].readinessProbe',
      'tool-dr spec.template.spec.containers[0].livenessProbe',
    ]);
    // The chart holds no DR code: a twin's problem points at its prod original to annotate.
    expect(checkPolicies(unwaived, env).filter((problem) => problem.name === 'tool-dr').map((problem) => problem.message)[0]).toBe(
      'container tool\'s image must be pinned: expected a tag other than latest, or a digest; given "registry.example.org/tool" (no tag, which pulls latest); to waive, annotate its prod original in the app\'s chart with twinops.dev/waive-image-tag: "<reason>" (the twin inherits it)',
    );
  });
});

describe('the shipped apps', () => {
  const load = (file: string, text = readFileSync(file, 'utf8')) =>
    parseEnvironment(file.replace(/^.*\/|\.yaml$/g, ''), `environments/${file.replace(/^.*\//, '')}`, text, { knownApps: APP_CATALOG });

  // Engine tests use their own fixtures; the golden test covers the user's environments.
  it.each(['test/fixtures/seed-002/home.yaml', 'test/fixtures/fleet.yaml', 'test/fixtures/regions.yaml', 'test/fixtures/regions-edge.yaml'])(
    'pass every policy in %s',
    (file) => {
      const env = load(join(REPO, file));
      expect(checkPolicies(composeEnvironment(env).units, env)).toEqual([]);
    },
  );

  it('render a disruption budget for keycloak and redis at two replicas, and pass with DR active too', () => {
    const text = readFileSync(HOME_FILE, 'utf8')
      .replace('      - app: keycloak\n', '      - app: keycloak\n        replicas: 2\n')
      .replace(/( {6}- app: redis\n)/, '$1        replicas: 2\n');
    expect(text).toContain('replicas: 2\n');
    for (const state of ['standby', 'active']) {
      const env = load(HOME_FILE, text.replace('  state: standby\n', `  state: ${state}\n`));
      const units = composeEnvironment(env).units;
      const budgets = units.flatMap((unit) => unit.objects).filter((object) => object.kind === 'PodDisruptionBudget');
      expect(budgets.map((budget) => [budget.metadata.name, budget['spec']]).sort()).toEqual([
        ['keycloak', { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/instance': 'keycloak', 'app.kubernetes.io/name': 'keycloak' } } }],
        ['keycloak-dr', { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/instance': 'keycloak-dr', 'app.kubernetes.io/name': 'keycloak' } } }],
        ['redis', { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/instance': 'redis', 'app.kubernetes.io/name': 'redis' } } }],
        ['redis-dr', { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/instance': 'redis-dr', 'app.kubernetes.io/name': 'redis' } } }],
      ]);
      const twin = units.flatMap((unit) => unit.objects).find((object) => object.kind === 'Deployment' && object.metadata.name === 'keycloak-dr');
      // Standby runs one twin pod; active runs prod's two, which the budget's twin must select.
      expect((twin?.['spec'] as { replicas: number }).replicas).toBe(state === 'active' ? 2 : 1);
      expect(checkPolicies(units, env)).toEqual([]);
    }
  });
});
