/**
 * Recovery, run under the lock at the start of every write: whatever an interrupted run left
 * beside the output folder is finished or removed, each with one line saying so.
 * - a journal: the interrupted write had passed its commit point; it is finished (rolled forward);
 * - a staging folder or journal draft without a journal: the write had not committed; the
 *   output folder holds the previous render untouched, so they are removed;
 * - leftovers of the writer of twinops before this one, which swapped whole trees by two
 *   renames: `<out>.twinops-old-<pid>` (the previous tree, holding flux-system/) is moved back
 *   when the output folder is missing, else removed; `.twinops-tmp-<pid>-<n>` folders are
 *   removed. Those of a process still running are left alone.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Steps } from './faults';
import { applyJournal, readJournal } from './journal';
import { isRunning } from './lock';
import { writerPaths } from './output-paths';
import { codeOf } from './write-error';

/** Folders of the earlier writer beside `real` whose process is gone, newest first. */
function earlierWriterLeftovers(real: string): { old: string[]; temporary: string[] } {
  const parent = dirname(real);
  const oldName = new RegExp(`^${basename(real).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.twinops-old-(\\d+)$`);
  const old: string[] = [];
  const temporary: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return { old, temporary };
    throw error;
  }
  for (const name of names.sort()) {
    const pid = oldName.exec(name)?.[1] ?? /^\.twinops-tmp-(\d+)-\d+$/.exec(name)?.[1];
    if (pid === undefined || isRunning(Number(pid))) continue;
    (name.startsWith('.twinops-tmp-') ? temporary : old).push(join(parent, name));
  }
  old.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return { old, temporary };
}

/**
 * Finishes or removes what an interrupted write left beside the real output folder `real`;
 * one line per thing done goes to `onNotice`. Must run under the output folder's lock.
 */
export function recoverOutputFolder(real: string, steps: Steps, onNotice: (line: string) => void = () => {}): void {
  const paths = writerPaths(real);
  const journal = readJournal(paths);
  if (journal) {
    const renamed = applyJournal(real, paths, journal, steps);
    onNotice(
      `finished the interrupted render of ${real} (journal ${paths.journal}): ` +
        `${renamed} file(s) put in place, ${journal.removed.length} removal(s) replayed`,
    );
  } else {
    const leftovers = [paths.journalDraft, paths.staging].filter((path) => existsSync(path));
    for (const leftover of leftovers) steps.run(`remove leftover ${basename(leftover)}`, () => rmSync(leftover, { recursive: true, force: true }));
    if (leftovers.length > 0) {
      onNotice(`removed ${leftovers.join(' and ')}, left by a render interrupted before it changed anything; ${real} holds the previous render`);
    }
  }
  const { old, temporary } = earlierWriterLeftovers(real);
  const [newest] = old;
  if (newest !== undefined && !existsSync(real)) {
    steps.run(`restore ${basename(newest)}`, () => renameSync(newest, real));
    onNotice(`restored ${real} from ${newest}, the previous render left by an interrupted run of an earlier twinops`);
    old.shift();
  }
  for (const leftover of [...old, ...temporary]) {
    steps.run(`remove leftover ${basename(leftover)}`, () => rmSync(leftover, { recursive: true, force: true }));
    onNotice(`removed ${leftover}, left by an interrupted run of an earlier twinops`);
  }
}
