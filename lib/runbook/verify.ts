/**
 * The checks after a failover or a failback: the serving variant's workloads are ready, and its
 * Traefik answers for the production host on the addresses DNS should hold (curl `--resolve`
 * tries them before DNS has changed), then what public DNS says.
 */
import { getWorkloadLines } from './commands';
import { appRecords, shellValue } from './dns';
import type { ClusterFacts, TwinnedApp } from './facts';
import { shellArg, shellComment, shellWord } from './shell';

export function verifyLines(facts: ClusterFacts, app: TwinnedApp, state: 'active' | 'standby'): string[] {
  const serving = state === 'active' ? app.twin : app.prod;
  const host = app.placement.host;
  const replicas = app.placement.replicas;
  const lines = getWorkloadLines(serving).map((line) => `${line}   # READY ${replicas}/${replicas}`);
  if (host === undefined) return lines;
  for (const record of appRecords(facts, app).filter((candidate) => candidate.host === host)) {
    const value = shellValue(state === 'active' ? record.active : record.standby);
    if (value === undefined) continue;
    const target = record.type === 'AAAA' ? ['[', value, ']'] : [value];
    lines.push(`curl -sSI --resolve ${shellWord([host, ':443:', ...target], { quoted: true })} ${shellArg(`https://${host}/`)}`);
  }
  for (const record of appRecords(facts, app).filter((candidate) => candidate.host === host)) {
    const value = state === 'active' ? record.active : record.standby;
    const expected = value.address ?? (value.balancer ? `the address of ${value.balancer}` : undefined);
    lines.push(`dig +short ${record.type} ${shellArg(host)}${expected ? `   # expect ${shellComment(expected)}` : ''}`);
  }
  return lines;
}
