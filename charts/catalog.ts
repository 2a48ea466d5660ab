/** Every app chart twinops ships, by the name environments place it with. */
import type { AppCatalogEntry } from '../lib/config/catalog';
import type { AppChart } from './catalog-types';
import { keycloak } from './apps/keycloak';
import { nextcloud } from './apps/nextcloud';
import { redis } from './apps/redis';
import { wordpress } from './apps/wordpress';

export const APP_CHARTS: ReadonlyMap<string, AppChart> = new Map(
  [wordpress, redis, keycloak, nextcloud].map((chart) => [chart.name, chart]),
);

/** What the environment loader checks placements against, derived from the charts themselves. */
export const APP_CATALOG: ReadonlyMap<string, AppCatalogEntry> = new Map(
  [...APP_CHARTS.values()].map((chart) => [
    chart.name,
    {
      name: chart.name,
      needsHost: chart.needsHost,
      needsSecrets: chart.needsSecrets,
      dependsOn: chart.dependsOn,
      storageRoles: [...new Set(chart.volumes.map((volume) => volume.role))],
    },
  ]),
);
