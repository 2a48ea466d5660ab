import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError } from '../../lib/config/errors';
import { decodeText, readYaml } from '../../lib/config/source';
import { configError, problems, yaml } from './support';

describe('YAML problems', () => {
  it('reports a syntax error with its line and column and keeps the parser error as cause', () => {
    const text = yaml`
      clusters:
        - name: home
          nodes: [{ name: hassio }
      description: unterminated flow sequence above
    `;
    expect(problems(text)).toEqual([
      'environments/test.yaml:4:1 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(configError(text).cause).toMatchObject({ code: 'BAD_INDENT' });
  });

  it('reports a duplicate key at the second key, naming the line of the first', () => {
    expect(
      problems(yaml`
        clusters:
          - name: home
            nodes:
              - name: hassio
                name: remote
      `),
    ).toEqual(['environments/test.yaml:5:9 clusters[0].nodes[0].name: duplicate key "name" (first at line 4)']);
  });

  it('reports a second document in the file', () => {
    expect(problems('clusters: [{ name: home, nodes: [{ name: hassio }] }]\n---\nclusters: []\n')).toEqual([
      'environments/test.yaml:2:1 expected one YAML document per file; given a second document after ---',
    ]);
  });
});

describe('readYaml locations', () => {
  const source = readYaml(
    'env.yaml',
    yaml`
      clusters:
        - name: home
          dr:
          nodes:
            - name: hassio
    `,
  );

  it('finds a value, or the key that names it', () => {
    expect(source.locate(['clusters', 0, 'nodes', 0, 'name'])).toEqual({ line: 5, column: 15 });
    expect(source.locate(['clusters', 0, 'nodes', 0, 'name'], 'key')).toEqual({ line: 5, column: 9 });
  });

  it('points at the key of a field written without a value', () => {
    expect(source.locate(['clusters', 0, 'dr'])).toEqual({ line: 3, column: 5 });
  });

  it('falls back to the deepest existing node for a path that does not exist', () => {
    expect(source.locate(['clusters', 0, 'apps', 2, 'host'])).toEqual({ line: 2, column: 5 });
  });

  it('gives plain data when the document is well formed', () => {
    expect(source.usable).toBe(true);
    expect(source.data).toEqual({ clusters: [{ name: 'home', dr: null, nodes: [{ name: 'hassio' }] }] });
  });
});

describe('aliases', () => {
  it('reports every alias to an anchor that is not set before it, at the alias', () => {
    expect(problems('clusters: *nodes\ndescription: *text\n')).toEqual([
      'environments/test.yaml:1:11 expected an alias to an anchor set before it; given *nodes, and no &nodes comes before it',
      'environments/test.yaml:2:14 expected an alias to an anchor set before it; given *text, and no &text comes before it',
    ]);
    // Set after the alias is not set before it.
    expect(problems('description: *text\nx: &text hello\n')[0]).toBe(
      'environments/test.yaml:1:14 expected an alias to an anchor set before it; given *text, and no &text comes before it',
    );
  });

  it('reports an alias bomb at the first alias that expands past the limit', () => {
    const bomb = yaml`
      a: &a [x, x, x, x, x, x, x, x, x, x]
      b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
      d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    `;
    // Each *b weighs the ten uses of *a behind it: the ninth *b is where yaml's count crosses 100.
    expect(problems(bomb)).toEqual(['environments/test.yaml:3:40 expected aliases that expand to at most 100 nodes in all; given *b, which expands past that (an alias bomb)']);
  });

  it('accepts aliases within the limit', () => {
    const source = readYaml('env.yaml', 'a: &a [1, 2]\nb: *a\nc: *a\n');
    expect(source.problems).toEqual([]);
    expect(source.data).toEqual({ a: [1, 2], b: [1, 2], c: [1, 2] });
  });
});

describe('keys', () => {
  it('reports __proto__ as a key wherever it is, rather than letting it vanish', () => {
    expect(problems('clusters:\n  - name: lab\n    __proto__: { admin: true }\n')).toEqual([
      'environments/test.yaml:3:5 clusters[0]: expected a key other than __proto__; given "__proto__"',
    ]);
  });
});

describe('decodeText', () => {
  const refusal = (bytes: number[] | Buffer) => {
    try {
      decodeText('env.yaml', Buffer.from(bytes as number[]));
    } catch (error) {
      if (error instanceof ConfigError) return formatConfigError(error);
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('refuses UTF-16 by its byte order mark, at line 1 column 1', () => {
    expect(refusal([0xff, 0xfe, 0x61, 0x00])).toBe('env.yaml:1:1 expected UTF-8 text; given UTF-16 (byte order mark)');
    expect(refusal([0xfe, 0xff, 0x00, 0x61])).toBe('env.yaml:1:1 expected UTF-8 text; given UTF-16 (byte order mark)');
  });

  it('refuses a NUL byte (UTF-16 without a mark, binary data) where it is', () => {
    expect(refusal(Buffer.from('a: 1\nbb: 2\n', 'utf16le'))).toBe('env.yaml:1:2 expected UTF-8 text; given a NUL byte (UTF-16 or binary data)');
    expect(refusal(Buffer.from('a: 1\nb: x\u0000\n'))).toBe('env.yaml:2:5 expected UTF-8 text; given a NUL byte (UTF-16 or binary data)');
  });

  it('refuses the first byte that is not UTF-8, counting columns in characters', () => {
    expect(refusal(Buffer.concat([Buffer.from('a: 1\nb: é'), Buffer.from([0xc0, 0xaf])]))).toBe(
      'env.yaml:2:5 expected UTF-8 text; given the byte 0xc0, which is not UTF-8',
    );
    // An encoded surrogate (ED A0 80) is not UTF-8 either.
    expect(refusal([0x61, 0xed, 0xa0, 0x80])).toBe('env.yaml:1:2 expected UTF-8 text; given the byte 0xed, which is not UTF-8');
    expect(refusal([0x61, 0x62, 0xe2, 0x82])).toBe('env.yaml:1:3 expected UTF-8 text; given the byte 0xe2, which is not UTF-8');
  });

  it('accepts UTF-8 with a byte order mark, keeps the mark, and positions ignore it', () => {
    const text = decodeText('env.yaml', Buffer.from('\ufeffclusters: 3\n'));
    expect(text).toBe('\ufeffclusters: 3\n');
    expect(problems(text)).toEqual(problems('clusters: 3\n'));
    expect(problems(text)).toEqual(['environments/test.yaml:1:11 clusters: expected array; given 3']);
  });
});
