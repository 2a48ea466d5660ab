/** Whole-folder snapshots for the writer's tests: every file's bytes, every folder, every link. */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface Snapshot {
  /** Relative path → content of every regular file. */
  readonly files: Record<string, string>;
  /** Relative paths of every folder, sorted. */
  readonly folders: string[];
  /** Relative path → target of every symbolic link. */
  readonly links: Record<string, string>;
}

/** Everything below `folder` (links not followed); empty when it does not exist. */
export function snapshot(folder: string): Snapshot {
  const files: Record<string, string> = {};
  const folders: string[] = [];
  const links: Record<string, string> = {};
  const visit = (path: string, prefix: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const relative = prefix + entry.name;
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        folders.push(relative);
        visit(full, `${relative}/`);
      } else if (entry.isSymbolicLink()) {
        links[relative] = readlinkSync(full);
      } else {
        files[relative] = readFileSync(full, 'utf8');
      }
    }
  };
  if (existsSync(folder) && lstatSync(folder).isDirectory()) visit(folder, '');
  return { files, folders: folders.sort(), links };
}

/** The inode of every regular file below `folder`: unchanged files must keep theirs. */
export function inodes(folder: string, paths: readonly string[]): Record<string, number> {
  return Object.fromEntries(paths.map((path) => [path, lstatSync(join(folder, path)).ino]));
}
