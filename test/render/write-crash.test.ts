/**
 * A crash at every filesystem step of the writer (injected before step N, for every N the
 * writer has), and what the next run makes of it: the output folder is the old tree or the new
 * one, or (after the commit point only) becomes the new one by recovery alone; flux-system/ is
 * never lost; nothing is left beside the folder.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InjectedCrash, Steps, type Faults } from '../../lib/render/faults';
import { MARKER_FILE, MARKER_TEXT } from '../../lib/render/output-folder';
import { recoverOutputFolder } from '../../lib/render/recover';
import { writeTree } from '../../lib/render/write';
import { snapshot, type Snapshot } from '../support/snapshot';

let root: string;
let dist: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twinops-crash-'));
  dist = join(root, 'dist');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const FLUX = 'lab/clusters/lab/flux-system/gotk-sync.yaml';
const fluxOwned = (path: string) => path.startsWith('lab/clusters/lab/flux-system/');

/** A previous render of 36 files over nine units, and the next one: changed, added and removed files. */
function renders(): { before: Map<string, string>; after: Map<string, string> } {
  const before = new Map<string, string>([['lab/RUNBOOK.md', '# Runbook\n']]);
  for (const app of ['wordpress', 'redis', 'keycloak', 'nextcloud']) {
    for (const variant of ['prod', 'dr']) {
      const unit = `lab/lab/apps/${app}/${variant}`;
      before.set(`${unit}/kustomization.yaml`, `resources: [${app}]\n`);
      before.set(`${unit}/deployment-${app}.yaml`, `kind: Deployment\nname: ${app}-${variant}\n`);
      before.set(`${unit}/service-${app}.yaml`, `kind: Service\nname: ${app}-${variant}\n`);
      before.set(`${unit}/configmap-${app}.yaml`, `kind: ConfigMap\nname: ${app}-${variant}\n`);
    }
  }
  before.set('lab/clusters/lab/kustomization.yaml', 'resources:\n- flux-system\n');
  before.set('lab/clusters/lab/wordpress.yaml', 'kind: Kustomization\n');
  before.set('lab/clusters/lab/nextcloud.yaml', 'kind: Kustomization\n');
  const after = new Map(before);
  // Activation changes some files; nextcloud goes entirely; a new app and a new file arrive.
  for (const app of ['wordpress', 'keycloak']) after.set(`lab/lab/apps/${app}/dr/configmap-${app}.yaml`, `kind: ConfigMap\nname: ${app}-dr\nhost: prod\n`);
  after.set('lab/lab/apps/redis/prod/deployment-redis.yaml', 'kind: Deployment\nname: redis-prod\nreplicas: 0\n');
  after.set('lab/RUNBOOK.md', '# Runbook\n\nActive.\n');
  for (const path of [...after.keys()]) if (path.includes('nextcloud')) after.delete(path);
  for (const variant of ['prod', 'dr']) {
    after.set(`lab/lab/apps/gitea/${variant}/kustomization.yaml`, 'resources: [gitea]\n');
    after.set(`lab/lab/apps/gitea/${variant}/deployment-gitea.yaml`, `kind: Deployment\nname: gitea-${variant}\n`);
  }
  after.set('lab/clusters/lab/gitea.yaml', 'kind: Kustomization\n');
  return { before, after };
}

const { before, after } = renders();

/** What the output folder holds after a complete write of `files`: the files, the marker, flux-system/. */
function expected(files: ReadonlyMap<string, string>): Snapshot['files'] {
  return { ...Object.fromEntries(files), [MARKER_FILE]: MARKER_TEXT, [FLUX]: 'flux bootstrap wrote this\n' };
}

/** A fresh output folder holding the previous render and a flux-system/ folder. */
function previousRender(): Snapshot {
  rmSync(dist, { recursive: true, force: true });
  writeTree(dist, before);
  mkdirSync(join(dist, 'lab/clusters/lab/flux-system'));
  writeFileSync(join(dist, FLUX), 'flux bootstrap wrote this\n');
  return snapshot(dist);
}

const crashAt = (target: number): Faults => ({
  beforeStep: (step, what) => {
    if (step === target) throw new InjectedCrash(step, what);
  },
});

/** The steps and result of one uninterrupted write of `after` over the previous render. */
function oneWrite() {
  root = mkdtempSync(join(tmpdir(), 'twinops-crash-'));
  dist = join(root, 'dist');
  previousRender();
  const steps: string[] = [];
  const result = writeTree(dist, after, { preserve: fluxOwned, faults: { beforeStep: (_, what) => steps.push(what) } });
  return { steps, result };
}

describe('a crash at every step of the writer', () => {
  const { steps, result } = oneWrite();
  const commit = steps.indexOf('commit journal') + 1;
  rmSync(root, { recursive: true, force: true });

  it('has staging steps, then the commit point, then the apply', () => {
    expect(commit).toBeGreaterThan(10);
    expect(result).toEqual({ written: 9, unchanged: 24, removed: [...before.keys()].filter((path) => path.includes('nextcloud')).sort() });
    expect(steps.slice(0, 2)).toEqual(['make staging folder', 'stage lab/RUNBOOK.md']);
    expect(steps.slice(commit - 2, commit + 1)).toEqual(['write journal draft', 'commit journal', 'remove lab/clusters/lab/nextcloud.yaml']);
    expect(steps.slice(-2)).toEqual(['remove staging folder', 'remove journal']);
  });

  it.each(steps.map((what, index) => [index + 1, what] as const))('before step %i (%s): old tree or new tree, and the next run ends with the new one', (step, what) => {
    const old = previousRender();
    const newTree = expected(after);

    expect(() => writeTree(dist, after, { preserve: fluxOwned, faults: crashAt(step) })).toThrow(new InjectedCrash(step, what));

    const notices: string[] = [];
    const recovered = () => recoverOutputFolder(dist, new Steps(undefined), (line) => notices.push(line));
    if (step <= commit) {
      // Not committed: the folder is exactly the previous render, before and after recovery.
      expect(snapshot(dist)).toEqual(old);
      recovered();
      expect(snapshot(dist)).toEqual(old);
      const leftovers = step === 1 ? [] : step < commit ? ['.dist.twinops-staging'] : ['.dist.twinops-journal-draft', '.dist.twinops-staging'];
      expect(notices).toEqual(
        leftovers.length === 0
          ? []
          : [`removed ${leftovers.map((name) => join(root, name)).join(' and ')}, left by a render interrupted before it changed anything; ${dist} holds the previous render`],
      );
    } else {
      recovered();
      expect(snapshot(dist).files).toEqual(newTree);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(new RegExp(`^finished the interrupted render of ${dist} \\(journal ${join(root, '.dist.twinops-journal')}\\): \\d+ file\\(s\\) put in place, 9 removal\\(s\\) replayed$`));
    }
    expect(readdirSync(root)).toEqual(['dist']);

    // Not committed: the next write does it all; committed: recovery did, nothing is left to do.
    expect(writeTree(dist, after, { preserve: fluxOwned })).toEqual(step <= commit ? result : { written: 0, unchanged: after.size + 1, removed: [] });
    const final = snapshot(dist);
    expect(final.files).toEqual(newTree);
    expect(final.folders.filter((folder) => folder.includes('nextcloud'))).toEqual([]);
    expect(readdirSync(root)).toEqual(['dist']);
  });

  it('recovers from a crash during recovery, at every step of it', () => {
    const afterCommit = crashAt(commit + 1);
    previousRender();
    expect(() => writeTree(dist, after, { preserve: fluxOwned, faults: afterCommit })).toThrow(InjectedCrash);
    const interrupted = mkdtempSync(join(tmpdir(), 'twinops-interrupted-'));
    cpSync(root, interrupted, { recursive: true });
    const recoverySteps: string[] = [];
    recoverOutputFolder(dist, new Steps({ beforeStep: (_, what) => recoverySteps.push(what) }));
    expect(recoverySteps.length).toBeGreaterThan(10);

    try {
      for (let step = 1; step <= recoverySteps.length; step++) {
        rmSync(root, { recursive: true });
        cpSync(interrupted, root, { recursive: true });
        expect(() => recoverOutputFolder(dist, new Steps(crashAt(step)))).toThrow(InjectedCrash);
        recoverOutputFolder(dist, new Steps(undefined));
        expect(snapshot(dist).files).toEqual(expected(after));
        expect(readdirSync(root)).toEqual(['dist']);
      }
    } finally {
      rmSync(interrupted, { recursive: true, force: true });
    }
  });
});

describe('a crash at every step of a first write (no output folder yet: the tree is staged whole and renamed once)', () => {
  const firstSteps = (): string[] => {
    root = mkdtempSync(join(tmpdir(), 'twinops-crash-'));
    dist = join(root, 'dist');
    const steps: string[] = [];
    writeTree(dist, after, { faults: { beforeStep: (_, what) => steps.push(what) } });
    rmSync(root, { recursive: true, force: true });
    return steps;
  };
  const steps = firstSteps();
  const commit = steps.indexOf('commit journal') + 1;
  const newTree = { ...Object.fromEntries(after), [MARKER_FILE]: MARKER_TEXT };

  it('stages every file at its path, commits, then renames the staging folder into place once', () => {
    expect(steps.slice(0, 4)).toEqual(['make staging folder', `stage ${MARKER_FILE}`, 'make staged folder lab', 'stage lab/RUNBOOK.md']);
    expect(steps.filter((what) => what.startsWith('stage '))).toHaveLength(after.size + 1);
    expect(steps.filter((what) => what.startsWith('make staged folder ')).sort()).toEqual(
      ['lab', 'lab/clusters/lab', 'lab/lab/apps/gitea/dr', 'lab/lab/apps/gitea/prod', ...['keycloak', 'redis', 'wordpress'].flatMap((app) => [`lab/lab/apps/${app}/dr`, `lab/lab/apps/${app}/prod`])].map((folder) => `make staged folder ${folder}`).sort(),
    );
    expect(steps.slice(commit - 2)).toEqual(['write journal draft', 'commit journal', 'rename staging folder into place', 'remove journal']);
  });

  it('writes a version 2 journal, which an interrupted first write leaves for recovery', () => {
    expect(() => writeTree(dist, after, { faults: crashAt(commit + 1) })).toThrow(InjectedCrash);
    const journal = JSON.parse(readFileSync(join(root, '.dist.twinops-journal'), 'utf8')) as { version: number; staged: string[] };
    expect(journal.version).toBe(2);
    expect(journal.staged).toEqual([...after.keys(), MARKER_FILE].sort());
    expect(readFileSync(join(root, '.dist.twinops-staging/lab/RUNBOOK.md'), 'utf8')).toBe(after.get('lab/RUNBOOK.md'));
  });

  it.each(steps.map((what, index) => [index + 1, what] as const))('before step %i (%s): no output folder or the whole new tree, and the next run ends with it', (step, what) => {
    expect(() => writeTree(dist, after, { faults: crashAt(step) })).toThrow(new InjectedCrash(step, what));

    const notices: string[] = [];
    recoverOutputFolder(dist, new Steps(undefined), (line) => notices.push(line));
    if (step <= commit) {
      expect(existsSync(dist)).toBe(false);
      expect(readdirSync(root)).toEqual([]);
      expect(notices).toHaveLength(step === 1 ? 0 : 1);
    } else {
      expect(snapshot(dist).files).toEqual(newTree);
      expect(readdirSync(root)).toEqual(['dist']);
      expect(notices).toEqual([
        `finished the interrupted render of ${dist} (journal ${join(root, '.dist.twinops-journal')}): ${step === commit + 1 ? after.size + 1 : 0} file(s) put in place, 0 removal(s) replayed`,
      ]);
    }

    expect(writeTree(dist, after)).toEqual(step <= commit ? { written: after.size + 1, unchanged: 0, removed: [] } : { written: 0, unchanged: after.size + 1, removed: [] });
    expect(snapshot(dist).files).toEqual(newTree);
    expect(readdirSync(root)).toEqual(['dist']);
  });

  it('refuses to finish into an output folder made since, and says where the render waits', () => {
    expect(() => writeTree(dist, after, { faults: crashAt(commit + 1) })).toThrow(InjectedCrash);
    mkdirSync(dist);
    writeFileSync(join(dist, 'notes.txt'), 'mine\n');
    expect(() => recoverOutputFolder(dist, new Steps(undefined))).toThrow(
      `${dist} was made while the first render into it was unfinished; move it away and render again (that render is in ${join(root, '.dist.twinops-staging')})`,
    );
    expect(readFileSync(join(dist, 'notes.txt'), 'utf8')).toBe('mine\n');
  });
});

describe('leftovers of the earlier writer (whole-tree swap)', () => {
  /** A pid no process has: one that just ended. */
  const deadPid = () => spawnSync('true').pid ?? 0;

  it('moves the previous tree back when dist/ is missing, with flux-system/, and removes its temporary folder', () => {
    previousRender();
    const pid = deadPid();
    renameSync(dist, `${dist}.twinops-old-${pid}`);
    mkdirSync(join(root, `.twinops-tmp-${pid}-0/lab`), { recursive: true });
    const notices: string[] = [];

    writeTree(dist, after, { preserve: fluxOwned, onNotice: (line) => notices.push(line) });

    expect(notices).toEqual([
      `restored ${dist} from ${dist}.twinops-old-${pid}, the previous render left by an interrupted run of an earlier twinops`,
      `removed ${join(root, `.twinops-tmp-${pid}-0`)}, left by an interrupted run of an earlier twinops`,
    ]);
    expect(snapshot(dist).files).toEqual(expected(after));
    expect(readdirSync(root)).toEqual(['dist']);
  });

  it('removes an old tree when dist/ is there, and leaves those of a running process alone', () => {
    previousRender();
    const pid = deadPid();
    mkdirSync(`${dist}.twinops-old-${pid}`);
    mkdirSync(`${dist}.twinops-old-${process.pid}`);
    const notices: string[] = [];

    writeTree(dist, after, { preserve: fluxOwned, onNotice: (line) => notices.push(line) });

    expect(notices).toEqual([`removed ${dist}.twinops-old-${pid}, left by an interrupted run of an earlier twinops`]);
    expect(readdirSync(root).sort()).toEqual(['dist', `dist.twinops-old-${process.pid}`]);
  });
});
