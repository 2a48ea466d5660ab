/** What synth and dr do with the environments folder: every mistake refused, dist/ left as it was. */
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { twinops } from '../support/cli';
import { readTree, scratchProject } from '../support/tree';

let project: ReturnType<typeof scratchProject>;
afterEach(() => project?.cleanup());

const run = (argv: string[]) => twinops(project.root, argv);

/** A rendered scratch project: the tree every refusal below must leave byte for byte. */
async function rendered() {
  project = scratchProject();
  expect((await run(['synth'])).code).toBe(0);
  return readTree(project.dist);
}

describe('the environments folder', () => {
  it.each(['home.yml', 'home.YAML', 'home.Yaml', 'home.YML'])('refuses the only environment renamed to %s and keeps dist/', async (name) => {
    const tree = await rendered();
    renameSync(join(project.environments, 'home.yaml'), join(project.environments, name));
    const { code, stdout, stderr } = await run(['synth']);
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `environments/${name} expected a file name ending in .yaml; given "${name}" (rename it to home.yaml)\n` +
        'twinops synth: 1 problem(s) in the environment; nothing was written\n',
    });
    expect(readTree(project.dist)).toEqual(tree);
  });

  it('refuses a folder without environments and keeps dist/', async () => {
    const tree = await rendered();
    rmSync(join(project.environments, 'home.yaml'));
    const { code, stderr } = await run(['synth']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'environments expected at least one <name>.yaml environment file in the folder; given none\n' +
        'twinops synth: 1 problem(s) in the environment; nothing was written\n',
    );
    expect(readTree(project.dist)).toEqual(tree);
  });

  it('refuses a missing folder', async () => {
    project = scratchProject();
    const { code, stderr } = await run(['synth', '--environments', 'envs']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'envs expected a folder of <name>.yaml environment files; given nothing (it does not exist)\n' +
        'twinops synth: 1 problem(s) in the environment; nothing was written\n',
    );
  });

  it('refuses a named pipe without reading it (reading would hang), in synth and in dr', async () => {
    const tree = await rendered();
    execFileSync('mkfifo', [join(project.environments, 'pipe.yaml')]);
    const expected = (command: string) =>
      'environments/pipe.yaml expected a regular file; given a named pipe (FIFO); it was not read\n' +
      `twinops ${command}: 1 problem(s) in the environment; nothing was written\n`;
    expect((await run(['synth'])).stderr).toBe(expected('synth'));
    expect((await run(['dr', 'activate', 'home'])).stderr).toBe(expected('dr activate'));
    expect(readTree(project.dist)).toEqual(tree);
  });
});

describe('environment files that are not UTF-8 or not plain data', () => {
  const cases: [string, Buffer | string, string][] = [
    ['UTF-16 with a byte order mark', Buffer.from('\ufeffclusters: []\n', 'utf16le'), 'environments/lab.yaml:1:1 expected UTF-8 text; given UTF-16 (byte order mark)'],
    ['an invalid UTF-8 byte', Buffer.concat([Buffer.from('clusters:\n  - name: l'), Buffer.from([0xe9]), Buffer.from('b\n')]), 'environments/lab.yaml:2:12 expected UTF-8 text; given the byte 0xe9, which is not UTF-8'],
    ['an alias to a missing anchor', 'clusters: *nodes\n', 'environments/lab.yaml:1:11 expected an alias to an anchor set before it; given *nodes, and no &nodes comes before it'],
    ['a __proto__ key', 'clusters: []\n__proto__: { polluted: true }\n', 'environments/lab.yaml:2:1 expected a key other than __proto__; given "__proto__"'],
  ];
  it.each(cases)('refuses %s with its file and position, and keeps dist/', async (_, content, problem) => {
    const tree = await rendered();
    writeFileSync(join(project.environments, 'lab.yaml'), content);
    const { code, stdout, stderr } = await run(['synth']);
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: `${problem}\ntwinops synth: 1 problem(s) in the environment; nothing was written\n` });
    expect(readTree(project.dist)).toEqual(tree);
  });
});
