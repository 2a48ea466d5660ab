/**
 * The linter-style policies (kube-linter, Polaris) on the home lab's objects: for each, an edit
 * that fails with its exact path and message, and the same edit waived by an annotation.
 */
import { describe, expect, it } from 'vitest';
import type { ApiObjectJson, RenderedUnit } from '../../lib/model';
import { checkPolicies } from '../../lib/render/policies';
import { disruptionBudgets, labelSelectorMatches } from '../../lib/render/policies/lint-disruption';
import { imagesPinned, unpinnedBecause } from '../../lib/render/policies/lint-images';
import { noPrivileges } from '../../lib/render/policies/lint-privileges';
import { servingProbes } from '../../lib/render/policies/lint-probes';
import { resourceRequests } from '../../lib/render/policies/lint-resources';
import { loadHome, renderHome } from '../support/render';

const home = renderHome();
const WP_PROD = 'home/home/apps/wordpress/prod';
const POD = 'spec.template.spec';
const WAIVE_WORDPRESS = (policy: string) => `; to waive, annotate Deployment/wordpress with twinops.dev/waive-${policy}: "<reason>"`;

/** The home lab with Deployment `wordpress` (prod) changed in place, and optionally annotated. */
function editWordPress(change: (deployment: Record<string, any>, objects: ApiObjectJson[]) => void, annotations?: Record<string, string>): RenderedUnit[] {
  return home.units.map((unit) => {
    if (unit.path !== WP_PROD) return unit;
    const objects = structuredClone([...unit.objects]) as ApiObjectJson[];
    const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'wordpress') as Record<string, any>;
    change(deployment, objects);
    if (annotations) deployment['metadata'].annotations = annotations;
    return { ...unit, objects };
  });
}

const container = (deployment: Record<string, any>) => deployment['spec'].template.spec.containers[0];

describe('the home lab', () => {
  it('passes every linter-style policy as rendered', () => {
    expect(checkPolicies(home.units, loadHome())).toEqual([]);
  });
});

describe('image-tag', () => {
  it.each([
    ['wordpress', 'no tag, which pulls latest'],
    ['wordpress:latest', 'the tag latest'],
    ['registry.example.org:5000/wordpress', 'no tag, which pulls latest'],
    ['registry.example.org:5000/wordpress:latest', 'the tag latest'],
    ['wordpress:6.6.2-apache', undefined],
    ['registry.example.org:5000/wordpress:6.6.2', undefined],
    [`wordpress@sha256:${'a'.repeat(64)}`, undefined],
    [`wordpress:latest@sha256:${'a'.repeat(64)}`, undefined],
  ])('%s: %s', (image, expected) => {
    expect(unpinnedBecause(image)).toBe(expected);
  });

  it('refuses an image without a tag, naming the field and how to waive', () => {
    const units = editWordPress((deployment) => {
      container(deployment).image = 'wordpress';
    });
    expect(imagesPinned(units)).toEqual([
      {
        file: WP_PROD,
        kind: 'Deployment',
        name: 'wordpress',
        path: `${POD}.containers[0].image`,
        message: `container wordpress's image must be pinned: expected a tag other than latest, or a digest; given "wordpress" (no tag, which pulls latest)${WAIVE_WORDPRESS('image-tag')}`,
      },
    ]);
  });

  it('checks init containers too, and passes when waived', () => {
    const change = (deployment: Record<string, any>) => {
      deployment['spec'].template.spec.initContainers = [{ name: 'copy', image: 'busybox:latest', resources: { requests: { cpu: '10m', memory: '16Mi' } } }];
    };
    expect(imagesPinned(editWordPress(change)).map((problem) => problem.path)).toEqual([`${POD}.initContainers[0].image`]);
    expect(imagesPinned(editWordPress(change, { 'twinops.dev/waive-image-tag': 'busybox is only used for cp' }))).toEqual([]);
  });
});

describe('resources', () => {
  it('refuses a container without a memory request and an init container without requests', () => {
    const units = editWordPress((deployment) => {
      delete container(deployment).resources.requests.memory;
      deployment['spec'].template.spec.initContainers = [{ name: 'copy', image: 'busybox:1.37.0' }];
    });
    expect(resourceRequests(units)).toEqual([
      {
        file: WP_PROD,
        kind: 'Deployment',
        name: 'wordpress',
        path: `${POD}.containers[0].resources.requests`,
        message: `container wordpress must request cpu and memory: expected memory; given {"cpu":"100m"}${WAIVE_WORDPRESS('resources')}`,
      },
      {
        file: WP_PROD,
        kind: 'Deployment',
        name: 'wordpress',
        path: `${POD}.initContainers[0].resources.requests`,
        message: `container copy must request cpu and memory: expected cpu and memory; given no requests${WAIVE_WORDPRESS('resources')}`,
      },
    ]);
  });

  it('passes when waived', () => {
    const units = editWordPress((deployment) => delete container(deployment).resources, { 'twinops.dev/waive-resources': 'sized by the VPA' });
    expect(resourceRequests(units)).toEqual([]);
  });
});

describe('probes', () => {
  it('refuses a serving container without a liveness probe', () => {
    const units = editWordPress((deployment) => delete container(deployment).livenessProbe);
    expect(servingProbes(units)).toEqual([
      {
        file: WP_PROD,
        kind: 'Deployment',
        name: 'wordpress',
        path: `${POD}.containers[0].livenessProbe`,
        message: `serving container wordpress (it declares ports) must have a livenessProbe: expected a probe; given none${WAIVE_WORDPRESS('probes')}`,
      },
    ]);
  });

  it('asks nothing of a container that declares no ports', () => {
    const units = editWordPress((deployment) => {
      const wordpress = container(deployment);
      delete wordpress.ports;
      delete wordpress.readinessProbe;
      delete wordpress.livenessProbe;
    });
    expect(servingProbes(units)).toEqual([]);
  });

  it('passes when waived', () => {
    const units = editWordPress(
      (deployment) => {
        delete container(deployment).readinessProbe;
        delete container(deployment).livenessProbe;
      },
      { 'twinops.dev/waive-probes': 'the vendor image has no health endpoint' },
    );
    expect(servingProbes(units)).toEqual([]);
  });
});

describe('privileged', () => {
  const privileged = (deployment: Record<string, any>) => {
    deployment['spec'].template.spec.hostNetwork = true;
    deployment['spec'].template.spec.hostPID = false;
    container(deployment).securityContext = { privileged: true, allowPrivilegeEscalation: true };
  };

  it('refuses host namespaces, a privileged container and privilege escalation', () => {
    expect(noPrivileges(editWordPress(privileged)).map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      `${POD}.hostNetwork: a pod must not share the node's namespaces: expected hostNetwork false or unset; given true${WAIVE_WORDPRESS('privileged')}`,
      `${POD}.containers[0].securityContext.privileged: container wordpress must not run with privileges beyond its own: expected privileged false or unset; given true${WAIVE_WORDPRESS('privileged')}`,
      `${POD}.containers[0].securityContext.allowPrivilegeEscalation: container wordpress must not run with privileges beyond its own: expected allowPrivilegeEscalation false or unset; given true${WAIVE_WORDPRESS('privileged')}`,
    ]);
  });

  it('passes when waived', () => {
    expect(noPrivileges(editWordPress(privileged, { 'twinops.dev/waive-privileged': 'binds the node port for DHCP' }))).toEqual([]);
  });
});

describe('disruption-budget', () => {
  const twoReplicas = (deployment: Record<string, any>) => {
    deployment['spec'].replicas = 2;
  };
  const budget = (namespace: string, selector: unknown): ApiObjectJson => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'wordpress', namespace },
    spec: { maxUnavailable: 1, selector },
  });

  it('refuses a Deployment of two replicas that no budget selects', () => {
    expect(disruptionBudgets(editWordPress(twoReplicas))).toEqual([
      {
        file: WP_PROD,
        kind: 'Deployment',
        name: 'wordpress',
        path: 'spec.replicas',
        message: `a Deployment of more than one replica must be selected by a PodDisruptionBudget of its unit and namespace: expected a budget whose selector matches its pod labels {"app.kubernetes.io/instance":"wordpress","app.kubernetes.io/managed-by":"twinops","app.kubernetes.io/name":"wordpress","app.kubernetes.io/part-of":"wordpress","twinops.dev/app":"wordpress","twinops.dev/variant":"prod"}; given 2 replicas and no such budget${WAIVE_WORDPRESS('disruption-budget')}`,
      },
    ]);
  });

  it('passes with a budget selecting its pods in its namespace, not with one in another namespace', () => {
    const selector = { matchLabels: { 'app.kubernetes.io/name': 'wordpress' } };
    const covered = editWordPress((deployment, objects) => {
      twoReplicas(deployment);
      objects.push(budget('wordpress', selector));
    });
    expect(disruptionBudgets(covered)).toEqual([]);
    const elsewhere = editWordPress((deployment, objects) => {
      twoReplicas(deployment);
      objects.push(budget('redis', selector));
    });
    expect(disruptionBudgets(elsewhere).map((problem) => problem.path)).toEqual(['spec.replicas']);
  });

  it('asks nothing of one replica, and passes when waived', () => {
    expect(disruptionBudgets(home.units)).toEqual([]);
    expect(disruptionBudgets(editWordPress(twoReplicas, { 'twinops.dev/waive-disruption-budget': 'a cache: losing both pods costs a refill' }))).toEqual([]);
  });

  it.each([
    [{}, true],
    [undefined, false],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
  ])('selector %j matches {app: web, tier: front}: %s', (selector, expected) => {
    expect(labelSelectorMatches(selector, { app: 'web', tier: 'front' })).toBe(expected);
  });
});
