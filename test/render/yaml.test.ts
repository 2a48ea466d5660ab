import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ApiObjectJson } from '../../lib/model';
import { toYaml, toYamlDocument, toYamlDocumentReference } from '../../lib/render/yaml';

describe('toYaml', () => {
  it('writes apiVersion, kind, metadata first, metadata name/namespace/labels/annotations first, the rest sorted', () => {
    const service: ApiObjectJson = {
      spec: { type: 'ClusterIP', selector: { app: 'wordpress' }, ports: [{ port: 80, targetPort: 8080, name: 'http' }] },
      metadata: {
        annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'blog.example.org' },
        uid: 'fixed',
        labels: { app: 'wordpress' },
        namespace: 'web',
        name: 'wordpress',
      },
      kind: 'Service',
      apiVersion: 'v1',
      status: { loadBalancer: {} },
    };

    expect(toYaml(service)).toBe(
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: wordpress',
        '  namespace: web',
        '  labels:',
        '    app: wordpress',
        '  annotations:',
        '    external-dns.alpha.kubernetes.io/hostname: blog.example.org',
        '  uid: fixed',
        'spec:',
        '  type: ClusterIP',
        '  selector:',
        '    app: wordpress',
        '  ports:',
        '  - port: 80',
        '    targetPort: 8080',
        '    name: http',
        'status:',
        '  loadBalancer: {}',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings that YAML 1.2, YAML 1.1 or go-yaml v2 (Kubernetes) would read as something else', () => {
    const data = {
      bool: 'true',
      int: '300',
      yes: 'yes',
      no: 'No',
      on: 'on',
      off: 'OFF',
      y: 'y',
      n: 'n',
      octal: '0755',
      octal12: '0o17',
      hex: '0x1F',
      exp: '1e3',
      empty: '',
      tilde: '~',
      null: 'null',
      underscored: '1_000',
      negInf: '-inf',
      hexFloat: '0x1p-2',
      date: '2001-12-14',
      sexagesimal: '1:20',
      merge: '<<',
      version: '1.2.3',
      address: '10.0.0.1',
      image: 'wordpress:6.4-apache',
      quantity: '10Gi',
      word: 'Infinity',
    };
    const text = toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'quoting' }, data });

    expect(text).toBe(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: quoting',
        'data:',
        '  bool: "true"',
        '  int: "300"',
        '  "yes": "yes"',
        '  "no": "No"',
        '  "on": "on"',
        '  "off": "OFF"',
        '  "y": "y"',
        '  "n": "n"',
        '  octal: "0755"',
        '  octal12: "0o17"',
        '  hex: "0x1F"',
        '  exp: "1e3"',
        '  empty: ""',
        '  tilde: "~"',
        '  "null": "null"',
        '  underscored: "1_000"',
        '  negInf: "-inf"',
        '  hexFloat: "0x1p-2"',
        '  date: "2001-12-14"',
        '  sexagesimal: "1:20"',
        '  merge: "<<"',
        '  version: 1.2.3',
        '  address: 10.0.0.1',
        '  image: wordpress:6.4-apache',
        '  quantity: 10Gi',
        '  word: Infinity',
        '',
      ].join('\n'),
    );
    // A YAML 1.1 reader gets the strings back, keys included.
    expect(parse(text, { version: '1.1' }).data).toEqual(data);
    expect(parse(text).data).toEqual(data);
  });

  it('writes multi-line strings as block literals, without folding long lines', () => {
    const long = 'word '.repeat(40).trim();
    const text = toYaml({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'scripts' },
      data: { 'run.sh': '#!/bin/sh\nset -eu\necho hi\n', 'no-newline': 'a\nb', long },
    });

    expect(text).toBe(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: scripts',
        'data:',
        '  run.sh: |',
        '    #!/bin/sh',
        '    set -eu',
        '    echo hi',
        '  no-newline: |-',
        '    a',
        '    b',
        `  long: ${long}`,
        '',
      ].join('\n'),
    );
  });

  it('writes an object referenced twice twice, never as an anchor and alias', () => {
    const toleration = { key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' };
    const text = toYamlDocument({ a: { tolerations: [toleration] }, b: { tolerations: [toleration] } });

    expect(text).not.toMatch(/[&*]a\d/);
    expect(text).toBe(
      [
        'a:',
        '  tolerations:',
        '  - key: dedicated',
        '    operator: Equal',
        '    value: remote',
        '    effect: NoSchedule',
        'b:',
        '  tolerations:',
        '  - key: dedicated',
        '    operator: Equal',
        '    value: remote',
        '    effect: NoSchedule',
        '',
      ].join('\n'),
    );
  });

  it('writes block literals, empty collections and nested sequences inside sequence items', () => {
    const text = toYamlDocument({
      items: [
        ['a', ['b']],
        { args: [], env: {}, script: 'x\ny\n' },
        '  indented\nfirst line\n',
      ],
    });

    expect(text).toBe(
      [
        'items:',
        '- - a',
        '  - - b',
        '- args: []',
        '  env: {}',
        '  script: |',
        '    x',
        '    y',
        '- |2',
        '    indented',
        '  first line',
        '',
      ].join('\n'),
    );
    expect(parse(text)).toEqual({ items: [['a', ['b']], { args: [], env: {}, script: 'x\ny\n' }, '  indented\nfirst line\n'] });
  });

  it('leaves out undefined properties, as JSON does', () => {
    expect(toYamlDocument({ a: 1, b: undefined, c: { d: undefined } })).toBe('a: 1\nc: {}\n');
  });

  it('names where a value is not JSON data', () => {
    expect(() => toYamlDocument({ spec: { when: new Date(0) } })).toThrow(
      'cannot write YAML: spec.when: expected JSON data, got Date',
    );
  });

  it('writes what yaml itself writes with the same options, for tricky strings anywhere', () => {
    const strings = [
      'a', 'true', 'yes', '300', '', 'a: b', '- x', '#c', 'x #c', 'foo\nbar\n', 'foo\nbar', '  lead\nx\n',
      'trail  \nx\n', 'x\n\n', '\n', 'tab\there', '\u0007bell', '---', '--- x', '... x', '%x', 'ends:', ':x',
      '"q"', "'s'", '\\', 'ünï 😀', 'crlf\r\n', ' lead', 'trail ', '@x', '`x', '!x', '&x', '*x', '|x', '>x',
      '?', '-', '{a}', '[a]', 'a,b', 'x'.repeat(120), 'word '.repeat(30), 'k: v\nk2: v2\n', '\u2028', '0755',
      // Decided without asking yaml (scalar fast path): rules, paths, and their near misses.
      'Host(`a.example.org`) || Host(`b.example.org`)', './dist/home/apps/x/prod', '../x', '.x', '...x', '---x', '- x', '-x',
      '?x', '? x', 'a:b', 'a :b', 'a# b', 'a #b', 'x:', 'x ', 'x\t', '0x1F', '0o17', '1e3', '.5', '+1', '-.inf', '.NaN', 'Null',
      '~', 'TRUE', 'y', 'n', 'On', '2001-12-14', '1:20', '1_000', 'a,b]', 'a{b}', 'a|b', 'a>b', 'a!b', 'a&b', 'a*b', 'a%b', 'a@b',
      'a`b', "a'b", 'a"b', 'x\u0085', 'x\u00a0y', 'x\u007f', '==', '=', '<<', '<< x', 'a b  c', 'http://x:80/y?z=1#f',
    ];
    const numbers = [0, -0, 1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const generate = (depth: number): unknown => {
      const roll = next();
      if (depth > 3 || roll < 0.4) return next() < 0.8 ? pick(strings) : next() < 0.7 ? pick(numbers) : pick([true, null]);
      if (roll < 0.7) {
        return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [pick(strings), generate(depth + 1)]));
      }
      return Array.from({ length: Math.floor(next() * 4) }, () => generate(depth + 1));
    };

    for (const text of strings) expect(toYamlDocument({ k: text, list: [text] })).toBe(toYamlDocumentReference({ k: text, list: [text] }));
    for (let round = 0; round < 1000; round++) {
      const value = { root: generate(0), list: [generate(1)] };
      expect(toYamlDocument(value)).toBe(toYamlDocumentReference(value));
    }
  });
});

describe('toYamlDocument', () => {
  it('writes a kustomization in the dist/ style, keys in the order given', () => {
    expect(
      toYamlDocument({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['deployment-wordpress.yaml', 'service-wordpress.yaml'],
      }),
    ).toBe(
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '- deployment-wordpress.yaml',
        '- service-wordpress.yaml',
        '',
      ].join('\n'),
    );
  });

  it('writes empty documents and scalars on one line', () => {
    expect(toYamlDocument({})).toBe('{}\n');
    expect(toYamlDocument([])).toBe('[]\n');
    expect(toYamlDocument('yes')).toBe('"yes"\n');
  });
});
