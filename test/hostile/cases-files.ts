/**
 * Hostile files, folders and command lines: encodings, YAML bombs, things in `environments/`
 * that are not environment files, output folders that belong to the user, command-line mistakes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badFile, LAB, type HostileCase, type Project } from './harness';

const billionLaughs = [
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'clusters: *g',
  '',
].join('\n');

const utf16 = (text: string, bigEndian: boolean): Buffer => {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  if (!bigEndian) return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return be;
};

/** A case whose arrangement is anything done to the project, refused with `says` at `at`. */
const refused = (name: string, arrange: (p: Project) => void, where: string, says: RegExp, argv?: readonly string[]): HostileCase => ({
  name,
  arrange,
  ...(argv === undefined ? {} : { argv }),
  expect: { at: where, says },
});

const rename = (p: Project, to: string) => renameSync(join(p.environments, 'lab.yaml'), join(p.environments, to));

export const FILE_CASES: readonly HostileCase[] = [
  // YAML-level (problem 10)
  badFile('an alias bomb', billionLaughs, 'environments/lab.yaml:', /alias/i),
  badFile('an alias to a missing anchor', `${LAB}extra: *nowhere\n`, 'environments/lab.yaml:', /nowhere|anchor|alias/i),
  badFile('a UTF-16 little-endian file', utf16(LAB, false), 'environments/lab.yaml:1:1', /UTF-16/),
  badFile('a UTF-16 big-endian file', utf16(LAB, true), 'environments/lab.yaml:1:1', /UTF-16/),
  badFile('invalid UTF-8 bytes', Buffer.concat([Buffer.from('description: caf'), Buffer.from([0xe9]), Buffer.from(`\n${LAB.slice(LAB.indexOf('secrets:'))}`)]), 'environments/lab.yaml:1:', /UTF-8/),
  badFile('a NUL byte', `description: a\u0000b\n${LAB.slice(LAB.indexOf('secrets:'))}`, 'environments/lab.yaml:1:', /NUL|UTF|character/i),
  badFile('a __proto__ key', LAB.replace('secrets:\n', '__proto__:\n  polluted: true\nsecrets:\n'), 'environments/lab.yaml:5:1', /__proto__/),
  badFile('a nested __proto__ key', LAB.replace('  state: standby\n', '  state: standby\n  __proto__: {state: active}\n'), 'environments/lab.yaml:', /__proto__/),

  // What environments/ holds (problems 6 and 10)
  refused('the only environment renamed to .yml', (p) => rename(p, 'lab.yml'), 'environments/lab.yml', /\.yaml/),
  refused('the only environment renamed to .YAML', (p) => rename(p, 'lab.YAML'), 'environments/lab.YAML', /\.yaml/),
  refused('a second environment named .Yml', (p) => writeFileSync(join(p.environments, 'other.Yml'), LAB), 'environments/other.Yml', /\.yaml/),
  refused('the only environment removed', (p) => rmSync(join(p.environments, 'lab.yaml')), 'environments', /at least one <name>\.yaml environment file/),
  refused('no environments folder', (p) => rmSync(p.environments, { recursive: true }), 'twinops synth', /environments/),
  refused('a named pipe as an environment', (p) => execFileSync('mkfifo', [join(p.environments, 'pipe.yaml')]), 'environments/pipe.yaml', /regular file|pipe|fifo/i),
  refused('a folder named like an environment', (p) => mkdirSync(join(p.environments, 'folder.yaml')), 'environments/folder.yaml', /regular file|folder|directory/i),
  refused('a dangling symbolic link as an environment', (p) => symlinkSync('nowhere.yaml', join(p.environments, 'gone.yaml')), 'environments/gone.yaml', /regular file|link|exist/i),
  refused('an environment name in upper case', (p) => rename(p, 'Lab.yaml'), 'environments/Lab.yaml', /DNS-1123/),
  refused('an environment name with a space', (p) => rename(p, 'my lab.yaml'), 'environments/my lab.yaml', /DNS-1123/),

  // Output folders that are the user's (problem 3)
  refused('--out at the project itself', () => undefined, 'twinops synth', /out|output/i, ['synth', '--out', '.']),
  refused('--out at environments/', () => undefined, 'twinops synth', /environments/, ['synth', '--out', 'environments']),
  refused('--out at a folder inside environments/', (p) => mkdirSync(join(p.environments, 'x')), 'twinops synth', /environments/, ['synth', '--out', 'environments/x']),
  refused('--out at an ancestor of the project', () => undefined, 'twinops synth', /out|output|ancestor/i, ['synth', '--out', '..']),
  refused('--out at a folder holding .git', (p) => mkdirSync(join(p.root, 'repo/.git'), { recursive: true }), 'twinops synth', /git/i, ['synth', '--out', 'repo']),
  refused(
    '--out at a folder of the user',
    (p) => {
      mkdirSync(join(p.root, 'notes'));
      writeFileSync(join(p.root, 'notes/todo.txt'), 'keep me\n');
    },
    'twinops synth',
    /notes/,
    ['synth', '--out', 'notes'],
  ),
  refused(
    'dist as a link to a folder of the user',
    (p) => {
      rmSync(p.dist, { recursive: true });
      mkdirSync(join(p.root, 'gitops'));
      writeFileSync(join(p.root, 'gitops/README.md'), 'the user\'s\n');
      symlinkSync('gitops', p.dist);
    },
    'twinops synth',
    /gitops|dist/,
  ),

  // Command lines (problem 11)
  refused('synth with an unknown option', () => undefined, 'twinops synth', /--bogus/, ['synth', '--bogus']),
  refused('synth with a stray argument', () => undefined, 'twinops synth', /stray|unexpected/i, ['synth', 'stray']),
  refused('synth --out without a value', () => undefined, 'twinops synth', /--out/, ['synth', '--out']),
  refused('bench with an unknown option', () => undefined, 'twinops bench', /--bogus/, ['bench', '--bogus']),
  refused('bench with objects that are not a number', () => undefined, 'twinops bench', /--objects/, ['bench', '--objects', 'many']),
  refused('bench in a folder that does not exist', () => undefined, 'twinops bench', /nonexistent/, ['bench', '--dir', '/nonexistent/x']),
  refused('schema with an unknown option', () => undefined, 'twinops schema', /--bogus/, ['schema', '--bogus']),
  refused('import with an unknown option', () => undefined, 'twinops import', /--bogus/, ['import', '--bogus']),
  refused('dr with an unknown option', () => undefined, 'twinops dr', /--bogus/, ['dr', 'status', 'lab', '--bogus']),
  refused('dr activate of an unknown environment', () => undefined, 'twinops dr', /unknown environment/, ['dr', 'activate', 'labb']),
  refused('dr plan of an unknown state', () => undefined, 'twinops dr', /unknown state/, ['dr', 'plan', 'lab', 'warm']),
  refused('dr activate of an app without a twin', () => undefined, 'twinops dr', /nextcloud|app/, ['dr', 'activate', 'lab', '--app', 'nextcloud']),
  refused('an unknown command', () => undefined, 'twinops: unknown command', /synthesise/, ['synthesise']),
];

/** Cases run with an environment variable set. */
export const VARIABLE_CASES: readonly HostileCase[] = [
  { name: 'an unknown DR state to preview', arrange: () => undefined, env: { TWINOPS_DR_STATE: 'warm' }, expect: { at: 'twinops synth', says: /TWINOPS_DR_STATE/ } },
];
