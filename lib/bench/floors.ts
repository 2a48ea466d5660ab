/**
 * The floors of `twinops bench`: what the rendered objects cost through each primitive alone,
 * measured in the same process as the render (same machine load, same warm code).
 */
import { bytesOf, type Content } from '../render/content';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApiObjectJson } from '../model';
import { validateObjects, type ObjectToValidate } from '../render/validate';
import { toYaml } from '../render/yaml';

/** One floor: its name, what it did, and how long it took. */
export interface Floor {
  readonly name: string;
  readonly ms: number;
  /** What the floor measured, e.g. `14.4 MB` or `22,757 files`. */
  readonly detail: string;
}

function timed(work: () => string): { ms: number; detail: string } {
  const start = performance.now();
  const detail = work();
  return { ms: performance.now() - start, detail };
}

export function jsonFloor(objects: readonly ApiObjectJson[]): Floor {
  return {
    name: 'JSON.stringify',
    ...timed(() => {
      let bytes = 0;
      for (const object of objects) bytes += JSON.stringify(object).length;
      return `${(bytes / 1e6).toFixed(1)} MB`;
    }),
  };
}

export function yamlFloor(objects: readonly ApiObjectJson[]): Floor {
  return {
    name: 'YAML emitter (render/yaml.ts)',
    ...timed(() => {
      let bytes = 0;
      for (const object of objects) bytes += toYaml(object).length;
      return `${(bytes / 1e6).toFixed(1)} MB`;
    }),
  };
}

/** Validation with the validators the render already compiled: the schemas and CEL rules, nothing else. */
export function validationFloor(items: readonly ObjectToValidate[]): Floor {
  return { name: 'compiled validation', ...timed(() => `${validateObjects(items).length} problems`) };
}

/** The files written plainly (mkdir, writeFileSync) into a fresh folder in `dir`: no compare, no journal, no sync. */
export function writeFloor(files: ReadonlyMap<string, Content>, dir: string, label: string): Floor {
  const root = mkdtempSync(join(dir, 'twinops-bench-write-'));
  try {
    return {
      name: `write files (${label})`,
      ...timed(() => {
        const made = new Set<string>();
        for (const [path, content] of files) {
          const folder = dirname(join(root, path));
          if (!made.has(folder)) {
            mkdirSync(folder, { recursive: true });
            made.add(folder);
          }
          writeFileSync(join(root, path), bytesOf(content));
        }
        return `${files.size.toLocaleString('en-US')} files`;
      }),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
