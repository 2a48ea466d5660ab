/** What the environment loader checks placements against, learnt by rendering each app once. */
import { appCatalogOf } from '../lib/app/catalog';
import { APPS } from './apps';

export const APP_CATALOG = appCatalogOf(APPS);
