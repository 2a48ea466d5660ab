/**
 * `twinops synth --cdk8s`: the app `cdk8s synth` runs (cdk8s.yaml). cdk8s-cli empties its output
 * folder before running the app, so that folder is a scratch folder (cdk8s.yaml `output:`) and
 * twinops renders `dist/` itself, through the writer that keeps `flux-system/`. cdk8s-cli then
 * insists the app wrote something into CDK8S_OUTDIR, and it swallows the app's standard output:
 * this module leaves it a note there and repeats the summary on standard error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './args';
import type { Io } from './io';

/** Set by cdk8s-cli to its output folder for the app it runs. */
export const CDK8S_OUTDIR_VARIABLE = 'CDK8S_OUTDIR';

/** The note's name: cdk8s-cli lists every `.yaml` file it finds, so this is what the user reads. */
export const CDK8S_NOTE_FILE = 'rendered-into-dist-by-twinops.yaml';

/** cdk8s-cli's output folder, checked before the render: `--cdk8s` means nothing without it. */
export function cdk8sOutdir(io: Io): string {
  const outdir = io.env[CDK8S_OUTDIR_VARIABLE];
  if (outdir === undefined || outdir === '') {
    throw new UsageError('synth', `--cdk8s is for \`cdk8s synth\`, which sets ${CDK8S_OUTDIR_VARIABLE}; it is not set`);
  }
  return resolve(io.cwd, outdir);
}

/** Leaves the note in `folder` (from `cdk8sOutdir`) and repeats the summary where cdk8s-cli shows it. */
export function leaveCdk8sNote(io: Io, folder: string, out: string, summaryLine: string): void {
  mkdirSync(folder, { recursive: true });
  const note = [
    `# cdk8s-cli's scratch folder (cdk8s.yaml output:). twinops rendered the manifests into ${out}/ itself:`,
    `# ${summaryLine}`,
    '',
  ].join('\n');
  writeFileSync(join(folder, CDK8S_NOTE_FILE), note);
  io.stderr.write(`${summaryLine}\n`);
}
