/**
 * `dr status`: the DR state in force for every twin of an environment, as the variant engine
 * derives it (state, identity, replicas and hosts), laid out as a table.
 */
import { appState, type Environment } from '../config/environment';
import { DR_STATES, type DrState } from '../config/schema';
import { drHost, variantsOf } from '../variant/rules';

/** One app's twin on one cluster. */
export interface TwinStatus {
  /** The prod cluster, which places the app. */
  readonly cluster: string;
  /** The cluster the twin runs on: the prod cluster's DR node, or another cluster. */
  readonly twinCluster: string;
  readonly app: string;
  /** The state in force: the app's own, else the environment's. */
  readonly state: DrState;
  /** Whether the app sets its own state (which wins over the environment's). */
  readonly ownState: boolean;
  /** `own`: the twin answers to its DR host until active; `production`: always to prod's. */
  readonly identity: 'own' | 'production';
  readonly prodReplicas: number;
  readonly drReplicas: number;
  readonly prodHost?: string;
  /** The twin's own host name (`blog-dr.example.org`). */
  readonly drHost?: string;
  /** The host name the twin's identity config holds in this state. */
  readonly twinHost?: string;
}

export interface EnvironmentStatus {
  readonly environment: string;
  readonly state: DrState;
  readonly twins: readonly TwinStatus[];
  /** Placements without a twin. */
  readonly withoutTwin: number;
}

const optional = <K extends string>(key: K, value: string | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

/** The state of every twin of `env` (of cluster `only`, if given), cluster by cluster, apps in file order. */
export function environmentStatus(env: Environment, only?: string): EnvironmentStatus {
  const twins: TwinStatus[] = [];
  let withoutTwin = 0;
  for (const cluster of env.clusters.filter((candidate) => only === undefined || candidate.name === only)) {
    for (const placement of cluster.apps) {
      const variants = variantsOf(env, cluster, placement);
      const prod = variants.find((variant) => variant.kind === 'prod');
      const twin = variants.find((variant) => variant.kind === 'dr');
      if (prod === undefined || twin === undefined) {
        withoutTwin++;
        continue;
      }
      twins.push({
        cluster: cluster.name,
        twinCluster: twin.cluster,
        app: placement.app,
        state: appState(env, placement),
        ownState: placement.dr.state !== undefined,
        identity: placement.dr.identity,
        prodReplicas: prod.replicas,
        drReplicas: twin.replicas,
        ...optional('prodHost', prod.identityHost),
        ...optional('drHost', drHost(env, placement)),
        ...optional('twinHost', twin.identityHost),
      });
    }
  }
  return { environment: env.name, state: env.dr.state, twins, withoutTwin };
}

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

/** The status table: a header, then one row per twin; a TWIN CLUSTER column when some twin runs on another cluster. */
export function formatStatus(status: EnvironmentStatus): string[] {
  const elsewhere = status.twins.some((twin) => twin.twinCluster !== twin.cluster);
  const header = ['CLUSTER', ...(elsewhere ? ['TWIN CLUSTER'] : []), 'APP', 'STATE', 'IDENTITY', 'REPLICAS', 'PROD HOST', 'DR HOST', 'TWIN HOST'];
  const rows = status.twins.map((twin) => [
    twin.cluster,
    ...(elsewhere ? [twin.twinCluster] : []),
    twin.app,
    twin.ownState ? `${twin.state} (app)` : twin.state,
    twin.identity,
    `${twin.prodReplicas}/${twin.drReplicas}`,
    twin.prodHost ?? '-',
    twin.drHost ?? '-',
    twin.twinHost ?? '-',
  ]);
  return alignColumns([header, ...rows]);
}

/** `home is standby: 4 twin(s) on 1 cluster(s): 4 standby, 0 syncing, 0 active` */
export function summarizeStatus(status: EnvironmentStatus): string {
  const clusters = new Set(status.twins.map((twin) => twin.twinCluster)).size;
  const counts = DR_STATES.map((state) => `${status.twins.filter((twin) => twin.state === state).length} ${state}`);
  const without = status.withoutTwin > 0 ? `; ${status.withoutTwin} app(s) without twin` : '';
  return `${status.environment} is ${status.state}: ${status.twins.length} twin(s) on ${clusters} cluster(s): ${counts.join(', ')}${without}`;
}
