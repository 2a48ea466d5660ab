/**
 * Runbook section: losing a whole cluster (a region) whose apps keep their twins on other
 * clusters. What goes: its prod and the twins it ran for other clusters. What to do, in order:
 * activate its apps' twins where they run, hand DNS over by hand (the lost cluster's
 * external-dns owns the records), accept the data of the last resync; and the way back.
 */
import { clusterBlock } from './cluster-blocks';
import type { Environment } from '../config/environment';
import { hostedTwins } from '../variant/rules';
import { commitLines, drCommand } from './commands';
import { namesContexts } from './contexts';
import { distinct } from './cross-procedures';
import { clusterDelivery } from './delivery-site';
import { appRecords } from './dns';
import { ownershipRecords } from './dns-section';
import type { ClusterFacts, TwinnedApp } from './facts';
import { twinElsewhere } from './facts';
import { blocks, bullets, code, fenced, listing, steps } from './markdown';

function clusterLoss(env: Environment, facts: ClusterFacts): string | undefined {
  const lost = facts.cluster;
  const moving = facts.apps.filter(twinElsewhere);
  const hosted = hostedTwins(env, lost);
  if (moving.length === 0 && hosted.length === 0) return undefined;
  const region = lost.region === undefined ? '' : ` (region ${code(lost.region)})`;
  const homes = [...new Set(moving.map((app) => app.twinSite.cluster))];
  const everyTwinElsewhere = moving.length === facts.apps.filter((app) => app.twin !== undefined).length;
  const command = everyTwinElsewhere ? [drCommand(env, 'active', undefined, lost.name)] : moving.map((app) => drCommand(env, 'active', app.placement.app, lost.name));
  const hostsOf = (apps: readonly TwinnedApp[]) => apps.flatMap((app) => (app.placement.host === undefined ? [] : [app.placement.host]));
  const hosts = hostsOf(moving);
  const handed = moving.flatMap((app) => appRecords(facts, app).filter((record) => record.handover !== undefined));
  const bare = hosts.filter((host) => !handed.some((record) => record.host === host));
  const hostedNames = hosted.map(({ origin, placement }) => `${code(placement.app)} of ${code(origin.name)}`);
  const outcome = [
    moving.length > 0 ? `Prod of ${listing(moving.map((app) => code(app.placement.app)))} is down, with its volumes.` : undefined,
    hosted.length > 0 ? `The twins ${code(lost.name)} ran for other clusters are gone: ${listing(hostedNames)}. Their prod is unaffected; they have no DR until ${code(lost.name)} is back.` : undefined,
    moving.length > 0 ? `The twins keep the data of their last resync ([Data resynchronisation](#data-resynchronisation)): whatever was written since is lost.` : undefined,
  ].filter((item): item is string => item !== undefined);
  const recovery: string[][] = [];
  if (moving.length > 0) {
    recovery.push(
      [`Activate the twins of ${code(lost.name)}'s apps where they run (${listing(homes.map((home) => code(home.name)))}), on a branch, and merge it (${code(lost.name)}'s own units cannot apply; nothing waits on them):`, fenced('sh', [...command, ...commitLines(env, `dr: activate the twins of ${lost.name} after losing it`)])],
      [
        'Have Flux apply it on each cluster running the twins:',
        fenced(
          'sh',
          distinct(homes.flatMap((home) => {
            const delivery = clusterDelivery(env, home.name);
            const twins = moving.filter((app) => app.twinSite.cluster === home);
            return [...delivery.entryLines, ...twins.map((app) => delivery.commands.reconcile(app.twin.fluxName))];
          })),
        ),
      ],
      [
        hosts.length === 0
          ? 'DNS: no app here has a host: nothing to move.'
          : [
              handed.length > 0
                ? `DNS by hand: ${code(lost.name)}'s external-dns still owns the records of its hosts, and no other cluster's takes them over. ` +
                  `Delete ${listing(handed.map((record) => `the ${record.type} record of ${code(record.host)} and its TXT ownership records ${listing(ownershipRecords(record.host, record.type).map(code))}`))}; ` +
                  `the twins' clusters then publish them (each app's activation in [Activation and failback](#activation-and-failback) names the address).`
                : undefined,
              bare.length > 0 ? `${listing(bare.map(code))}: one side has no edge, so twinops moves no record: point the clients at the twin by hand.` : undefined,
            ]
              .filter((sentence): sentence is string => sentence !== undefined)
              .join(' '),
      ],
    );
  }
  if (hosted.length > 0) recovery.push([`Leave the twins of ${listing(hostedNames)} alone: do not activate them; their prod serves.`]);
  recovery.push(
    [`Rebuild ${code(lost.name)} as [Bootstrap](#bootstrap) describes for it: Git recreates its units${moving.length > 0 ? ', prod on new, empty volumes' : ''}${hosted.length > 0 ? ', the twins it runs for others on new, empty volumes' : ''}.`],
    ...(moving.length > 0 ? [[`Fail each app back as [Activation and failback](#activation-and-failback) says: stop both variants, copy the twin's data back to prod, return to standby, hand DNS back.`]] : []),
    ...(hosted.length > 0 ? [[`Resynchronise the twins ${code(lost.name)} runs for others from their prod ([Data resynchronisation](#data-resynchronisation)): they start empty.`]] : []),
  );
  return blocks([`### Cluster ${code(lost.name)}${region} is lost`, '**Expected outcome**', bullets(outcome), '**Recovery steps**', steps(recovery)]);
}

/** The section, for an environment whose twins run on other clusters; undefined otherwise. */
export function regionLossSection(env: Environment, clusters: readonly ClusterFacts[]): string | undefined {
  if (!namesContexts(env)) return undefined;
  const parts = clusters.map((facts) => clusterBlock('region-loss', facts.cluster.name, () => clusterLoss(env, facts))).filter((part): part is string => part !== undefined);
  return blocks(['## Region loss', 'A whole cluster, or its region, is gone. Its apps fail over to the clusters running their twins; the other clusters keep serving.', ...parts]);
}
