/**
 * Runbook section: what must be in the secret store before the first render is applied, read
 * from the rendered ExternalSecrets (every key and property they read, and where), and for a
 * fleet how to tear a Cluster API cluster down without leaving machines behind.
 */
import type { Environment } from '../config/environment';
import type { ApiObjectJson, RenderedEnvironment, RenderedUnit } from '../model';
import { isRecord } from '../json';
import { unitFact } from '../render/restored-unit';
import { blocks, bullets, code, listing, steps, table, text } from './markdown';

interface StoreRead {
  readonly key: string;
  readonly properties: Set<string>;
  readonly readers: Set<string>;
}

/**
 * Each unit's ExternalSecrets, found once per render of the unit (and kept with it by the render
 * cache file): the render cache hands back the same unit object while its render stands, and
 * the section otherwise looks through every object of the estate on every render (20,000 on the
 * bench fleet, 15-20 ms after a one-app change).
 */
function externalSecrets(unit: RenderedUnit): readonly ApiObjectJson[] {
  return unitFact(unit, 'runbook.externalSecrets', (objects) => objects.filter((object) => object.kind === 'ExternalSecret'));
}

/** Every remote key the rendered ExternalSecrets read, with its properties and who reads it. */
function storeReads(rendered: RenderedEnvironment): StoreRead[] {
  const reads = new Map<string, StoreRead>();
  const secrets = rendered.units.flatMap(externalSecrets);
  for (const secret of secrets) {
    const data = (secret.spec as { data?: unknown } | undefined)?.data;
    for (const item of Array.isArray(data) ? data : []) {
      const ref = isRecord(item) && isRecord(item.remoteRef) ? item.remoteRef : undefined;
      if (ref === undefined || typeof ref.key !== 'string') continue;
      const read = reads.get(ref.key) ?? { key: ref.key, properties: new Set<string>(), readers: new Set<string>() };
      if (typeof ref.property === 'string') read.properties.add(ref.property);
      read.readers.add(`${secret.metadata.namespace ?? ''}/${secret.metadata.name}`);
      reads.set(ref.key, read);
    }
  }
  return [...reads.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function credentialsSection(env: Environment, rendered: RenderedEnvironment): string {
  const reads = storeReads(rendered);
  const store = env.secrets;
  const intro =
    store === undefined
      ? 'The environment declares no secret store, and nothing rendered reads one.'
      : `Every credential comes from the ${code(store.kind)} ${code(store.name)} (${code('secrets')} in ${code(`environments/${env.name}.yaml`)}); twinops renders no Secret. ` +
        'Put these keys in the store, each with the properties listed, before the units that read them are applied:';
  const rows = reads.map((read) => [code(read.key), listing([...read.properties].sort().map(code)), listing([...read.readers].sort().map((name) => text(name)))]);
  return blocks(['## Credentials', intro, rows.length > 0 ? table(['Store key', 'Properties', 'Read by (namespace/ExternalSecret)'], rows) : undefined]);
}

/** How to remove a Cluster API cluster: lift its protection, let Flux apply it, then remove it. */
export function teardownSection(env: Environment): string | undefined {
  const clusters = env.clusters.filter((cluster) => cluster.capi !== undefined && cluster.role !== 'management');
  if (clusters.length === 0) return undefined;
  return blocks([
    '## Tearing a cluster down',
    `The Cluster API objects of ${listing(clusters.map((cluster) => code(cluster.name)))} carry destroy protection while ${code('protect')} is true (the default): ` +
      'Flux and Argo CD leave them in place when they vanish from Git, and `npm run synth` refuses to drop one. To remove a cluster:',
    steps([
      [`Set ${code('protect: false')} on the cluster in ${code(`environments/${env.name}.yaml`)} (keep it there), render, merge, and let Flux apply it: only its Cluster becomes prunable.`],
      ['Move or drain what runs on it: its apps and their data go with it.'],
      ['Remove the cluster (and its apps) from the environment, render and merge: Flux prunes the Cluster, and Cluster API deletes its machines and its infrastructure.'],
      [`Delete the cluster's namespace on the management cluster once the Cluster is gone (${code('kubectl get cluster -A')}); it kept the templates and credentials the teardown needed.`],
    ]),
    bullets([`The management cluster itself is not torn down this way: its definition lives on itself after the pivot.`]),
  ]);
}
