import { describe, expect, it } from 'vitest';
import { readYaml } from '../../lib/config/source';
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
