/**
 * The report of `twinops diff`, the one model every format prints: the summary sections first
 * (DR transitions, stateful and immutable changes, prune protection removed, moves), then every
 * unit's objects added, removed and changed. Built from comparisons; pure.
 */
import { createTwoFilesPatch } from 'diff';
import type { DocumentChange, FieldChange, ObjectRef } from '../dr/diff';
import type { ApiObjectJson } from '../model';
import { byCodeUnit } from '../render/files';
import { unitFileName } from '../render/layout';
import { toYaml } from '../render/yaml';
import {
  immutableChanges,
  movedObjects,
  protectionRemoved,
  statefulChanges,
  type MovedObject,
  type ProtectionRemoved,
} from './classify';
import { refKey, type ComparedEnvironment } from './compare';
import { placeOf } from './tree';
import type { Transition } from './transitions';

/** A stateful object changed or removed, or any object with an immutable field changed. */
export interface RiskyChange {
  readonly ref: ObjectRef;
  readonly change: 'changed' | 'removed';
  /** PVC, claim templates' StatefulSet, StorageClass, Namespace, PersistentVolume. */
  readonly stateful: boolean;
  /** Changed fields the API server treats as immutable: the change will be refused or will recreate the object. */
  readonly immutable: readonly FieldChange[];
}

export interface ObjectEntry {
  readonly change: 'added' | 'removed' | 'changed';
  readonly ref: ObjectRef;
  /** Changed leaf fields (masked); empty for added and removed objects. */
  readonly fields: readonly FieldChange[];
  /** Unified YAML diff of a changed object (masked), with `--objects` only. */
  readonly unified?: string;
}

export interface UnitEntry {
  readonly environment: string;
  readonly cluster: string;
  /** Unit folder relative to `dist/`. */
  readonly unit: string;
  readonly objects: readonly ObjectEntry[];
}

export interface DiffReport {
  /** The base as given (`HEAD`, `origin/main`) and the commit it names. */
  readonly base: { readonly ref: string; readonly commit: string };
  readonly transitions: readonly Transition[];
  readonly risky: readonly RiskyChange[];
  readonly protectionRemoved: readonly ProtectionRemoved[];
  readonly moves: readonly MovedObject[];
  readonly units: readonly UnitEntry[];
  /** Rendered documents (runbooks) added, removed or changed; `path` relative to `dist/`. */
  readonly documents: readonly DocumentChange[];
  /** What the diff could not establish (a base environment file that no longer loads, …). */
  readonly notes: readonly string[];
}

export interface ReportInput {
  readonly base: DiffReport['base'];
  readonly compared: readonly ComparedEnvironment[];
  readonly transitions: readonly Transition[];
  readonly notes: readonly string[];
  /** Add a unified YAML diff per changed object. Default: false. */
  readonly unified?: boolean;
}

/** `--- a/<unit>/<file>` / `+++ b/<unit>/<file>`, three lines of context, from masked objects. */
function unifiedDiff(ref: ObjectRef, before: ApiObjectJson, after: ApiObjectJson): string {
  const path = `${ref.unit}/${unitFileName(after)}`;
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, toYaml(before), toYaml(after), undefined, undefined, { context: 3 });
  // Drop jsdiff's `Index:` and `===` lines: the `---`/`+++` headers name the file.
  return patch.split('\n').filter((line, i) => i > 1 || !(line.startsWith('Index: ') || /^=+$/.test(line))).join('\n');
}

function risks(compared: readonly ComparedEnvironment[], moves: readonly MovedObject[]): RiskyChange[] {
  const stateful = statefulChanges(compared, moves).map((change): RiskyChange => ({ ...change, stateful: true }));
  const seen = new Set(stateful.map((change) => refKey(change.ref)));
  const others = immutableChanges(compared)
    .filter((change) => !seen.has(refKey(change.ref)))
    .map((change): RiskyChange => ({ ref: change.ref, change: 'changed', stateful: false, immutable: change.fields }));
  return [...stateful, ...others].sort((a, b) => byCodeUnit(a.ref.unit, b.ref.unit) || byCodeUnit(refKey(a.ref), refKey(b.ref)));
}

function unitsOf(input: ReportInput): UnitEntry[] {
  const units = new Map<string, ObjectEntry[]>();
  const add = (entry: ObjectEntry) => units.set(entry.ref.unit, [...(units.get(entry.ref.unit) ?? []), entry]);
  for (const { diff, before, after } of input.compared) {
    for (const ref of diff.removed) add({ change: 'removed', ref, fields: [] });
    for (const ref of diff.added) add({ change: 'added', ref, fields: [] });
    for (const object of diff.changed) {
      const { fields, ...ref } = object;
      const [was, is] = [before.get(refKey(ref)), after.get(refKey(ref))];
      const unified = input.unified === true && was !== undefined && is !== undefined ? unifiedDiff(ref, was, is) : undefined;
      add({ change: 'changed', ref, fields, ...(unified === undefined ? {} : { unified }) });
    }
  }
  const byObject = (a: ObjectEntry, b: ObjectEntry) =>
    byCodeUnit(a.ref.kind, b.ref.kind) || byCodeUnit(a.ref.namespace ?? '', b.ref.namespace ?? '') || byCodeUnit(a.ref.name, b.ref.name);
  return [...units.keys()].sort(byCodeUnit).map((unit) => ({ ...placeOf(unit), objects: (units.get(unit) ?? []).sort(byObject) }));
}

export function buildReport(input: ReportInput): DiffReport {
  const moves = movedObjects(input.compared);
  return {
    base: input.base,
    transitions: input.transitions,
    risky: risks(input.compared, moves),
    protectionRemoved: protectionRemoved(input.compared, moves),
    moves,
    units: unitsOf(input),
    documents: input.compared.flatMap(({ diff }) => diff.documents),
    notes: input.notes,
  };
}

/** Whether the working tree's render differs from the base at all. */
export function hasDifferences(report: DiffReport): boolean {
  return report.units.length > 0 || report.documents.length > 0;
}

/** Whether a transition's change set is exactly the documented one. */
export const isDocumented = (transition: Transition) => transition.extra.length === 0 && transition.missing.length === 0;
