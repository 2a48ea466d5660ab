/**
 * Files of a git commit, read without a checkout or a worktree: `git ls-tree` lists the blobs
 * of a folder, one `git cat-file --batch` reads them all (one process, not one per file).
 */
import { spawnSync } from 'node:child_process';
import { UserError } from '../errors';

/** Git could not answer (an unknown ref, not a repository): git's own message, in one line. */
export class GitError extends UserError {
  override readonly name = 'GitError';
}

const MAX_BUFFER = 1024 * 1024 * 1024;

/** Runs git in `cwd`; its stdout, or a GitError with the first line git wrote to stderr. */
function git(cwd: string, args: readonly string[], what: string, input?: Buffer): Buffer {
  const result = spawnSync('git', args, { cwd, maxBuffer: MAX_BUFFER, ...(input === undefined ? {} : { input }) });
  if (result.error) throw new GitError(`${what}: cannot run git: ${result.error.message}`);
  if (result.status !== 0) {
    const line = result.stderr.toString('utf8').split('\n').find((text) => text.trim() !== '') ?? `git exited with ${result.status}`;
    throw new GitError(`${what}: ${line.trim()}`);
  }
  return result.stdout;
}

/** The commit `ref` names (an error naming the ref when it names none). */
export function resolveCommit(cwd: string, ref: string): string {
  // `git log` words an unknown ref best: `fatal: bad revision 'origin/main'`.
  return git(cwd, ['log', '-1', '--format=%H', '--end-of-options', ref, '--'], `--base ${ref}`).toString('utf8').trim();
}

/**
 * Every file below `folder` (relative to `cwd`) at `commit`: path relative to `folder` → text.
 * Empty when the commit has no such folder.
 */
export function filesAt(cwd: string, commit: string, folder: string): Map<string, string> {
  const listing = git(cwd, ['ls-tree', '-r', '-z', commit, '--', `${folder}/`], `reading ${folder}/ at ${commit}`).toString('utf8');
  const blobs: { id: string; path: string }[] = [];
  for (const entry of listing.split('\0')) {
    // `<mode> SP <type> SP <object> TAB <path>`, the path relative to cwd.
    const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    blobs.push({ id: match[1], path: match[2].slice(folder.length + 1) });
  }
  const files = new Map<string, string>();
  if (blobs.length === 0) return files;
  const output = git(cwd, ['cat-file', '--batch'], `reading ${folder}/ at ${commit}`, Buffer.from(blobs.map((blob) => `${blob.id}\n`).join('')));
  let offset = 0;
  for (const blob of blobs) {
    // `<object> SP <type> SP <size> LF <contents> LF`
    const headerEnd = output.indexOf(10, offset);
    const size = Number(output.toString('utf8', offset, headerEnd).split(' ')[2]);
    files.set(blob.path, output.toString('utf8', headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}
