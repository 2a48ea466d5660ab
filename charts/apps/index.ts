/**
 * The app registry: every app an environment can place, with what its chart cannot say itself
 * (what it needs first, its public endpoint, twin declarations for CRDs). Each chart is a plain
 * cdk8s Chart written once for prod; twinops derives its DR twin.
 */
import { appRegistry } from '../../lib/app/definition';
import { Keycloak } from './keycloak';
import { Nextcloud } from './nextcloud';
import { Redis } from './redis';
import { WordPress } from './wordpress';

export const APPS = appRegistry([
  {
    name: 'wordpress',
    dependsOn: ['redis'],
    endpoint: { service: 'wordpress', port: 80 },
    chart: (scope, id, props) => new WordPress(scope, id, props),
  },
  { name: 'redis', chart: (scope, id, props) => new Redis(scope, id, props) },
  {
    name: 'keycloak',
    endpoint: { service: 'keycloak', port: 8080 },
    chart: (scope, id, props) => new Keycloak(scope, id, props),
  },
  {
    name: 'nextcloud',
    endpoint: { service: 'nextcloud', port: 80 },
    chart: (scope, id, props) => new Nextcloud(scope, id, props),
  },
]);
