import { composedOf, type ComposedEnvironment } from '../../lib/model';
/**
 * The CRDs' CEL rules evaluated at synth: a violation is a validation problem with the rule's
 * message and the node's path, like a schema error; the evaluator's semantics (list and map
 * items, absent nodes, defaults, fieldPath, messageExpression, evaluation errors) on a small
 * hand-made rules file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeEnvironment } from '../../charts/estate';
import type { ApiObjectJson } from '../../lib/model';
import { CelValidator } from '../../lib/render/cel/validator';
import type { CelKindRules, CelRule } from '../../lib/render/cel/rules-file';
import { formatProblem, validateObjects } from '../../lib/render/validate';
import { RenderError, renderFiles } from '../../lib/synth';
import { loadHome } from '../support/render';
import { REPO } from '../support/tree';

/** The problems of one object as synth reports them: `<path>: <message>`. */
function problemsOf(object: unknown): string[] {
  return validateObjects([{ file: 'f.yaml', object: object as ApiObjectJson }]).map(({ path, message }) => `${path}: ${message}`);
}

/** An object of the committed dist/ (schema-valid), to break by hand. */
function fromDist(path: string): Record<string, any> {
  return parse(readFileSync(join(REPO, 'dist', path), 'utf8')) as Record<string, any>;
}

const helmRelease = () => fromDist('home/home/addons/zfs-localpv/helmrelease-zfs-localpv.yaml');
const controlPlane = () => fromDist('fleet/mgmt/capi/clusters/edge-1/kubeadmcontrolplane-edge-1-control-plane.yaml');

describe('CEL rules of the imported CRDs at validation', () => {
  it('passes the shipped objects the violations below start from', () => {
    expect(problemsOf(helmRelease())).toEqual([]);
    expect(problemsOf(controlPlane())).toEqual([]);
  });

  it('fails a Flux HelmRelease with both chart and chartRef with the rule message at spec', () => {
    const release = helmRelease();
    release['spec'].chartRef = { kind: 'OCIRepository', name: 'zfs-localpv' };
    expect(problemsOf(release)).toEqual(['spec: either chart or chartRef must be set']);
  });

  it('fails a Flux HelmRelease with retryInterval on the RemediateOnFailure install strategy', () => {
    const release = helmRelease();
    release['spec'].install.strategy = { name: 'RemediateOnFailure', retryInterval: '1m' };
    expect(problemsOf(release)).toEqual(["spec.install.strategy: .retryInterval cannot be set when .name is 'RemediateOnFailure'"]);
  });

  it('fails a Cluster API v1beta2 KubeadmControlPlane whose API server extraArgs repeat a name', () => {
    const kcp = controlPlane();
    kcp['spec'].kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs = [
      { name: 'audit-log-maxage', value: '30' },
      { name: 'audit-log-maxage', value: '7' },
    ];
    expect(problemsOf(kcp)).toEqual(['spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs: extraArgs name must be unique']);
  });

  it('fails a Cluster API v1beta2 disk partition in each list item that breaks the rule, by index', () => {
    const kcp = controlPlane();
    kcp['spec'].kubeadmConfigSpec.diskSetup = {
      partitions: [
        { device: '/dev/sda', layout: true },
        { device: '/dev/sdb' },
        { device: '/dev/sdc', layout: true, diskLayout: [{ percentage: 100, partitionType: 'Linux' }] },
      ],
    };
    expect(problemsOf(kcp)).toEqual([
      'spec.kubeadmConfigSpec.diskSetup.partitions[1]: exactly one of the fields in [layout diskLayout] must be set',
      'spec.kubeadmConfigSpec.diskSetup.partitions[2]: exactly one of the fields in [layout diskLayout] must be set',
    ]);
  });

  it('fails the render (synth writes nothing) with the rule violation as file, object, path and message', () => {
    // The home example composed as synth does, with chartRef added to its zfs-localpv HelmRelease.
    const compose = (env: Parameters<typeof composeEnvironment>[0]): ComposedEnvironment => {
      const rendered = composeEnvironment(env);
      const units = rendered.units.map(unit => ({
        ...unit,
        objects: unit.objects.map(object => object.kind === 'HelmRelease' && object.metadata.name === 'zfs-localpv'
          ? ({ ...object, spec: { ...(object['spec'] as object), chartRef: { kind: 'OCIRepository', name: 'zfs-localpv' } } } as ApiObjectJson)
          : object),
      }));
      return composedOf({ ...rendered, units });
    };
    let thrown: unknown;
    try {
      renderFiles([loadHome()], compose, join(REPO, 'no-such-dist'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RenderError);
    expect((thrown as RenderError).problems.map(problem => formatProblem(problem as never))).toEqual([
      'home/home/addons/zfs-localpv/helmrelease-zfs-localpv.yaml: HelmRelease/zfs-localpv: spec: either chart or chartRef must be set',
    ]);
  });

  it('evaluates no rule on an object that fails its schema (the schema error is the problem)', () => {
    const release = helmRelease();
    release['spec'].chartRef = { kind: 'OCIRepository', name: 'zfs-localpv' };
    release['spec'].intervall = '5m';
    expect(problemsOf(release)).toEqual(['spec.intervall: unknown field "intervall"']);
  });
});

/** A validator of one kind, `example.org/v1/Widget`, with `rules` and `defaults`. */
function widgetValidator(rules: Partial<CelRule>[], defaults: CelKindRules['defaults'] = []): CelValidator {
  const full = rules.map(rule => ({ path: '', rule: 'true', transition: false, ...rule }));
  return new CelValidator({
    implementation: 'test',
    summary: { rules: full.length, evaluated: full.length, notEvaluated: 0, reasons: {} },
    kinds: { 'example.org/v1/Widget': { rules: full, defaults } },
  });
}

const widget = (spec: unknown): ApiObjectJson => ({ apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w' }, spec }) as ApiObjectJson;

describe('CelValidator', () => {
  it('evaluates a rule at each list item and each map value, and skips absent nodes', () => {
    const cel = widgetValidator([
      { path: 'spec.ports[*]', rule: 'self.port < 1024', message: 'port must be below 1024' },
      { path: 'spec.labels[*]', rule: 'size(self) <= 3', message: 'label too long' },
      { path: 'spec.missing', rule: 'false', message: 'never evaluated' },
    ]);
    const problems = cel.check(widget({ ports: [{ port: 80 }, { port: 8080 }], labels: { ok: 'abc', 'app.example.org/x': 'abcd' } }));
    expect(problems).toEqual([
      { path: 'spec.ports[1]', message: 'port must be below 1024' },
      { path: 'spec.labels["app.example.org/x"]', message: 'label too long' },
    ]);
    expect(cel.evaluations).toBe(4);
  });

  it('applies schema defaults before evaluating (parents first), without changing the object', () => {
    const cel = widgetValidator(
      [{ path: 'spec.bastion', rule: '!self.enabled || has(self.spec)', message: 'spec is required if bastion is enabled' },
       { path: 'spec.bastion.spec', rule: "self.flavor == 'small'", message: 'flavor must be small' }],
      [{ path: 'spec.bastion', field: 'enabled', value: true }, { path: 'spec.bastion.spec', field: 'flavor', value: 'small' }],
    );
    const object = widget({ bastion: {} });
    expect(cel.check(object)).toEqual([{ path: 'spec.bastion', message: 'spec is required if bastion is enabled' }]);
    expect(object).toEqual(widget({ bastion: {} }));
    expect(cel.check(widget({ bastion: { enabled: false } }))).toEqual([]);
    expect(cel.check(widget({ bastion: { spec: {} } }))).toEqual([]);
  });

  it('points at fieldPath under the node, and uses messageExpression, else message, else the rule', () => {
    const cel = widgetValidator([
      { path: 'spec', rule: 'self.replicas <= 3', fieldPath: '.replicas', messageExpression: "'replicas ' + string(self.replicas) + ' > 3'", message: 'unused' },
      { path: 'spec', rule: 'self.replicas % 2 == 1', messageExpression: "''", message: 'replicas must be odd' },
      { path: 'spec', rule: 'self.replicas < 4' },
      { path: '', rule: 'self.metadata.name != "w"', fieldPath: '.metadata.name', message: 'reserved name' },
    ]);
    expect(cel.check(widget({ replicas: 4 }))).toEqual([
      { path: 'spec.replicas', message: 'replicas 4 > 3' },
      { path: 'spec', message: 'replicas must be odd' },
      { path: 'spec', message: 'failed rule: self.replicas < 4' },
      { path: 'metadata.name', message: 'reserved name' },
    ]);
  });

  it('reports a rule that cannot be evaluated on the node (a missing field), as the API server refuses it', () => {
    const cel = widgetValidator([{ path: 'spec', rule: 'self.mode == "a"', message: 'mode must be a' }]);
    expect(cel.check(widget({}))).toEqual([
      { path: 'spec', message: 'mode must be a (the rule could not be evaluated: No such key: mode)' },
    ]);
  });

  it('refuses a rules file that calls a rule evaluable when it does not compile', () => {
    expect(() => widgetValidator([{ path: 'spec.x', rule: 'self ==' }])).toThrow(
      /^CEL rule at "spec\.x" is marked evaluable in imports\/cel\/rules\.json but does not compile \(regenerate with `npm run import`\): /,
    );
  });
});
