/**
 * Runbook section: per cluster with an edge, the records every app's hosts need in standby and
 * once active, where the LoadBalancer addresses are read, and every change to make by hand
 * where external-dns does not run.
 */
import type { ClusterFacts } from './facts';
import { appRecords, lookupLine, type DnsRecord, type RecordValue } from './dns';
import { blocks, code, fenced, table, text } from './markdown';

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

/** The changes by hand one record needs, in the order they are due. */
export function handChanges(record: DnsRecord): HandChange[] {
  const { standby, active } = record;
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

function clusterDns(facts: ClusterFacts): string {
  const heading = `### Cluster ${code(facts.cluster.name)}`;
  const edge = facts.cluster.edge;
  if (edge === undefined) return blocks([heading, 'No edge is declared: twinops renders no load balancers and no DNS records here.']);
  const withRecords = facts.apps.map((app) => ({ app, records: appRecords(facts, app) })).filter(({ records }) => records.length > 0);
  const records = withRecords.flatMap(({ records }) => records);
  const instances = [edge.prod, ...(facts.cluster.dr ? [edge.dr] : [])].map((instance) => {
    const runs = edge.publicDns && instance.externalDns;
    return `${code(instance.name)}: ${runs ? 'external-dns publishes its records' : `**no external-dns** (${edge.publicDns ? code('externalDns: false') : `${code('publicDns')} is off`}): its records are set by hand`}`;
  });
  const now = withRecords.flatMap(({ app, records }) => records.map((record) => (app.state === 'active' ? record.active : record.standby)));
  const lookups = [...new Set(now.map(lookupLine).filter((line): line is string => line !== undefined))];
  const changes = records.flatMap(handChanges);
  const order: Moment[] = ['always', 'standby', 'activate', 'failback'];
  const sorted = order.flatMap((moment) => changes.filter((change) => change.moment === moment));
  return blocks([
    heading,
    `Edge namespace ${code(edge.namespace)}, TTL ${edge.dnsTtl} s. Traefik ${instances.join('; ')}. ` +
      'A records come from the ExternalName Services, AAAA records from the app\'s IPv6 LoadBalancer.',
    records.length === 0
      ? 'No app here has a host: no records.'
      : table(
          ['Host', 'Type', 'From', 'Standby, syncing', 'Active'],
          records.map((record) => [
            text(record.host),
            record.type,
            `Service ${code(record.source)}`,
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
  ]);
}

export function dnsSection(clusters: readonly ClusterFacts[]): string {
  return blocks(['## DNS', ...clusters.map(clusterDns)]);
}
