/** Positive DR placement: DR pods on the DR node with its taint tolerated; prod pods never there. */
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../lib/config/environment';
import { checkPolicies } from '../../../lib/render/policies';
import { drPlacement, tolerates } from '../../../lib/render/policies/dr-placement';
import { DR_PLACEMENT, LAB_ENV, LAB_UNITS, TRAEFIK, WP_DR, WP_PROD, editUnit, find } from './lab';

const DR_TAINT: Node['taints'][number] = { key: 'role', value: 'dr', effect: 'NoExecute' };

describe('tolerates (Kubernetes ToleratesTaint)', () => {
  it.each([
    [{ key: 'role', operator: 'Equal', value: 'dr', effect: 'NoExecute' }, true],
    [{ key: 'role', value: 'dr' }, true], // operator defaults to Equal, an empty effect matches every effect
    [{ key: 'role', operator: 'Exists', effect: 'NoExecute' }, true],
    [{ operator: 'Exists' }, true], // empty key with Exists: every taint
    [{ key: 'role', operator: 'Equal', value: 'prod', effect: 'NoExecute' }, false],
    [{ key: 'role', operator: 'Equal', value: 'dr', effect: 'NoSchedule' }, false],
    [{ key: 'dedicated', operator: 'Exists' }, false],
    [{ operator: 'Equal', value: 'dr' }, false], // an empty key only matches with Exists
  ])('%j tolerates role=dr:NoExecute: %s', (toleration, expected) => {
    expect(tolerates(toleration, DR_TAINT)).toBe(expected);
  });
});

describe('DR placement on the lab', () => {
  it('passes as rendered, and every policy passes', () => {
    expect(drPlacement(LAB_UNITS, LAB_ENV)).toEqual([]);
    expect(checkPolicies(LAB_UNITS, LAB_ENV)).toEqual([]);
  });

  it('refuses an unplaced DR Deployment: no DR node selector, no toleration', () => {
    const units = editUnit(WP_DR, (objects) => {
      const pod = find(objects, 'Deployment', 'wordpress-dr').spec.template.spec;
      delete pod.nodeSelector;
      delete pod.tolerations;
    });
    expect(drPlacement(units, LAB_ENV)).toEqual([
      {
        file: WP_DR,
        kind: 'Deployment',
        name: 'wordpress-dr',
        path: 'spec.template.spec.nodeSelector',
        message: 'a DR pod must run on DR node bravo: expected nodeSelector to contain {"kubernetes.io/hostname":"bravo"}; given none',
      },
      {
        file: WP_DR,
        kind: 'Deployment',
        name: 'wordpress-dr',
        path: 'spec.template.spec.tolerations',
        message: 'a DR pod must tolerate taint role=dr:NoExecute of DR node bravo; given none',
      },
    ]);
  });

  it('refuses a DR Deployment selecting the prod node', () => {
    const units = editUnit(WP_DR, (objects) => {
      find(objects, 'Deployment', 'wordpress-dr').spec.template.spec.nodeSelector = { 'kubernetes.io/hostname': 'alpha' };
    });
    expect(drPlacement(units, LAB_ENV).map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      'spec.template.spec.nodeSelector: a DR pod must run on DR node bravo: expected nodeSelector to contain {"kubernetes.io/hostname":"bravo"}; given {"kubernetes.io/hostname":"alpha"}',
    ]);
  });

  it('refuses a DR CronJob whose job pods do not tolerate the DR taint', () => {
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'wordpress-cron-dr', namespace: 'wordpress' },
      spec: {
        schedule: '*/15 * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                nodeSelector: { ...DR_PLACEMENT.nodeSelector },
                tolerations: [{ key: 'role', operator: 'Equal', value: 'other', effect: 'NoExecute' }],
                containers: [{ name: 'cron', image: 'wordpress:6.6.2-apache' }],
              },
            },
          },
        },
      },
    };
    const units = editUnit(WP_DR, (objects) => [...objects, cronJob]);
    expect(drPlacement(units, LAB_ENV)).toEqual([
      {
        file: WP_DR,
        kind: 'CronJob',
        name: 'wordpress-cron-dr',
        path: 'spec.jobTemplate.spec.template.spec.tolerations',
        message: 'a DR pod must tolerate taint role=dr:NoExecute of DR node bravo; given [{"key":"role","operator":"Equal","value":"other","effect":"NoExecute"}]',
      },
    ]);
  });

  it('refuses a bare DR Pod that is not placed, and accepts one that is', () => {
    const pod = (spec: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe-dr', namespace: 'wordpress' }, spec: { containers: [{ name: 'probe', image: 'busybox:1.36' }], ...spec } });
    expect(drPlacement(editUnit(WP_DR, (objects) => [...objects, pod(DR_PLACEMENT)]), LAB_ENV)).toEqual([]);
    expect(drPlacement(editUnit(WP_DR, (objects) => [...objects, pod({})]), LAB_ENV).map((problem) => `${problem.kind}/${problem.name} ${problem.path}`)).toEqual([
      'Pod/probe-dr spec.nodeSelector',
      'Pod/probe-dr spec.tolerations',
    ]);
  });

  it('refuses the DR Traefik release when its values lose the DR placement', () => {
    const units = editUnit(TRAEFIK, (objects) => {
      delete find(objects, 'HelmRelease', 'edge-dr').spec.values.tolerations;
    });
    expect(drPlacement(units, LAB_ENV)).toEqual([
      {
        file: TRAEFIK,
        kind: 'HelmRelease',
        name: 'edge-dr',
        path: 'spec.values.tolerations',
        message: 'a DR pod must tolerate taint role=dr:NoExecute of DR node bravo; given none',
      },
    ]);
  });

  it('refuses a prod pod tolerating the DR taint', () => {
    const units = editUnit(WP_PROD, (objects) => {
      find(objects, 'Deployment', 'wordpress').spec.template.spec.tolerations = [{ key: 'role', operator: 'Exists' }];
    });
    expect(drPlacement(units, LAB_ENV)).toEqual([
      {
        file: WP_PROD,
        kind: 'Deployment',
        name: 'wordpress',
        path: 'spec.template.spec.tolerations[0]',
        message: 'a prod pod must not tolerate taint role=dr:NoExecute of DR node bravo (prod pods never run there); given {"key":"role","operator":"Exists"}',
      },
    ]);
  });

  it('refuses a prod pod selecting the DR node, and the prod Traefik release placed like the DR one', () => {
    const units = editUnit(WP_PROD, (objects) => {
      find(objects, 'Deployment', 'wordpress').spec.template.spec.nodeSelector = { 'kubernetes.io/hostname': 'bravo' };
    });
    expect(drPlacement(units, LAB_ENV).map((problem) => `${problem.kind}/${problem.name} ${problem.path}: ${problem.message}`)).toEqual([
      'Deployment/wordpress spec.template.spec.nodeSelector: a prod pod must not select DR node bravo (prod pods never run there); given {"kubernetes.io/hostname":"bravo"}',
    ]);
    const traefik = editUnit(TRAEFIK, (objects) => {
      Object.assign(find(objects, 'HelmRelease', 'edge-prod').spec.values, structuredClone(DR_PLACEMENT));
    });
    expect(drPlacement(traefik, LAB_ENV).map((problem) => `${problem.kind}/${problem.name} ${problem.path}`)).toEqual([
      'HelmRelease/edge-prod spec.values.nodeSelector',
      'HelmRelease/edge-prod spec.values.tolerations[0]',
    ]);
  });

  it('runs with every policy: an unplaced twin fails the render', () => {
    const units = editUnit(WP_DR, (objects) => {
      delete find(objects, 'Deployment', 'wordpress-db-dr').spec.template.spec.nodeSelector;
    });
    expect(checkPolicies(units, LAB_ENV).map((problem) => `${problem.kind}/${problem.name} ${problem.path}`)).toEqual(['Deployment/wordpress-db-dr spec.template.spec.nodeSelector']);
  });
});
