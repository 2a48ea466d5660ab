/** Temp folders with environments, and whole-tree snapshots to compare renders byte for byte. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const REPO = new URL('../..', import.meta.url).pathname;

/** The environments engine tests render: the 002 example, frozen (never the user's environments/). */
export const SEED_ENVIRONMENTS = join(REPO, 'test/fixtures/seed-002');

/**
 * A scratch project: `environments/` copied from `from` (default: the frozen 002 example; the
 * golden test passes the repository's own), an empty place for `dist/`.
 */
export function scratchProject(from: string = SEED_ENVIRONMENTS): { root: string; environments: string; dist: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'twinops-test-'));
  cpSync(from, join(root, 'environments'), { recursive: true });
  return { root, environments: join(root, 'environments'), dist: join(root, 'dist'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Every file below `dir` (relative path → content), or an empty map when it does not exist. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}
