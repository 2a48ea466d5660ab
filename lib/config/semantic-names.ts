/**
 * What Kubernetes accepts as a label key, a label value, a Service name and a storage class
 * provisioner, and the checks of the environment values that become them: node labels (the
 * twins' nodeSelector), taints (their tolerations) and provisioners. The rules are upstream's,
 * from k8s.io/apimachinery/pkg/util/validation (IsQualifiedName, IsValidLabelValue,
 * IsDNS1035Label), so that anything the loader accepts the API server accepts too.
 */
import type { Cluster } from './environment';
import type { ConfigPath } from './errors';
import { finding, quote, type CheckContext } from './semantic-context';
import { A_DNS1035_LABEL, A_LABEL_VALUE, A_QUALIFIED_NAME } from './wording';

/** The longest label value, qualified-name name part, DNS label and Service name. */
export const MAX_LABEL_LENGTH = 63;
/** The longest DNS-1123 subdomain: object names and a qualified name's prefix. */
export const MAX_SUBDOMAIN_LENGTH = 253;

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Why `value` is not a qualified name (a label or taint key), or undefined when it is one:
 * `[prefix/]name`, the prefix a DNS-1123 subdomain of at most 253 characters, the name at most
 * 63 characters of `[-A-Za-z0-9_.]` starting and ending alphanumeric (IsQualifiedName).
 */
export function qualifiedNameProblem(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length > 2) return "more than one '/'";
  const [prefix, name] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : [undefined, parts[0] ?? ''];
  if (prefix !== undefined) {
    if (prefix === '') return "an empty prefix before '/'";
    if (prefix.length > MAX_SUBDOMAIN_LENGTH) return `a prefix of ${prefix.length} characters`;
    if (!SUBDOMAIN.test(prefix)) return 'a prefix that is not a DNS-1123 subdomain';
  }
  if (name === '') return 'an empty name';
  if (name.length > MAX_LABEL_LENGTH) return `a name of ${name.length} characters`;
  return NAME_PART.test(name) ? undefined : nameCharacterProblem(name);
}

/** Why `value` is not a label value (nor a taint value), or undefined when it is one. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_LABEL_LENGTH) return `${value.length} characters`;
  return NAME_PART.test(value) ? undefined : nameCharacterProblem(value);
}

/** Why `value` is not a DNS-1035 label (a Service name), or undefined when it is one. */
export function dns1035Problem(value: string): string | undefined {
  if (value.length > MAX_LABEL_LENGTH) return `${value.length} characters`;
  if (DNS1035_LABEL.test(value)) return undefined;
  return /^[a-z]/.test(value) ? 'a character other than a-z, 0-9 or -, or a trailing -' : 'it does not start with a letter';
}

/** The first character a name part may not hold, said so that a newline or a Cyrillic letter shows. */
function nameCharacterProblem(name: string): string {
  const bad = [...name].find((char) => !/[-A-Za-z0-9_.]/.test(char));
  if (bad !== undefined) return `the character ${JSON.stringify(bad)}`;
  return 'it does not start and end with a letter or digit';
}

/** `"bad key!" (the character " ")`: the value as given, with why it is refused. */
const shown = (value: string, why: string): string => `${quote(value)} (${why})`;

export function checkNodeNames(context: CheckContext, cluster: Cluster, c: number): void {
  cluster.nodes.forEach((node, n) => {
    const at: ConfigPath = ['clusters', c, 'nodes', n];
    // Default labels (`kubernetes.io/hostname: <name>`) are valid by the node name's own rule.
    for (const [key, value] of Object.entries(node.labels)) {
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem !== undefined) {
        context.report([...at, 'labels', key], finding(A_QUALIFIED_NAME, shown(key, keyProblem), 'invalid label key'), { target: 'key' });
      }
      const valueProblem = labelValueProblem(value);
      if (valueProblem !== undefined) {
        context.report([...at, 'labels', key], finding(A_LABEL_VALUE, shown(value, valueProblem), 'invalid label value'));
      }
    }
    node.taints.forEach((taint, t) => {
      const keyProblem = qualifiedNameProblem(taint.key);
      if (keyProblem !== undefined) {
        context.report([...at, 'taints', t, 'key'], finding(A_QUALIFIED_NAME, shown(taint.key, keyProblem), 'invalid taint key (it becomes the twins’ toleration key)'));
      }
      const valueProblem = taint.value === undefined ? undefined : labelValueProblem(taint.value);
      if (taint.value !== undefined && valueProblem !== undefined) {
        context.report([...at, 'taints', t, 'value'], finding(A_LABEL_VALUE, shown(taint.value, valueProblem), 'invalid taint value (it becomes the twins’ toleration value)'));
      }
    });
  });
}

/** A provisioner is a qualified name, checked in lower case (ValidateStorageClass, validateProvisioner). */
export function checkProvisioners(context: CheckContext, cluster: Cluster, c: number): void {
  cluster.storageClasses.forEach((sc, k) => {
    const problem = qualifiedNameProblem(sc.provisioner.toLowerCase());
    if (problem === undefined) return;
    const expected = `a provisioner such as zfs.csi.openebs.io: ${A_QUALIFIED_NAME}`;
    context.report(['clusters', c, 'storageClasses', k, 'provisioner'], finding(expected, shown(sc.provisioner, problem)));
  });
}

/** A field whose value leads to a Service name, which Kubernetes wants to be a DNS-1035 label. */
export interface ServiceNameSource {
  readonly path: ConfigPath;
  /** What the field holds, in words: `an app name`, `a Traefik instance name`. */
  readonly field: string;
  /** Its value, part of the Service name. */
  readonly value: string;
  /** The Service name derived from it, in its longest rendered form. */
  readonly service: string;
  /** Which Service that is: `the IPv6 load balancer of wordpress`. */
  readonly what: string;
}

/** Reports the field when its Service is no DNS-1035 label: too long (says how short) or not led by a letter. */
export function checkServiceName(context: CheckContext, source: ServiceNameSource): void {
  const { service, value, field } = source;
  if (dns1035Problem(service) === undefined) return;
  const so = `so that ${source.what} (a Service named ${quote(service)}) is ${A_DNS1035_LABEL}`;
  if (service.length > MAX_LABEL_LENGTH) {
    const most = value.length - (service.length - MAX_LABEL_LENGTH);
    context.report(source.path, finding(`${field} of at most ${most} characters, ${so}`, `${quote(value)} (${value.length} characters)`));
  } else {
    context.report(source.path, finding(`${field} that starts with a letter, ${so}`, quote(value)));
  }
}

/**
 * Where `dist/` sits in the repository, as Flux reads it: a relative path that stays inside the
 * repository. `.`, `./dist`, `dist` and `./clusters/prod/dist` are fine; `/etc` (absolute),
 * `../../../etc` (leaves it) and `a//b` (an empty segment) are not.
 */
export function pathPrefixProblem(prefix: string): string | undefined {
  if (prefix === '' || prefix === '.') return undefined;
  if (prefix.startsWith('/')) return 'an absolute path';
  const segments = (prefix.startsWith('./') ? prefix.slice(2) : prefix).split('/');
  if (segments.includes('..')) return "a '..' segment";
  if (segments.includes('.')) return "a '.' segment after the start";
  if (segments.includes('')) return 'an empty segment';
  return undefined;
}

export function checkPathPrefix(context: CheckContext): void {
  const prefix = context.env.gitops.pathPrefix;
  const problem = pathPrefixProblem(prefix);
  if (problem === undefined) return;
  const expected = "a relative path inside the repository such as ./dist (no leading '/', no '.' or '..' segment, no empty segment)";
  context.report(['gitops', 'pathPrefix'], finding(expected, shown(prefix, problem)));
}
