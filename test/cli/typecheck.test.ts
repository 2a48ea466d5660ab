import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import type { Io } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { ensureTypeChecked, NOT_TYPE_CHECKED, sourcesHash, STAMP_FILE, type TypeCheckResult } from '../../lib/cli/typecheck';
import { UserError } from '../../lib/errors';
import { SEED_ENVIRONMENTS, scratchProject } from '../support/tree';

const PROGRESS = 'type-checking charts/ and lib/ (changed since the last check)…\n';

let root = '';
let project: ReturnType<typeof scratchProject> | undefined;
afterEach(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
  root = '';
  project?.cleanup();
  project = undefined;
});

/** A project with one file in each checked folder and the settings files. */
function sources(): string {
  root = mkdtempSync(join(tmpdir(), 'twinops-typecheck-'));
  const files: Record<string, string> = {
    'bin/twinops.ts': 'export {};\n',
    'charts/apps/redis.ts': 'export const port = 6379;\n',
    'lib/cli/main.ts': 'export const main = 1;\n',
    'imports/traefik.io.ts': 'export const group = "traefik.io";\n',
    'tsconfig.json': '{}\n',
    'tsconfig.synth.json': '{ "extends": "./tsconfig.json" }\n',
    'package-lock.json': '{ "lockfileVersion": 3 }\n',
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  return root;
}

function write(path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** A checker that answers `result` and counts its calls. */
function fakeChecker(result: TypeCheckResult = { status: 'passed' }) {
  const calls: string[] = [];
  return { calls, check: (checked: string) => (calls.push(checked), result) };
}

/** Runs the check in `root` with `checker`; what it printed and what it threw. */
function run(checker: ReturnType<typeof fakeChecker>) {
  const err: string[] = [];
  let thrown: unknown;
  try {
    ensureTypeChecked({ root, io: { stderr: { write: (text: string) => err.push(text) } }, command: 'synth', check: checker.check });
  } catch (error) {
    thrown = error;
  }
  return { stderr: err.join(''), thrown };
}

describe('the type-check stamp', () => {
  it('checks once, then skips while the sources are the same', () => {
    sources();
    const checker = fakeChecker();
    expect(run(checker)).toEqual({ stderr: PROGRESS, thrown: undefined });
    expect(JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8'))).toEqual({ sources: sourcesHash(root) });
    expect(run(checker)).toEqual({ stderr: '', thrown: undefined });
    expect(checker.calls).toEqual([root]);
  });

  it.each([
    ['a changed chart', 'charts/apps/redis.ts', 'export const port = 6380;\n'],
    ['a new file deep in lib/', 'lib/variant/rules/kinds.ts', 'export {};\n'],
    ['a changed import', 'imports/traefik.io.ts', 'export const group = "traefik.containo.us";\n'],
    ['a changed entry point', 'bin/twinops.ts', 'export const x = 1;\n'],
    ['a TypeScript upgrade in the lock', 'package-lock.json', '{ "lockfileVersion": 3, "typescript": "5.9.4" }\n'],
    ['changed compiler settings', 'tsconfig.json', '{ "compilerOptions": { "strict": false } }\n'],
    ['a data file a chart reads', 'charts/apps/redis.json', '{ "port": 6380 }\n'],
    ['a schema-only npm run import', 'imports/schemas/traefik.io/v1alpha1/IngressRoute.json', '{ "type": "object" }\n'],
  ])('checks again after %s', (_, path, content) => {
    sources();
    const checker = fakeChecker();
    run(checker);
    write(path, content);
    expect(run(checker)).toEqual({ stderr: PROGRESS, thrown: undefined });
    expect(checker.calls).toHaveLength(2);
  });

  it('checks again when a file moves, its content unchanged', () => {
    sources();
    const before = sourcesHash(root);
    rmSync(join(root, 'charts/apps/redis.ts'));
    write('charts/apps/cache.ts', 'export const port = 6379;\n');
    expect(sourcesHash(root)).not.toBe(before);
  });

  it('ignores what the check does not read: tests, notes, other file types outside charts/ and imports/', () => {
    sources();
    const checker = fakeChecker();
    run(checker);
    write('test/cli/synth.test.ts', 'const broken: number = "a";\n');
    write('lib/README.md', '# lib\n');
    write('lib/data.json', '{}\n');
    expect(run(checker)).toEqual({ stderr: '', thrown: undefined });
    expect(checker.calls).toHaveLength(1);
  });

  it('prints the diagnostics, throws, and keeps no stamp when the check fails', () => {
    sources();
    const diagnostics = "charts/apps/redis.ts(2,14): error TS2322: Type 'string' is not assignable to type 'number'.";
    const failing = fakeChecker({ status: 'failed', diagnostics });
    const { stderr, thrown } = run(failing);
    expect(stderr).toBe(`${PROGRESS}${diagnostics}\n`);
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as Error).message).toBe('the charts do not type-check; nothing was written');
    expect(existsSync(join(root, STAMP_FILE))).toBe(false);
    // The same sources are checked again: a failure is never remembered as a pass.
    run(failing);
    expect(failing.calls).toHaveLength(2);
  });

  it('notes a missing TypeScript, lets the render go on, and checks again next time', () => {
    sources();
    const missing = fakeChecker({ status: 'unavailable', reason: 'TypeScript is not installed (no node_modules/typescript/bin/tsc)' });
    expect(run(missing)).toEqual({
      stderr: `${PROGRESS}twinops synth: note: TypeScript is not installed (no node_modules/typescript/bin/tsc); rendering without the type check\n`,
      thrown: undefined,
    });
    expect(existsSync(join(root, STAMP_FILE))).toBe(false);
  });

  it('checks again when the stamp is not one it wrote', () => {
    sources();
    const checker = fakeChecker();
    run(checker);
    writeFileSync(join(root, STAMP_FILE), '{"sources":');
    expect(run(checker).stderr).toBe(PROGRESS);
    expect(checker.calls).toHaveLength(2);
  });
});

describe('the commands that render call the check first', () => {
  /** `twinops` in-process with a check that records its calls and refuses. */
  async function refused(argv: string[]) {
    project = scratchProject();
    const err: string[] = [];
    const io: Io = { stdout: { write: () => true }, stderr: { write: (t: string) => err.push(t) }, cwd: project.root, env: {} };
    const commands: string[] = [];
    const typecheck = (_: Io, command: string) => {
      commands.push(command);
      throw new UserError(NOT_TYPE_CHECKED);
    };
    const code = await main(argv, io, { compose: composeUnits, catalog: APP_CATALOG, typecheck });
    return { code, stderr: err.join(''), commands };
  }

  it('synth writes nothing when the charts do not type-check', async () => {
    expect(await refused(['synth'])).toEqual({ code: 1, stderr: `twinops synth: ${NOT_TYPE_CHECKED}\n`, commands: ['synth'] });
    expect(existsSync(project?.dist ?? '')).toBe(false);
  });

  it('dr activate leaves the environment file and dist/ alone when the charts do not type-check', async () => {
    const before = readFileSync(join(SEED_ENVIRONMENTS, 'home.yaml'), 'utf8');
    const result = await refused(['dr', 'activate', 'home']);
    expect(result).toEqual({ code: 1, stderr: `twinops dr activate: ${NOT_TYPE_CHECKED}\n`, commands: ['dr activate'] });
    expect(readFileSync(join(project?.environments ?? '', 'home.yaml'), 'utf8')).toBe(before);
    expect(existsSync(project?.dist ?? '')).toBe(false);
  });

  it('dr status and plan render nothing, so they do not check', async () => {
    expect((await refused(['dr', 'status', 'home'])).commands).toEqual([]);
  });
});
