/**
 * The words of `twinops diff` that every format shares, so that the terminal, the pull-request
 * comment and the JSON for tools say the same thing the same way.
 */
import { formatValue, type FieldChange, type ObjectRef } from '../dr/diff';
import type { MovedObject, ProtectionRemoved } from './classify';
import { isDocumented, type DiffReport, type ObjectEntry, type RiskyChange, type UnitEntry } from './report';
import type { Transition } from './transitions';

/** The words that mark a change the API server will not make in place. */
export const REFUSED = 'will be refused or will recreate';
/** What a transition whose observed change is what its flip alone changes is called. */
export const DOCUMENTED = 'exactly the documented change set';

/** `PersistentVolumeClaim wordpress/wordpress-db` (no namespace: cluster-scoped). */
export function objectName(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

/** `spec.storageClassName: "zfs-storage-znvm" → "zfs-storage-nas"`. */
export function fieldLine(field: FieldChange): string {
  return `${field.path}: ${formatValue(field.before)} → ${formatValue(field.after)}`;
}

/** `home: wordpress on cluster home (twin on home): standby → active`. */
export function transitionHead(transition: Transition): string {
  return `${transition.environment}: ${transition.app} on cluster ${transition.cluster} (twin on ${transition.twinCluster}): ${transition.from} → ${transition.to}`;
}

/** `exactly the documented change set`, or how far from it the change is. */
export function transitionVerdict(transition: Transition): string {
  if (isDocumented(transition)) return DOCUMENTED;
  const parts = [
    transition.extra.length > 0 ? `${transition.extra.length} change(s) beyond the documented change set` : '',
    transition.missing.length > 0 ? `${transition.missing.length} documented change(s) missing` : '',
  ];
  return `NOT the documented change set: ${parts.filter((part) => part !== '').join(', ')}`;
}

/** The lines under a transition that is not the documented change set: `extra: …`, `missing: …`. */
export function transitionDetails(transition: Transition): string[] {
  return [...transition.extra.map((line) => `extra: ${line}`), ...transition.missing.map((line) => `missing: ${line}`)];
}

/** `home/home/apps/wordpress/prod PersistentVolumeClaim wordpress/wordpress-db: stateful, changed; will be refused or will recreate`. */
export function riskHead(risk: RiskyChange): string {
  const what = [risk.stateful ? `stateful, ${risk.change}` : risk.change, risk.immutable.length > 0 ? REFUSED : ''].filter((part) => part !== '');
  return `${risk.ref.unit} ${objectName(risk.ref)}: ${what.join('; ')}`;
}

/** `home/home/apps/wordpress/prod PersistentVolumeClaim wordpress/wordpress-db: kustomize.toolkit.fluxcd.io/prune: disabled`. */
export function protectionLine(removed: ProtectionRemoved): string {
  return `${removed.ref.unit} ${objectName(removed.ref)}: ${removed.annotations.join(', ')}`;
}

/** `Namespace wordpress: home/home/infrastructure/storage → home/home/apps/wordpress/prod`. */
export function moveLine(move: MovedObject): string {
  return `${objectName(move.to)}: ${move.from.unit} → ${move.to.unit}`;
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

/** `~ Service wordpress/wordpress-name`. */
export function objectLine(entry: ObjectEntry): string {
  return `${SIGN[entry.change]} ${objectName(entry.ref)}`;
}

/** `home/home/apps/wordpress/prod (home, cluster home): 1 added, 2 changed`. */
export function unitHead(unit: UnitEntry): string {
  const count = (change: ObjectEntry['change']) => unit.objects.filter((entry) => entry.change === change).length;
  const counts = (['added', 'changed', 'removed'] as const).filter((change) => count(change) > 0).map((change) => `${count(change)} ${change}`);
  return `${unit.unit} (${unit.environment}, cluster ${unit.cluster}): ${counts.join(', ')}`;
}

/** `diff: 2 unit(s), 0 added, 3 changed, 0 removed object(s); 1 DR transition(s), …`. */
export function summaryLine(report: DiffReport): string {
  const objects = report.units.flatMap((unit) => unit.objects);
  const count = (change: ObjectEntry['change']) => objects.filter((entry) => entry.change === change).length;
  const documents = report.documents.length > 0 ? `, ${report.documents.length} document(s) changed` : '';
  return (
    `diff: ${report.units.length} unit(s), ${count('added')} added, ${count('changed')} changed, ${count('removed')} removed object(s)${documents}; ` +
    `${report.transitions.length} DR transition(s), ${report.risky.length} stateful or immutable change(s), ` +
    `${report.protectionRemoved.length} prune protection(s) removed, ${report.moves.length} move(s)`
  );
}

/** `HEAD (1a2b3c4)`: the base as given and its commit. */
export function baseName(report: DiffReport): string {
  return `${report.base.ref} (${report.base.commit.slice(0, 7)})`;
}

/** One item of a summary section: a head line, and lines that belong under it. */
export interface SummaryItem {
  readonly head: string;
  readonly details: readonly string[];
  /** Whether the item is a warning (a refused change, protection lost, a flip beyond its change set). */
  readonly warning: boolean;
}

export interface SummarySection {
  readonly title: string;
  readonly items: readonly SummaryItem[];
}

/** The summary, in the order reviewers need it: DR transitions, stateful and immutable, protection, moves. */
export function summarySections(report: DiffReport): SummarySection[] {
  return [
    {
      title: 'DR transitions',
      items: report.transitions.map((t) => ({ head: `${transitionHead(t)}: ${transitionVerdict(t)}`, details: transitionDetails(t), warning: !isDocumented(t) })),
    },
    {
      title: 'Stateful objects and immutable fields',
      items: report.risky.map((risk) => ({ head: riskHead(risk), details: risk.immutable.map(fieldLine), warning: risk.immutable.length > 0 || risk.change === 'removed' })),
    },
    { title: 'Prune protection removed', items: report.protectionRemoved.map((removed) => ({ head: protectionLine(removed), details: [], warning: true })) },
    { title: 'Moved between units or clusters (a delete and a create)', items: report.moves.map((move) => ({ head: moveLine(move), details: [], warning: true })) },
  ];
}
