/**
 * `twinops bench`: render a synthetic fleet the way synth does (load, compose, validate, write)
 * and compare its objects per second with the floor: the same objects serialized alone with
 * the YAML library. Timing lives here, never in tests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { fleetYaml } from '../bench/fleet';
import { writeTree } from '../render/write';
import { environmentFiles, loadEnvironments, renderFiles } from '../synth';
import { UserError, systemReason } from '../errors';
import { parseCommandLine, usageOf, UsageError, type CommandSpec, type OptionSpec } from './args';
import { reportError } from './errors';
import type { Io } from './io';
import type { RenderDeps } from './synth';

const count = (n: number) => n.toLocaleString('en-US');
const rate = (objects: number, ms: number) => count(Math.round((objects / ms) * 1000));

function writeFleet(dir: string, clusters: number, apps: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml(clusters, apps));
  return dir;
}

type WithDefault = OptionSpec & { readonly default: string };

const BENCH: CommandSpec<{ readonly objects: WithDefault; readonly dir: WithDefault }> = {
  name: 'bench',
  synopsis: '[options]',
  description: `Renders a synthetic fleet the way synth does (load, compose, validate, write) in a scratch folder,
and compares its objects per second with the YAML library serializing the same objects alone.`,
  options: {
    objects: { type: 'string', placeholder: 'N', default: '20000', description: 'how many objects the fleet has, about' },
    // Where the fleet is rendered: the disk dominates the write phase, so it is a choice.
    dir: { type: 'string', placeholder: 'DIR', default: tmpdir(), description: 'where the scratch folder is made' },
  },
};

/** A scratch folder in `dir`, named in errors by the folder the user gave. */
function scratchFolder(cwd: string, dir: string): string {
  try {
    return mkdtempSync(join(resolve(cwd, dir), 'twinops-bench-'));
  } catch (cause) {
    throw new UserError(`cannot make a scratch folder in --dir ${dir}: ${systemReason(cause)}`, { cause });
  }
}

export function runBench(argv: readonly string[], io: Io, deps: RenderDeps): number {
  let verbose = argv.includes('--verbose');
  let root: string | undefined;
  try {
    const { values, help, ...line } = parseCommandLine(BENCH, argv);
    verbose = line.verbose;
    if (help) {
      io.stdout.write(usageOf(BENCH));
      return 0;
    }
    const target = Number(values.objects);
    if (!/^\d+$/.test(values.objects) || !Number.isSafeInteger(target) || target < 1) {
      throw new UsageError('bench', `option "--objects" expects a positive whole number; given "${values.objects}"`);
    }
    root = scratchFolder(io.cwd, values.dir);
    const apps = [...deps.catalog.keys()].sort();
    // Render one cluster first to size the fleet to the requested number of objects.
    const probe = loadEnvironments(environmentFiles(writeFleet(join(root, 'probe'), 1, apps)), deps.catalog);
    const perCluster = renderFiles(probe, deps.compose, join(root, 'none')).objects;
    const clusters = Math.max(1, Math.round(target / perCluster));
    const envDir = writeFleet(join(root, 'environments'), clusters, apps);
    const distDir = join(root, 'dist');
    io.stderr.write(`bench: ${count(clusters)} clusters × ${apps.length} apps with twins, ${perCluster} objects per cluster, in ${root}\n`);

    const start = performance.now();
    const environments = loadEnvironments(environmentFiles(envDir), deps.catalog);
    const loaded = performance.now();
    const rendered = renderFiles(environments, deps.compose, distDir, (line) => io.stderr.write(`  rendered ${line}\n`));
    const checked = performance.now();
    const written = writeTree(distDir, rendered.files);
    const end = performance.now();

    // The floor: the same objects through the YAML library alone; no cdk8s, no checks, no disk.
    const objects = environments.flatMap((env) => deps.compose(env).units.flatMap((unit) => unit.objects));
    const floorStart = performance.now();
    let bytes = 0;
    for (const object of objects) bytes += stringify(object).length;
    const floorMs = performance.now() - floorStart;

    const total = end - start;
    io.stdout.write(
      [
        `objects       ${count(rendered.objects)} in ${count(rendered.units)} units, ${count(written.written)} files`,
        `load          ${(loaded - start).toFixed(0)} ms`,
        `render+check  ${(checked - loaded).toFixed(0)} ms (compose, schema validation, policies, layout)`,
        `write         ${(end - checked).toFixed(0)} ms`,
        `synth         ${rate(rendered.objects, total)} objects/s (${(total / 1000).toFixed(2)} s)`,
        `floor         ${rate(objects.length, floorMs)} objects/s (${(floorMs / 1000).toFixed(2)} s, yaml stringify alone, ${(bytes / 1e6).toFixed(1)} MB)`,
        `bench: synth runs at ${((floorMs / total) * 100).toFixed(0)}% of the serialization floor's speed`,
      ].join('\n') + '\n',
    );
    return 0;
  } catch (error) {
    return reportError(io, 'bench', error, verbose);
  } finally {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  }
}
