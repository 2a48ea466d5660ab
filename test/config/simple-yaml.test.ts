import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetYaml } from '../../lib/bench/fleet';
import { readSimpleYaml } from '../../lib/config/simple-yaml';
import { readYamlWithRanges } from '../../lib/config/source';

/**
 * The fast reader's contract: it declines, or it returns what the full parser returns (same
 * values, types and key order) for a document in which the full parser finds no problem.
 */
function agrees(text: string): 'read' | 'declined' {
  const fast = readSimpleYaml(text);
  if (fast === undefined) return 'declined';
  const full = readYamlWithRanges('env.yaml', text);
  expect(full.problems, text).toEqual([]);
  expect(full.usable, text).toBe(true);
  expect(fast.data, text).toStrictEqual(full.data);
  expect(JSON.stringify(fast.data), text).toBe(JSON.stringify(full.data));
  return 'read';
}

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => join(entry.parentPath, entry.name));

describe('readSimpleYaml', () => {
  it('reads the committed environments, the fixtures and the bench fleet as the full parser does', () => {
    const files = [...yamlFiles('environments'), ...yamlFiles('test/fixtures/environments'), 'test/fixtures/regions.yaml', 'test/fixtures/fleet.yaml'];
    for (const file of files) expect(agrees(readFileSync(file, 'utf8')), file).toBe('read');
    expect(agrees(fleetYaml(3, ['keycloak', 'nextcloud', 'redis', 'wordpress']))).toBe('read');
  });

  it('resolves plain scalars as the YAML 1.2 core schema does, in values, lists and flow mappings', () => {
    const scalars = [
      'text', 'two words', 'ends with dot.', '-dr', 'http://example.org/a', 'a#b', 'a, b [c] {d}', 'é', '2001:db8::1', '192.0.2.10',
      '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'yes', 'no', 'on', 'off',
      '0', '1', '-1', '+1', '007', '0o17', '0x1F', '0xfg', '1e3', '1.5', '1.50', '.5', '+.5', '-1.', '.inf', '-.Inf', '.nan', '.NaN',
      '12345678901234567890', '2001-01-01', '1_000', '0b101', '1:30',
    ];
    for (const scalar of scalars) {
      expect(agrees(`key: ${scalar}\n`)).toBe('read');
      expect(agrees(`key: ${scalar}   # a comment\n`)).toBe('read');
      expect(agrees(`- ${scalar}\n`)).toBe('read');
      agrees(`key: [${scalar}, x]\n`);
      agrees(`key: { a: ${scalar} }\n`);
    }
  });

  it('reads the structures environment files use', () => {
    const documents = [
      'a:\n  b: 1\n  c:\n    - x\n    - y: 2\n      z: 3\nd: e\n',
      'a:\n- x\n- y\nb: 1\n',
      'list:\n  -\n    a: 1\n  -\n  - b\n',
      'a:\nb:\n  # comment\nc: 1\n',
      '# head\n\na: 1 # tail\n   # indented comment\nb: "quoted: # not a comment"\nc: \'single\'\n',
      'a: []\nb: {}\nc: [ ]\nd: { }\ne: [1, "two", \'three\', [4], { five: 5 }]\n',
      'nodes:\n  - { name: remote, taints: [{ key: dedicated, value: remote, effect: NoSchedule }] }\n',
      '-   a: 1\n    b: 2\n-  c\n',
      'kubernetes.io/hostname: x\nconstructor: 1\ntoString: 2\n',
    ];
    for (const document of documents) expect(agrees(document), document).toBe('read');
  });

  it('declines whatever only the full parser reads or reports', () => {
    const declined = [
      '', '# only a comment\n', '---\na: 1\n', 'a: 1\n---\nb: 2\n', 'a: 1\n...\n', '%YAML 1.2\n---\na: 1\n', '  a: 1\n', 'text\n',
      'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: |\n  block\n', 'a: >\n  folded\n', 'a: "esc\\"aped"\n', "a: 'it''s'\n", 'a: "unterminated\n',
      'a: b\n  continued\n', 'a: [1,\n  2]\n', 'a: [1, 2,]\n', 'a: [a:b]\n', 'a: { b }\n', 'a: {b: 1, b: 2}\n',
      'a: 1\na: 2\n', '__proto__: 1\n', '1: a\n', 'true: a\n', 'null: a\n', '~: a\n', '.5: a\n', '"quoted": a\n', 'a b: c\n', '? a\n: b\n',
      'a:\tb\n', 'a: b\r\n', 'a: b\u0085\n', 'a: \ufeffb\n', 'a: b: c\n', 'a: b:\n', 'a: - b\n', 'a: -\n', 'a: ? b\n', 'a: :b\n',
      'a: 1\n b: 2\n', 'a:\n    b: 1\n  c: 2\n', '- a\nb: 1\n', '- - a\n', 'a: @b\n', 'a: `b`\n', 'a: "x"y\n', 'a: [x]y\n',
      `${'k'.repeat(1100)}: v\n`,
    ];
    for (const document of declined) expect(readSimpleYaml(document), JSON.stringify(document)).toBeUndefined();
  });

  it('declines or agrees on every one-line edit of the committed examples', () => {
    const replacements = ['', '~', '1', 'x: y', '- x', '[a, b]', '{ a: 1 }', '"q"', '&a x', '*a', 'a #c', '  extra', ' # comment'];
    let read = 0;
    for (const file of ['environments/home.yaml', 'environments/regions.yaml']) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const edit = (replacement: string[]) => (agrees([...lines.slice(0, i), ...replacement, ...lines.slice(i + 1)].join('\n')) === 'read' ? read++ : 0);
        edit([]);
        edit([line, line]);
        edit([` ${line}`]);
        edit([line.replace(/^ {2}/, '')]);
        const keyed = /^(\s*(?:- )?[^:#]+:)( .*)?$/.exec(line);
        if (keyed !== null) for (const replacement of replacements) edit([`${keyed[1]} ${replacement}`]);
      });
    }
    // Most edits leave the document in the subset: the comparison above is not vacuous.
    expect(read).toBeGreaterThan(1000);
  });
});
