/**
 * Runbook section: per cluster with an edge, the records every app's hosts need in standby and
 * once active, where the LoadBalancer addresses are read, and every change to make by hand
 * where external-dns does not run.
 */
import { clusterBlock } from './cluster-blocks';
import { recordedMemo, type MemoStore } from '../cache/reads';
import { runsTwins } from '../variant/rules';
import type { AppFacts, ClusterFacts, TwinnedApp } from './facts';
import { twinElsewhere } from './facts';
import { appRecords, lookupLine, type DnsRecord, type RecordValue } from './dns';
import { blocks, code, fenced, listing, table, text, type Blocks } from './markdown';

/** When a change by hand is due. */
export type Moment = 'always' | 'standby' | 'activate' | 'failback';

export interface HandChange {
  readonly record: DnsRecord;
  readonly moment: Moment;
  /** Markdown: what to set, or what to delete. */
  readonly action: string;
}

/** external-dns takes over a record again; it changes only records it owns, hence the fallback. */
function published(value: RecordValue, again: string): string {
  return `external-dns (${code(value.instance)}) publishes ${value.text}${again}; if it does not (it changes only records it owns), set it by hand`;
}

/** `blog.example.org` and `a-blog.example.org`: the TXT records external-dns's TXT registry keeps beside a record of `host` (legacy and type-prefixed names). */
export function ownershipRecords(host: string, type: DnsRecord['type']): string[] {
  return [host, `${type.toLowerCase()}-${host}`];
}

/** Delete the record and the ownership records `owner`'s external-dns keeps for it, then the new owner publishes `value`. */
function handOver(record: DnsRecord, owner: string, next: string, value: RecordValue, again: string): string {
  const txt = listing(ownershipRecords(record.host, record.type).map(code));
  const then = value.byHand ? `then set ${value.text}${again}` : `then ${code(next)}'s external-dns (${code(value.instance)}) publishes ${value.text}${again}; if it does not, set it by hand`;
  return `delete it and its TXT ownership records ${txt} (owner ${code(owner)}: ${code(next)}'s external-dns never takes over a record another owns); ${then}`;
}

/** Changes per record, made once: the DNS table and both DNS steps of the procedures ask. */
const changesOf: MemoStore<DnsRecord, readonly HandChange[]> = new WeakMap();

/** The changes by hand one record needs, in the order they are due. */
export function handChanges(record: DnsRecord): readonly HandChange[] {
  return recordedMemo(changesOf, record, () => changesOfRecord(record));
}

function changesOfRecord(record: DnsRecord): HandChange[] {
  const { standby, active, handover } = record;
  if (handover !== undefined) {
    return [
      ...(standby.byHand ? [{ record, moment: 'standby' as const, action: `set ${standby.text}` }] : []),
      { record, moment: 'activate', action: handOver(record, handover.from, handover.to, active, '') },
      { record, moment: 'failback', action: handOver(record, handover.to, handover.from, standby, ' again') },
    ];
  }
  if (!record.moves) return standby.byHand ? [{ record, moment: 'always', action: `set ${standby.text}` }] : [];
  const changes: HandChange[] = [];
  if (standby.byHand) changes.push({ record, moment: 'standby', action: `set ${standby.text}` });
  if (active.byHand) changes.push({ record, moment: 'activate', action: `set ${active.text}` });
  else if (standby.byHand) changes.push({ record, moment: 'activate', action: published(active, '') });
  if (standby.byHand) changes.push({ record, moment: 'failback', action: `set ${standby.text} again` });
  else if (active.byHand) changes.push({ record, moment: 'failback', action: published(standby, ' again') });
  return changes;
}

function cellOf(value: RecordValue): string {
  return `${value.text} (${value.byHand ? '**by hand**' : 'external-dns'})`;
}

const MOMENT: Readonly<Record<Moment, string>> = { always: 'always', standby: 'in standby', activate: 'on activation', failback: 'on failback' };

/** `Service `wordpress/wordpress-name``, with its cluster and the one it moves to where twins run elsewhere. */
function sourceCell(record: DnsRecord): string {
  const cluster = record.cluster === undefined ? '' : ` on ${code(record.cluster)}`;
  const moved = record.handover === undefined ? '' : `; active: ${code(record.handover.source)} on ${code(record.handover.to)}`;
  return `Service ${code(record.source)}${cluster}${moved}`;
}

function clusterDns(facts: ClusterFacts): string {
  const heading = `### Cluster ${code(facts.cluster.name)}`;
  const edge = facts.cluster.edge;
  const withRecords = facts.apps.map((app) => ({ app, records: appRecords(facts, app) })).filter(({ records }) => records.length > 0);
  const records = withRecords.flatMap(({ records }) => records);
  if (edge === undefined && records.length === 0) return blocks([heading, 'No edge is declared: twinops renders no load balancers and no DNS records here.']);
  const elsewhere = facts.apps.filter(twinElsewhere);
  const noEdge = elsewhere.filter((app) => app.placement.host !== undefined && (edge === undefined || app.twinSite.cluster.edge === undefined));
  const intro =
    edge === undefined
      ? 'No edge is declared here: prod publishes no record. The twins below run on clusters with an edge, which publish theirs.'
      : `Edge namespace ${code(edge.namespace)}, TTL ${edge.dnsTtl} s. Traefik ${instancesText(facts, edge)}. ` + 'A records come from the ExternalName Services, AAAA records from the app\'s IPv6 LoadBalancer.';
  return clusterRecords(heading, intro, withRecords, records, noEdge);
}

function instancesText(facts: ClusterFacts, edge: NonNullable<ClusterFacts['cluster']['edge']>): string {
  // A DR instance runs where twins run: on the DR node, or for another cluster's apps.
  const instances = [edge.prod, ...(runsTwins(facts.env, facts.cluster) ? [edge.dr] : [])].map((instance) => {
    const runs = edge.publicDns && instance.externalDns;
    return `${code(instance.name)}: ${runs ? 'external-dns publishes its records' : `**no external-dns** (${edge.publicDns ? code('externalDns: false') : `${code('publicDns')} is off`}): its records are set by hand`}`;
  });
  return instances.join('; ');
}

function clusterRecords(
  heading: string,
  intro: string,
  withRecords: readonly { readonly app: AppFacts; readonly records: readonly DnsRecord[] }[],
  records: readonly DnsRecord[],
  noEdge: readonly TwinnedApp[],
): string {
  const now = withRecords.flatMap(({ app, records }) => records.map((record) => (app.state === 'active' ? record.active : record.standby)));
  const lookups = [...new Set(now.map(lookupLine).filter((line): line is string => line !== undefined))];
  const changes = records.flatMap(handChanges);
  const order: Moment[] = ['always', 'standby', 'activate', 'failback'];
  const sorted = order.flatMap((moment) => changes.filter((change) => change.moment === moment));
  return blocks([
    heading,
    intro,
    records.length === 0
      ? 'No app here has a host: no records.'
      : table(
          ['Host', 'Type', 'From', 'Standby, syncing', 'Active'],
          records.map((record) => [
            text(record.host),
            record.type,
            sourceCell(record),
            cellOf(record.standby),
            record.moves ? cellOf(record.active) : 'unchanged',
          ]),
        ),
    lookups.length > 0 ? 'The LoadBalancer addresses, as assigned now:' : undefined,
    lookups.length > 0 ? fenced('sh', lookups) : undefined,
    '#### Changes by hand',
    sorted.length === 0
      ? 'None: external-dns publishes every record.'
      : table(
          ['When', 'Host', 'Type', 'Change'],
          sorted.map((change) => [MOMENT[change.moment], text(change.record.host), change.record.type, change.action]),
        ),
    sorted.some((change) => change.record.active.lookup !== undefined && change.moment === 'activate')
      ? 'An AAAA address that moves on activation is assigned from the DR pool by the reconcile: read it after the activation has been applied.'
      : undefined,
    ...noEdge.map(
      (app) =>
        `${code(app.placement.app)}: its twin runs on ${code(app.twinSite.cluster.name)}, and one of the two clusters has no edge: on activation, point the clients of ${code(app.placement.host ?? '')} at the twin by hand.`,
    ),
  ]);
}

export function dnsSection(clusters: readonly ClusterFacts[]): Blocks {
  return ['## DNS', ...clusters.map((facts) => clusterBlock('dns', facts.cluster.name, () => clusterDns(facts)))];
}
