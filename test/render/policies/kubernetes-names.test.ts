import { describe, expect, it } from 'vitest';
import type { ApiObjectJson, RenderedUnit } from '../../../lib/model';
import { checkPolicies } from '../../../lib/render/policies';
import { kubernetesNames } from '../../../lib/render/policies/kubernetes-names';
import { formatProblem } from '../../../lib/render/validate';
import { loadHome, renderHome } from '../../support/render';

const UNIT = 'lab/lab/apps/web/prod';

/** The problems of one object, each as the CLI prints it. */
function problemsOf(object: ApiObjectJson): string[] {
  const unit: RenderedUnit = { path: UNIT, objects: [object] };
  return kubernetesNames([unit]).map(formatProblem);
}

const service = (name: string, extra: Partial<ApiObjectJson['metadata']> = {}): ApiObjectJson => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'web', ...extra },
  spec: { ports: [{ port: 80 }] },
});

const configMap = (metadata: Partial<ApiObjectJson['metadata']>): ApiObjectJson => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'web', ...metadata },
});

const DNS1035 =
  "expected a DNS-1035 label: at most 63 characters, lower-case letters, digits and '-', starting with a letter and ending with a letter or digit";
const SUBDOMAIN =
  "expected a DNS-1123 subdomain: at most 253 characters, dot-separated lower-case letters, digits and '-', each part starting and ending with a letter or digit";
const QUALIFIED =
  "expected a qualified name: an optional DNS-1123 subdomain prefix and '/', then at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
const LABEL_VALUE =
  "expected a label value: empty, or at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

describe('kubernetesNames', () => {
  const long = 'a'.repeat(64);
  const cases: [string, ApiObjectJson, string[]][] = [
    ['a Service name of 64 characters', service(long), [`${UNIT}/service-${long}.yaml: Service/${long}: metadata.name: Service name: ${DNS1035}; given "${long}" (64 characters)`]],
    ['a Service name starting with a digit', service('1web'), [`${UNIT}/service-1web.yaml: Service/1web: metadata.name: Service name: ${DNS1035}; given "1web"`]],
    ['a name with capitals and _', configMap({ name: 'Bad_Name' }), [`${UNIT}/configmap-bad_name.yaml: ConfigMap/Bad_Name: metadata.name: ConfigMap name: ${SUBDOMAIN}; given "Bad_Name"`]],
    [
      'a label key with a space and !',
      configMap({ labels: { 'bad key!': 'x' } }),
      [`${UNIT}/configmap-settings.yaml: ConfigMap/settings: metadata.labels["bad key!"]: label key: ${QUALIFIED}; given "bad key!"`],
    ],
    [
      'a label value with a Cyrillic letter',
      configMap({ labels: { app: 'wеb' } }),
      [`${UNIT}/configmap-settings.yaml: ConfigMap/settings: metadata.labels.app: label value: ${LABEL_VALUE}; given "wеb"`],
    ],
    [
      'a label value of 64 characters',
      configMap({ labels: { app: long } }),
      [`${UNIT}/configmap-settings.yaml: ConfigMap/settings: metadata.labels.app: label value: ${LABEL_VALUE}; given "${long}" (64 characters)`],
    ],
    [
      'a label value with a newline',
      configMap({ labels: { app: 'web\nx' } }),
      [`${UNIT}/configmap-settings.yaml: ConfigMap/settings: metadata.labels.app: label value: ${LABEL_VALUE}; given "web\\nx"`],
    ],
    [
      'an annotation key with a space',
      configMap({ annotations: { 'example.org/my note': 'free text is fine: ünïcode, spaces\nand lines' } }),
      [`${UNIT}/configmap-settings.yaml: ConfigMap/settings: metadata.annotations["example.org/my note"]: annotation key: ${QUALIFIED}; given "example.org/my note"`],
    ],
    [
      'annotations over 256 KiB',
      configMap({ annotations: { 'example.org/big': 'x'.repeat(256 * 1024) } }),
      [`${UNIT}/configmap-settings.yaml: ConfigMap/settings: metadata.annotations: annotations: expected at most 262144 bytes of keys and values in total; given 262159 bytes`],
    ],
    [
      'a namespace that is not a DNS-1123 label',
      configMap({ namespace: 'Web.Site' }),
      [
        `${UNIT}/configmap-settings.yaml: ConfigMap/settings: metadata.namespace: namespace: expected a DNS-1123 label: at most 63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit; given "Web.Site"`,
      ],
    ],
  ];

  it.each(cases)('reports %s', (_, object, expected) => {
    expect(problemsOf(object)).toEqual(expected);
  });

  it('checks selectors, pod template labels, node selectors, match expressions and tolerations', () => {
    const deployment: ApiObjectJson = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'web' },
      spec: {
        selector: { matchLabels: { 'app!': 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front end'] }] },
        template: {
          metadata: { labels: { app: '-web' } },
          spec: {
            nodeSelector: { 'kubernetes.io/hostname': 'node 1' },
            tolerations: [{ key: 'dedicated=remote', operator: 'Exists' }, { operator: 'Exists' }],
            containers: [{ name: 'web', image: 'nginx' }],
          },
        },
      },
    };
    const file = `${UNIT}/deployment-web.yaml: Deployment/web`;
    expect(problemsOf(deployment)).toEqual([
      `${file}: spec.selector.matchLabels["app!"]: selector key: ${QUALIFIED}; given "app!"`,
      `${file}: spec.selector.matchExpressions[0].values[0]: selector value: ${LABEL_VALUE}; given "front end"`,
      `${file}: spec.template.metadata.labels.app: label value: ${LABEL_VALUE}; given "-web"`,
      `${file}: spec.template.spec.nodeSelector["kubernetes.io/hostname"]: node selector value: ${LABEL_VALUE}; given "node 1"`,
      `${file}: spec.template.spec.tolerations[0].key: toleration key: ${QUALIFIED}; given "dedicated=remote"`,
    ]);
    expect(problemsOf({ ...service('web'), spec: { selector: { 'app.kubernetes.io/name': 'web site' } } })).toEqual([
      `${UNIT}/service-web.yaml: Service/web: spec.selector["app.kubernetes.io/name"]: selector value: ${LABEL_VALUE}; given "web site"`,
    ]);
  });

  it('allows names per kind as the API server does: subdomains with dots, RBAC names with colons', () => {
    expect(problemsOf(configMap({ name: 'settings.v1' }))).toEqual([]);
    expect(problemsOf({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:aggregate-to-view' } })).toEqual([]);
    expect(problemsOf(service('web.site'))).toEqual([
      `${UNIT}/service-web.site.yaml: Service/web.site: metadata.name: Service name: ${DNS1035}; given "web.site"`,
    ]);
    expect(problemsOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a'.repeat(63) } })).toEqual([]);
    expect(problemsOf(configMap({ labels: { 'app.kubernetes.io/name': '', 'example.org/Tier_1.x': 'A-b_c.9' } }))).toEqual([]);
  });

  it('finds nothing wrong in the home lab, and runs with every other policy', () => {
    const home = renderHome();
    expect(kubernetesNames(home.units)).toEqual([]);
    const bad: RenderedUnit = { path: UNIT, objects: [service(long)] };
    expect(checkPolicies([bad], loadHome()).map((problem) => problem.path)).toEqual(['metadata.name']);
  });
});
