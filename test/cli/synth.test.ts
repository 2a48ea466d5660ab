import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CDK8S_NOTE_FILE } from '../../lib/cli/cdk8s-app';
import { twinops } from '../support/cli';
import { readTree, scratchProject } from '../support/tree';

/** What the summary and progress lines must say of a tree just rendered into an empty folder. */
function countsOf(tree: ReadonlyMap<string, string>) {
  const paths = [...tree.keys()];
  const units = paths.filter((path) => path.endsWith('/kustomization.yaml')).length;
  const objects = paths.filter((path) => path.endsWith('.yaml') && !path.endsWith('/kustomization.yaml')).length;
  return { files: tree.size, units, objects, progress: `  home: ${units} units, ${objects} objects\n` };
}

/** `N` of `…; N file(s) written, …` in a summary line. */
const written = (stdout: string) => Number(/; (\d+) file\(s\) written/.exec(stdout)?.[1]);

let project: ReturnType<typeof scratchProject>;
afterEach(() => project?.cleanup());

const run = (argv: string[], env: Record<string, string> = {}) => twinops(project.root, argv, env);

describe('twinops synth', () => {
  it('ends with one summary line', async () => {
    project = scratchProject();
    const { code, stdout, stderr } = await run(['synth']);
    expect(code).toBe(0);
    const { files, units, objects, progress } = countsOf(readTree(project.dist));
    expect(stdout).toMatch(
      new RegExp(`^synth: 1 environment\\(s\\), 1 cluster\\(s\\), ${units} unit\\(s\\), ${objects} object\\(s\\); ${files} file\\(s\\) written, 0 removed in \\d+\\.\\d\\ds\\n$`),
    );
    expect(stderr).toBe(progress);
  });

  it('ignores CDK8S_OUTDIR: that is cdk8s-cli scratch folder, never the render', async () => {
    project = scratchProject();
    const { code, stdout } = await run(['synth'], { CDK8S_OUTDIR: 'out' });
    expect(code).toBe(0);
    expect(existsSync(join(project.root, 'out'))).toBe(false);
    expect(readTree(project.dist).size).toBe(written(stdout));
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

  it('notes a file of environments/ it skips that might have been meant as an environment', async () => {
    project = scratchProject();
    writeFileSync(join(project.environments, 'lab.json'), '{}\n');
    writeFileSync(join(project.environments, 'README.md'), '# environments\n');
    const { code, stderr } = await run(['synth']);
    expect(code).toBe(0);
    expect(stderr).toBe(`twinops synth: note: environments/lab.json ignored: environment files are named <name>.yaml\n${countsOf(readTree(project.dist)).progress}`);
  });

  it('renders into an absolute --out', async () => {
    project = scratchProject();
    const out = join(project.root, 'elsewhere', 'render');
    const { code, stdout } = await run(['synth', '--out', out]);
    expect(code).toBe(0);
    expect(readTree(out).size).toBe(written(stdout));
    expect(existsSync(project.dist)).toBe(false);
  });

  it('refuses the project folder as --out before reading anything, and touches nothing', async () => {
    project = scratchProject();
    const before = readTree(project.root);
    const { code, stdout, stderr } = await run(['synth', '--out', '.']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^twinops synth: cannot write into .*: it is the project folder; nothing was touched; point --out at an empty or new folder\n$/);
    expect(readTree(project.root)).toEqual(before);
  });
});

describe('twinops synth --cdk8s (the app of cdk8s.yaml)', () => {
  it('renders dist/, leaves cdk8s-cli a note in CDK8S_OUTDIR and repeats the summary on stderr', async () => {
    project = scratchProject();
    const { code, stdout, stderr } = await run(['synth', '--cdk8s'], { CDK8S_OUTDIR: 'scratch/cdk8s.out' });
    expect(code).toBe(0);
    expect(readTree(project.dist).size).toBe(written(stdout));
    const note = readFileSync(join(project.root, 'scratch/cdk8s.out', CDK8S_NOTE_FILE), 'utf8');
    expect(note).toBe(`# cdk8s-cli's scratch folder (cdk8s.yaml output:). twinops rendered the manifests into dist/ itself:\n# ${stdout}`);
    expect(stderr).toBe(`${countsOf(readTree(project.dist)).progress}${stdout}`);
  });

  it('is a usage error without CDK8S_OUTDIR, before rendering', async () => {
    project = scratchProject();
    const { code, stderr } = await run(['synth', '--cdk8s']);
    expect(code).toBe(2);
    expect(stderr).toBe('twinops synth: --cdk8s is for `cdk8s synth`, which sets CDK8S_OUTDIR; it is not set (see twinops synth --help)\n');
    expect(existsSync(project.dist)).toBe(false);
  });
});

describe('twinops', () => {
  it('rejects an unknown command in one line with exit 2, suggesting a close one', async () => {
    project = scratchProject();
    const expected = (command: string, hint: string) => ({
      code: 2,
      stdout: '',
      stderr: `twinops: unknown command "${command}"${hint}; expected one of synth, check, dr, diff, import, schema, bench (see twinops --help)\n`,
    });
    expect(await run(['synthe'])).toEqual(expected('synthe', ' (did you mean "synth"?)'));
    expect(await run(['synthesise'])).toEqual(expected('synthesise', ''));
  });

  it('prints its usage on --help (exit 0) and asks for a command without one (exit 2)', async () => {
    project = scratchProject();
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: twinops <command> \[options\]\n\ncommands:\n {2}synth /);
    const none = await run([]);
    expect(none).toEqual({ code: 2, stdout: '', stderr: 'twinops: missing command; expected one of synth, check, dr, diff, import, schema, bench (see twinops --help)\n' });
  });
});
