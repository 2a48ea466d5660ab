/**
 * The hostile corpus (issue 6): every case runs the real command in a scratch project that holds
 * a previous render. A refused case must exit non-zero with a message naming the place and no
 * stack trace, and leave `dist/` and the environment files byte-identical with no temporary
 * left; a case that is valid after all must render, and its check says what it must render.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twinops } from '../support/cli';
import { DOCUMENT_CASES } from './cases-document';
import { FILE_CASES, VARIABLE_CASES } from './cases-files';
import { KUBERNETES_CASES } from './cases-kubernetes';
import { LAB, projectFrom, snapshot, type HostileCase } from './harness';

const CASES: readonly HostileCase[] = [...DOCUMENT_CASES, ...KUBERNETES_CASES, ...FILE_CASES, ...VARIABLE_CASES];

let template: string;

beforeAll(async () => {
  template = mkdtempSync(join(tmpdir(), 'twinops-hostile-template-'));
  mkdirSync(join(template, 'environments'));
  writeFileSync(join(template, 'environments/lab.yaml'), LAB);
  const first = await twinops(template, ['synth']);
  if (first.code !== 0) throw new Error(`the corpus estate does not render:\n${first.stderr}`);
});
afterAll(() => rmSync(template, { recursive: true, force: true }));

/** What lies beside `environments/` and `dist/` that the case did not put there: temporaries. */
const leftovers = (before: Map<string, string>, after: Map<string, string>) =>
  [...after.keys()].filter((path) => !before.has(path) && /twinops|\.tmp|staging|journal|lock/i.test(path));

describe('hostile corpus', () => {
  it('has well over 100 cases with distinct names', () => {
    expect(CASES.length).toBeGreaterThan(100);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, hostile) => {
    const project = projectFrom(template);
    try {
      hostile.arrange(project);
      const before = snapshot(project.root);
      const { code, stdout, stderr } = await twinops(project.root, [...(hostile.argv ?? ['synth'])], { ...hostile.env });
      const after = snapshot(project.root);
      const expected = hostile.expect;
      if ('renders' in expected) {
        expect(code, stderr).toBe(0);
        expected.renders(project, stdout);
      } else {
        expect(code, stderr).not.toBe(0);
        const lines = stderr.split('\n');
        expect(lines.some((line) => line.startsWith(expected.at)), `a line starting with ${expected.at}:\n${stderr}`).toBe(true);
        expect(stderr).toMatch(expected.says);
        expect(stderr, 'no stack trace').not.toMatch(/\n\s+at .*[(:]\d+/);
        expect(stderr).not.toMatch(/\bE[A-Z]+: |TypeError|RangeError|Cannot read/);
        expect([...after.keys()]).toEqual([...before.keys()]);
        for (const [path, bytes] of before) expect(after.get(path) === bytes, `${path} unchanged`).toBe(true);
      }
      expect(leftovers(before, after)).toEqual([]);
    } finally {
      project.cleanup();
    }
  });
});
