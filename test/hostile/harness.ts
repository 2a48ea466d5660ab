/**
 * The hostile corpus's harness: a scratch project holding the corpus estate
 * (`test/fixtures/hostile/lab.yaml`) and a previous render of it, a case that spoils it, and the
 * checks every refused case must pass: exit code not 0, a message that names the file and the
 * place, no stack trace, `dist/` and the environment files byte-identical, no temporary left.
 */
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO } from '../support/tree';

/** The environment file every case starts from, as `environments/lab.yaml`. */
export const LAB = readFileSync(join(REPO, 'test/fixtures/hostile/lab.yaml'), 'utf8');
export const LAB_FILE = 'environments/lab.yaml';

export interface Project {
  readonly root: string;
  readonly environments: string;
  readonly dist: string;
  /** Replaces `environments/lab.yaml` with `text`. */
  writeLab(text: string): void;
}

/** What a case expects when the command must refuse. */
export interface Refusal {
  /** The start of the first reported line: `environments/lab.yaml:12:9` or a file or command name. */
  readonly at: string;
  /** What the message must say. */
  readonly says: RegExp;
}

export interface HostileCase {
  readonly name: string;
  /** Spoils the project (the environment file, the folders, the arguments). */
  readonly arrange: (project: Project) => void;
  /** The command line; default `synth`. */
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** A refusal, or a check of a correct render for an input that is valid after all. */
  readonly expect: Refusal | { readonly renders: (project: Project, stdout: string) => void };
}

/** Every file, link and folder below `root` with its bytes (links: their target), sorted. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const path = join(folder, name);
      const key = relative(root, path);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) out.set(key, `-> ${readlinkSync(path)}`);
      else if (stat.isDirectory()) {
        out.set(`${key}/`, '');
        walk(path);
      } else if (stat.isFile()) out.set(key, readFileSync(path, 'latin1'));
      else out.set(key, `(${stat.mode.toString(8)})`);
    }
  };
  walk(root);
  return out;
}

/** A copy of `template` (a project with a previous render) in a new temporary folder. */
export function projectFrom(template: string): Project & { cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'twinops-hostile-'));
  cpSync(template, root, { recursive: true, verbatimSymlinks: true });
  const environments = join(root, 'environments');
  return {
    root,
    environments,
    dist: join(root, 'dist'),
    writeLab: (text) => writeFileSync(join(environments, 'lab.yaml'), text),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** `lab.yaml` with `from` replaced by `to`; fails loudly when the fixture no longer has `from`. */
export function edited(from: string | RegExp, to: string, text: string = LAB): string {
  const result = text.replace(from, to);
  if (result === text) throw new Error(`the corpus fixture has no ${String(from)}`);
  return result;
}

/** `environments/lab.yaml:<line>:<column>` of the first occurrence of `needle` in `text`. */
export function at(text: string, needle: string, file = LAB_FILE): string {
  const offset = text.indexOf(needle);
  if (offset === -1) throw new Error(`no ${JSON.stringify(needle)} in the edited file`);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${file}:${line}:${column}`;
}

/** A case that edits `lab.yaml` and expects a refusal at `needle` (its position in the edited text). */
export function badEdit(name: string, from: string | RegExp, to: string, needle: string, says: RegExp): HostileCase {
  const text = edited(from, to);
  return { name, arrange: (project) => project.writeLab(text), expect: { at: at(text, needle), says } };
}

/** A case that replaces `lab.yaml` with `text` (a whole spoiled file). */
export function badFile(name: string, text: string | Buffer, where: string, says: RegExp): HostileCase {
  return {
    name,
    arrange: (project) => writeFileSync(join(project.environments, 'lab.yaml'), text),
    expect: { at: where, says },
  };
}
