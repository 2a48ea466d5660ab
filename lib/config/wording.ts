/**
 * The words problems are written in, shared by the schema and the semantic checks so that one
 * rule always reads the same wherever it is broken.
 */
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, DURATION, GIT_URL, HELM_REPOSITORY, HOSTNAME, REGION } from './schema';
import { CHART_VERSION, KUBERNETES_VERSION, RELEASE_TAG, UUID } from './schema-capi';

export const A_DNS_LABEL =
  "a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";
export const A_DNS_SUBDOMAIN =
  "a DNS-1123 subdomain (DNS-1123 labels joined by '.', at most 253 characters)";
export const A_HOSTNAME = 'a fully qualified host name such as blog.example.org';
export const A_DURATION = 'a duration such as 10m or 1h30m';
export const A_DR_SUFFIX = "a name suffix such as -dr ('-' then lower-case letters, digits and '-')";
export const AN_IP_ADDRESS = 'an IPv4 or IPv6 address';
export const A_DNS1035_LABEL =
  "a DNS-1035 label (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters)";
export const A_QUALIFIED_NAME =
  "a qualified name: an optional DNS-1123 subdomain prefix of at most 253 characters and '/', then a name of at most 63 ASCII letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
export const A_LABEL_VALUE =
  "a label value: empty, or at most 63 ASCII letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
export const A_MAP_KEY = 'a non-empty string on one line';

/** Friendly names of the patterns the schema uses; a pattern not listed reads as itself. */
const PATTERNS: ReadonlyMap<string, string> = new Map([
  [DNS1123_LABEL, A_DNS_LABEL],
  [DNS1123_SUBDOMAIN, A_DNS_SUBDOMAIN],
  [HOSTNAME, A_HOSTNAME],
  [DURATION, A_DURATION],
  ['^-[a-z0-9]([-a-z0-9]*[a-z0-9])?$', A_DR_SUFFIX],
  ['^[A-Za-z0-9._/-]*$', "a path of letters, digits, '.', '_', '/' and '-'"],
  ['^.+$', A_MAP_KEY],
  [HELM_REPOSITORY, 'an https:// or oci:// URL without spaces'],
  [GIT_URL, 'an https:// or ssh:// URL without spaces'],
  [RELEASE_TAG, 'a release tag such as v1.14.0'],
  [CHART_VERSION, 'a chart version such as 1.16.3'],
  [KUBERNETES_VERSION, 'a Kubernetes version such as v1.34.0 (kubeadm) or v1.33.1+rke2r1 (rke2)'],
  [UUID, 'a UUID such as 00000000-0000-4000-8000-000000000001'],
  [REGION, "a region name of letters, digits and '-'"],
]);

export function describePattern(pattern: string): string {
  return PATTERNS.get(pattern) ?? `a string matching ${pattern}`;
}

/** `one of a, b, c` (or just `"a"` when there is only one choice). */
export function oneOf(choices: readonly string[]): string {
  if (choices.length === 0) return 'nothing (none is defined)';
  return choices.length === 1 ? `${choices[0]}` : `one of ${choices.join(', ')}`;
}

/** What was given, for the `given` part: JSON for scalars, words for collections. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'a mapping';
  return JSON.stringify(value);
}

/** The JSON Schema type name of a value, as the user sees it in `expected integer; given …`. */
export function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Edit distance counting a swap of neighbours as one edit (`hots` → `host`). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
    }
  }
  return at(a.length, b.length);
}

/** ` (did you mean "host"?)` when one choice is a near miss, else the empty string. */
export function didYouMean(given: string, choices: readonly string[]): string {
  const allowed = Math.min(Math.max(1, Math.floor(given.length / 3)), given.length - 1);
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const choice of choices) {
    const d = distance(given.toLowerCase(), choice.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [choice, d];
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
