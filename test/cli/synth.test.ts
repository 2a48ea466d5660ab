import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { twinops } from '../support/cli';
import { readTree, scratchProject } from '../support/tree';

let project: ReturnType<typeof scratchProject>;
afterEach(() => project?.cleanup());

const run = (argv: string[], env: Record<string, string> = {}) => twinops(project.root, argv, env);

describe('twinops synth', () => {
  it('ends with one summary line', async () => {
    project = scratchProject();
    const { code, stdout, stderr } = await run(['synth']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^synth: 1 environment\(s\), 1 cluster\(s\), 12 unit\(s\), 96 object\(s\); 109 file\(s\) written, 0 removed in \d+\.\d\ds\n$/);
    expect(stderr).toBe('  home: 12 units, 96 objects\n');
  });

  it('writes where cdk8s synth asks (CDK8S_OUTDIR)', async () => {
    project = scratchProject();
    expect((await run(['synth'], { CDK8S_OUTDIR: 'out' })).code).toBe(0);
    expect(readTree(join(project.root, 'out')).size).toBe(109);
  });

  it('exits 1 with the problems and no stack trace on a bad environment', async () => {
    project = scratchProject();
    writeFileSync(join(project.environments, 'broken.yaml'), 'clusters:\n  - name: Home\n    nodes: []\n');
    const { code, stdout, stderr } = await run(['synth']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        `environments/broken.yaml:2:11 clusters[0].name: expected a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters); given "Home"`,
        `environments/broken.yaml:3:12 clusters[0].nodes: expected at least 1 item; given an empty list`,
        'twinops synth: 2 problem(s) in the environment; nothing was written',
        '',
      ].join('\n'),
    );
    expect(readTree(project.dist).size).toBe(0);
  });

  it('prints the stack trace with --verbose', async () => {
    project = scratchProject();
    writeFileSync(join(project.environments, 'broken.yaml'), 'clusters: 3\n');
    const { code, stderr } = await run(['synth', '--verbose']);
    expect(code).toBe(1);
    expect(stderr).toContain('ConfigError: ');
    expect(stderr).toMatch(/\n {4}at /);
  });

  it('rejects an unknown command with exit 2 and the usage', async () => {
    project = scratchProject();
    const { code, stderr } = await run(['synthesise']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^twinops: unknown command "synthesise"\nusage: twinops <command>/);
  });
});
