/** Reports of `twinops diff` from objects placed in unit folders, without git or a render. */
import { compareRenders } from '../../lib/diff/compare';
import { buildReport, type DiffReport } from '../../lib/diff/report';
import type { Transition } from '../../lib/diff/transitions';
import { emptyRender, readRenders } from '../../lib/diff/tree';
import type { ApiObjectJson } from '../../lib/model';
import { unitFileName } from '../../lib/render/layout';
import { toYaml } from '../../lib/render/yaml';

/** Objects in unit folders, as synth writes them: `[unit, object]` → file path → text. */
export function treeOf(entries: readonly (readonly [string, ApiObjectJson])[]): Map<string, string> {
  return new Map(entries.map(([unit, object]) => [`${unit}/${unitFileName(object)}`, toYaml(object)]));
}

/** The report of `before` → `after`, as `semanticDiff` builds it from two trees. */
export function reportOf(before: Map<string, string>, after: Map<string, string>, options: { unified?: boolean; transitions?: Transition[] } = {}): DiffReport {
  const [old, now] = [readRenders(before), readRenders(after)];
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  const compared = names.map((name) => compareRenders(old.get(name) ?? emptyRender(name), now.get(name) ?? emptyRender(name)));
  return buildReport({
    base: { ref: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567' },
    compared,
    transitions: options.transitions ?? [],
    notes: [],
    unified: options.unified ?? false,
  });
}

/** A PVC of `size` in `storageClass`. */
export function claim(name: string, size: string, storageClass: string, annotations: Record<string, string> = {}): ApiObjectJson {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'web', annotations },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName: storageClass },
  };
}
