import { describe, expect, it } from 'vitest';
import {
  dns1035Problem,
  labelValueProblem,
  pathPrefixProblem,
  qualifiedNameProblem,
} from '../../lib/config/semantic-names';
import { lab, load } from './lab';
import { problems } from './support';

const QUALIFIED =
  "a qualified name: an optional DNS-1123 subdomain prefix of at most 253 characters and '/', then a name of at most 63 ASCII letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
const VALUE = "a label value: empty, or at most 63 ASCII letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
const PATH = "a relative path inside the repository such as ./dist (no leading '/', no '.' or '..' segment, no empty segment)";

describe('Kubernetes name rules', () => {
  it('accepts label keys as IsQualifiedName does, and says why it refuses one', () => {
    const subdomain253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(
      ['zone', 'kubernetes.io/hostname', 'A_b.c-9', `${subdomain253}/x`, `x/${'n'.repeat(63)}`].map(qualifiedNameProblem),
    ).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(
      Object.fromEntries(
        ['bad key!', '', '/x', 'x/', 'a/b/c', 'Example.org/x', `${subdomain253}a/x`, 'n'.repeat(64), '-x', 'x_', 'zоne'].map((key) => [key, qualifiedNameProblem(key)]),
      ),
    ).toEqual({
      'bad key!': 'the character " "',
      '': 'an empty name',
      '/x': "an empty prefix before '/'",
      'x/': 'an empty name',
      'a/b/c': "more than one '/'",
      'Example.org/x': 'a prefix that is not a DNS-1123 subdomain',
      [`${subdomain253}a/x`]: 'a prefix of 254 characters',
      ['n'.repeat(64)]: 'a name of 64 characters',
      '-x': 'it does not start and end with a letter or digit',
      x_: 'it does not start and end with a letter or digit',
      // The "о" is Cyrillic.
      zоne: 'the character "о"',
    });
  });

  it('accepts label values as IsValidLabelValue does: empty, or up to 63 of the name characters', () => {
    expect(['', 'a', 'A.b_c-9', 'v'.repeat(63)].map(labelValueProblem)).toEqual([undefined, undefined, undefined, undefined]);
    expect(['v'.repeat(64), 'a\nb', '.a', 'a b'].map(labelValueProblem)).toEqual([
      '64 characters',
      'the character "\\n"',
      'it does not start and end with a letter or digit',
      'the character " "',
    ]);
  });

  it('accepts Service names as IsDNS1035Label does', () => {
    expect(['web', 'a-1', 's'.repeat(63)].map(dns1035Problem)).toEqual([undefined, undefined, undefined]);
    expect(['1web', 's'.repeat(64), 'web-', 'Web'].map(dns1035Problem)).toEqual([
      'it does not start with a letter',
      '64 characters',
      'a character other than a-z, 0-9 or -, or a trailing -',
      'it does not start with a letter',
    ]);
  });

  it('keeps the path prefix inside the repository', () => {
    expect(['', '.', './dist', 'dist', './clusters/prod/dist'].map(pathPrefixProblem)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(['../../../etc', '/etc', 'a//b', 'dist/', 'a/./b', 'dist/..'].map(pathPrefixProblem)).toEqual([
      "a '..' segment",
      'an absolute path',
      'an empty segment',
      'an empty segment',
      "a '.' segment after the start",
      "a '..' segment",
    ]);
  });
});

const onAlpha = (lines: string) => ['      - name: alpha\n', `      - name: alpha\n${lines}`] as const;
const withGitops = (gitops: string) => ['secrets: { name: vault }\n', `secrets: { name: vault }\ngitops: ${gitops}\n`] as const;

describe('names in the environment', () => {
  it.each([
    ['a label key with a space', '{ "bad key!": x }', `9:19 clusters[0].nodes[0].labels["bad key!"]: invalid label key; expected ${QUALIFIED}; given "bad key!" (the character " ")`],
    ['a label key with a newline', '{ "zo\\nne": a }', `9:19 clusters[0].nodes[0].labels["zo\\nne"]: invalid label key; expected ${QUALIFIED}; given "zo\\nne" (the character "\\n")`],
    ['an upper-case prefix', '{ Example.org/zone: a }', `9:19 clusters[0].nodes[0].labels["Example.org/zone"]: invalid label key; expected ${QUALIFIED}; given "Example.org/zone" (a prefix that is not a DNS-1123 subdomain)`],
    ['a Cyrillic label value', '{ zone: "зона" }', `9:25 clusters[0].nodes[0].labels.zone: invalid label value; expected ${VALUE}; given "зона" (the character "з")`],
    ['a label value of 64 characters', `{ zone: ${'a'.repeat(64)} }`, `9:25 clusters[0].nodes[0].labels.zone: invalid label value; expected ${VALUE}; given "${'a'.repeat(64)}" (64 characters)`],
    ['a label value with a newline', '{ zone: "a\\nb" }', `9:25 clusters[0].nodes[0].labels.zone: invalid label value; expected ${VALUE}; given "a\\nb" (the character "\\n")`],
  ])('refuses %s on a node, once', (_, labels, problem) => {
    expect(problems(lab(onAlpha(`        labels: ${labels}\n`)))).toEqual([`environments/test.yaml:${problem}`]);
  });

  it('accepts an empty label value and a prefixed key', () => {
    const env = load(lab(onAlpha('        labels: { example.org/zone: "", kubernetes.io/hostname: alpha }\n')));
    expect(env.clusters[0]?.nodes[0]?.labels).toEqual({ 'example.org/zone': '', 'kubernetes.io/hostname': 'alpha' });
  });

  it('refuses a taint key and value that cannot become a toleration', () => {
    const taints = 'taints: [{ key: role, value: dr, effect: NoExecute }, { key: "ro le", value: "d r", effect: NoSchedule }]';
    expect(problems(lab(['taints: [{ key: role, value: dr, effect: NoExecute }]', taints]))).toEqual([
      `environments/test.yaml:10:70 clusters[0].nodes[1].taints[1].key: invalid taint key (it becomes the twins’ toleration key); expected ${QUALIFIED}; given "ro le" (the character " ")`,
      `environments/test.yaml:10:86 clusters[0].nodes[1].taints[1].value: invalid taint value (it becomes the twins’ toleration value); expected ${VALUE}; given "d r" (the character " ")`,
    ]);
  });

  it('refuses a provisioner that ValidateStorageClass refuses, and accepts upper case as it does', () => {
    const provisioner = (value: string) => lab(['provisioner: rancher.io/local-path', `provisioner: ${value}`]);
    const expected = `expected a provisioner such as zfs.csi.openebs.io: ${QUALIFIED}`;
    expect(problems(provisioner('"rancher.io/local path"'))).toEqual([
      `environments/test.yaml:23:22 clusters[0].storageClasses[2].provisioner: ${expected}; given "rancher.io/local path" (the character " ")`,
    ]);
    expect(problems(provisioner(`rancher.io/${'a'.repeat(64)}`))).toEqual([
      `environments/test.yaml:23:22 clusters[0].storageClasses[2].provisioner: ${expected}; given "rancher.io/${'a'.repeat(64)}" (a name of 64 characters)`,
    ]);
    expect(load(provisioner('Rancher.io/Local-Path')).clusters[0]?.storageClasses[2]?.provisioner).toBe('Rancher.io/Local-Path');
  });

  it.each([
    ['../../../etc', "a '..' segment"],
    ['/etc', 'an absolute path'],
    ['a//b', 'an empty segment'],
  ])('refuses the path prefix %s', (prefix, why) => {
    expect(problems(lab(withGitops(`{ pathPrefix: ${prefix} }`)))).toEqual([
      `environments/test.yaml:2:23 gitops.pathPrefix: expected ${PATH}; given "${prefix}" (${why})`,
    ]);
  });

  it('accepts a path prefix deeper in the repository', () => {
    expect(load(lab(withGitops('{ pathPrefix: ./clusters/prod/dist }'))).gitops.pathPrefix).toBe('./clusters/prod/dist');
  });

  it('refuses a Helm repository URL with a newline, and a parameter key that is empty, once each', () => {
    const repository = lab(['      acmeEmail: ops@example.org\n', '      acmeEmail: ops@example.org\n      repository: "https://example.org/charts\\nx"\n']);
    expect(problems(repository)).toEqual([
      'environments/test.yaml:26:19 clusters[0].edge.repository: expected an https:// or oci:// URL without spaces; given "https://example.org/charts\\nx"',
    ]);
    expect(problems(lab(['parameters: { poolname: tank/k8s }', 'parameters: { "": tank/k8s }']))).toEqual([
      'environments/test.yaml:16:23 clusters[0].storageClasses[0].parameters[""]: unknown field ""; expected a key that is a non-empty string on one line',
    ]);
  });
});
