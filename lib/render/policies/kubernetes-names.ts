/**
 * What the API server accepts, checked on every rendered object whoever made it (the loader
 * checks the environment; a chart or a construct can still produce a bad name): object names
 * per kind, namespaces, label keys and values, annotation keys and size, label selectors and
 * toleration keys. The rules are apimachinery's (k8s.io/apimachinery/pkg/util/validation/
 * validation.go: IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName,
 * IsValidLabelValue; pkg/api/validation/objectmeta.go: ValidateAnnotationsSize) and the name
 * rule each kind's validation picks (pkg/apis/core/validation: ValidateServiceName is
 * NameIsDNS1035Label, ValidateNamespaceName is a DNS-1123 label; rbac's ValidateRBACName is a
 * path segment; everything else, custom resources included, NameIsDNSSubdomain).
 */
import { unitFileName } from '../layout';
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { problemAt, type PolicyProblem } from './problem';
import { isRecord } from '../../json';
import { at, pathOf, type Where } from './where';

/** A syntax rule: what a value must look like, in words, and the test. */
interface Rule {
  readonly expected: string;
  readonly maxLength?: number;
  readonly test: (value: string) => boolean;
}

const LABEL_PART = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL_PART}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL_PART}(\\.${LABEL_PART})*$`);
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const within = (value: string, max: number) => value.length <= max;

export const RULES = {
  dns1123Label: {
    expected: "a DNS-1123 label: at most 63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit",
    maxLength: 63,
    test: (value: string) => within(value, 63) && DNS1123_LABEL.test(value),
  },
  dns1123Subdomain: {
    expected: "a DNS-1123 subdomain: at most 253 characters, dot-separated lower-case letters, digits and '-', each part starting and ending with a letter or digit",
    maxLength: 253,
    test: (value: string) => within(value, 253) && DNS1123_SUBDOMAIN.test(value),
  },
  dns1035Label: {
    expected: "a DNS-1035 label: at most 63 characters, lower-case letters, digits and '-', starting with a letter and ending with a letter or digit",
    maxLength: 63,
    test: (value: string) => within(value, 63) && DNS1035_LABEL.test(value),
  },
  pathSegment: {
    expected: "a name usable as a path segment: not empty, '.' or '..', without '/' or '%'",
    test: (value: string) => value !== '' && value !== '.' && value !== '..' && !/[/%]/.test(value),
  },
  qualifiedName: {
    expected:
      "a qualified name: an optional DNS-1123 subdomain prefix and '/', then at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
    test: (value: string) => {
      const slash = value.indexOf('/');
      const [prefix, name] = slash === -1 ? [undefined, value] : [value.slice(0, slash), value.slice(slash + 1)];
      if (prefix !== undefined && !RULES.dns1123Subdomain.test(prefix)) return false;
      return within(name, 63) && QUALIFIED_NAME_PART.test(name);
    },
  },
  labelValue: {
    expected: "a label value: empty, or at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
    maxLength: 63,
    test: (value: string) => within(value, 63) && LABEL_VALUE.test(value),
  },
} as const satisfies Record<string, Rule>;

/** The name rule of a kind, by API group (core is ''); any other kind's names are DNS-1123 subdomains. */
const NAME_RULES: readonly { readonly group: string; readonly kinds: readonly string[]; readonly rule: Rule }[] = [
  { group: '', kinds: ['Namespace'], rule: RULES.dns1123Label },
  { group: '', kinds: ['Service'], rule: RULES.dns1035Label },
  { group: 'rbac.authorization.k8s.io', kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'], rule: RULES.pathSegment },
];

/** Limit of the annotations of one object, keys and values together (TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '');

export function nameRuleOf(object: ApiObjectJson): Rule {
  const group = groupOf(object.apiVersion);
  return NAME_RULES.find((entry) => entry.group === group && entry.kinds.includes(object.kind))?.rule ?? RULES.dns1123Subdomain;
}

type Json = unknown;

/** `"Bad_Name"`, with its length when the rule has a limit it passes. */
function given(rule: Rule, value: string): string {
  const length = rule.maxLength !== undefined && value.length > rule.maxLength ? ` (${value.length} characters)` : '';
  return `${JSON.stringify(value)}${length}`;
}

/** Collects the problems of one object. */
class ObjectCheck {
  readonly problems: PolicyProblem[] = [];

  constructor(
    private readonly unit: RenderedUnit,
    private readonly object: ApiObjectJson,
    private readonly file: string,
  ) {}

  check(where: Where, what: string, rule: Rule, value: string): void {
    if (rule.test(value)) return;
    const message = `${what}: expected ${rule.expected}; given ${given(rule, value)}`;
    this.problems.push({ ...problemAt(this.unit, this.object, pathOf(where), message), file: this.file });
  }

  /** A map of label keys to label values: metadata labels, selectors, node selectors. */
  labelMap(where: Where, what: string, map: Record<string, Json>): void {
    for (const key of Object.keys(map)) {
      const value = map[key];
      this.check(at(where, key), `${what} key`, RULES.qualifiedName, key);
      if (typeof value === 'string') this.check(at(where, key), `${what} value`, RULES.labelValue, value);
    }
  }

  annotations(where: Where, map: Record<string, Json>): void {
    let bytes = 0;
    for (const key of Object.keys(map)) {
      const value = map[key];
      this.check(at(where, key), 'annotation key', RULES.qualifiedName, key);
      bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
    }
    if (bytes > ANNOTATIONS_MAX_BYTES) {
      const message = `annotations: expected at most ${ANNOTATIONS_MAX_BYTES} bytes of keys and values in total; given ${bytes} bytes`;
      this.problems.push({ ...problemAt(this.unit, this.object, pathOf(where), message), file: this.file });
    }
  }

  /**
   * Every object meta, label selector, node selector and toleration below `value`, wherever it
   * sits: pod templates, claim templates, job templates, and the same shapes in custom resources.
   */
  walk(value: Json, where: Where, parentKey: string | undefined): void {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) this.walk(value[index] as Json, at(where, index), parentKey);
      return;
    }
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      const child = value[key] as Json;
      if (parentKey === 'metadata' && key === 'labels' && isRecord(child)) this.labelMap(at(where, key), 'label', child);
      else if (parentKey === 'metadata' && key === 'annotations' && isRecord(child)) this.annotations(at(where, key), child);
      else if (key === 'matchLabels' && isRecord(child)) this.labelMap(at(where, key), 'selector', child);
      else if (key === 'nodeSelector' && isRecord(child)) this.labelMap(at(where, key), 'node selector', child);
      else if (key === 'selector' && this.isServiceSelector(where, child)) this.labelMap(at(where, key), 'selector', child as Record<string, Json>);
      else if (key === 'matchExpressions' && Array.isArray(child)) this.expressions(at(where, key), child);
      else if (key === 'tolerations' && Array.isArray(child)) this.tolerations(at(where, key), child);
      else if (typeof child === 'object' && child !== null) this.walk(child, at(where, key), key);
    }
  }

  /** A Service's (or ReplicationController's) selector is a plain label map at `spec.selector`. */
  private isServiceSelector(where: Where, child: Json): boolean {
    return where !== undefined && where.parent === undefined && where.step === 'spec' && ['Service', 'ReplicationController'].includes(this.object.kind) && groupOf(this.object.apiVersion) === '' && isRecord(child);
  }

  private expressions(where: Where, list: readonly Json[]): void {
    list.forEach((item, index) => {
      if (!isRecord(item)) return;
      if (typeof item['key'] === 'string') this.check(at(at(where, index), 'key'), 'selector key', RULES.qualifiedName, item['key']);
      const values = item['values'];
      if (Array.isArray(values)) {
        values.forEach((entry, v) => {
          if (typeof entry === 'string') this.check(at(at(at(where, index), 'values'), v), 'selector value', RULES.labelValue, entry);
        });
      }
    });
  }

  private tolerations(where: Where, list: readonly Json[]): void {
    list.forEach((item, index) => {
      // An empty key with `operator: Exists` tolerates every taint: allowed.
      if (isRecord(item) && typeof item['key'] === 'string' && item['key'] !== '') {
        this.check(at(at(where, index), 'key'), 'toleration key', RULES.qualifiedName, item['key']);
      }
    });
  }
}

/** Every problem of one object, in field order. */
export function objectNameProblems(unit: RenderedUnit, object: ApiObjectJson): PolicyProblem[] {
  const check = new ObjectCheck(unit, object, `${unit.path}/${unitFileName(object)}`);
  const { name, namespace } = object.metadata;
  const nameRule = nameRuleOf(object);
  const metadata = at(undefined, 'metadata');
  check.check(at(metadata, 'name'), `${object.kind} name`, nameRule, name);
  if (namespace !== undefined) check.check(at(metadata, 'namespace'), 'namespace', RULES.dns1123Label, namespace);
  check.walk(object, undefined, undefined);
  return check.problems;
}

/** Names, labels, annotations, selectors and tolerations of every object, as Kubernetes accepts them. */
export function kubernetesNames(units: readonly RenderedUnit[]): PolicyProblem[] {
  return units.flatMap((unit) => unit.objects.flatMap((object) => objectNameProblems(unit, object)));
}
