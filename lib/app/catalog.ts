/**
 * What the environment loader must know of each app (does it need a host, a secret store,
 * which storage roles), learnt by rendering its prod chart once with probe inputs that record
 * what the chart reads. Nothing is declared twice: a chart that starts reading `props.host`
 * needs a host from that moment on.
 */
import { App } from 'cdk8s';
import { appCatalog, type AppCatalog, type AppCatalogEntry } from '../config/catalog';
import { UserError } from '../errors';
import type { AppDefinition, AppProps, AppRegistry } from './definition';

/** The probe's inputs: documentation values, never rendered anywhere. */
const PROBE = {
  namespace: 'probe',
  host: 'app.example.org',
  secretStore: { kind: 'ClusterSecretStore', name: 'probe', refreshInterval: '1h' },
} as const;

/** What one probe render saw the chart read. */
interface Reads {
  host: boolean;
  secretStore: boolean;
  readonly roles: Set<string>;
  readonly services: Set<string>;
}

function probeProps(reads: Reads): AppProps {
  return {
    namespace: PROBE.namespace,
    disableResourceNameHashes: true,
    replicas: 1,
    get host() {
      reads.host = true;
      return PROBE.host;
    },
    get secretStore() {
      reads.secretStore = true;
      return PROBE.secretStore;
    },
    storageClass(role) {
      reads.roles.add(role);
      return role;
    },
    serviceHost(app, service) {
      reads.services.add(app);
      return service;
    },
  };
}

/** Renders an app's chart with probe inputs and returns what the loader must check for it. */
export function probeApp(definition: AppDefinition): AppCatalogEntry {
  const reads: Reads = { host: false, secretStore: false, roles: new Set(), services: new Set() };
  try {
    definition.chart(new App(), definition.name, probeProps(reads)).toJson();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`app ${definition.name}: its chart does not render (${reason})`);
  }
  const dependsOn = definition.dependsOn ?? [];
  const undeclared = [...reads.services].filter((app) => app !== definition.name && !dependsOn.includes(app)).sort();
  if (undeclared.length > 0) {
    throw new UserError(
      `app ${definition.name}: its chart reaches the Services of ${undeclared.join(', ')} through serviceHost; ` +
        `add ${undeclared.length === 1 ? 'it' : 'them'} to its dependsOn in the app registry`,
    );
  }
  return {
    name: definition.name,
    // The platform routes an endpoint by host; a chart reading its host believes it has one.
    needsHost: definition.endpoint !== undefined || reads.host,
    needsSecrets: reads.secretStore,
    dependsOn,
    storageRoles: [...reads.roles].sort(),
  };
}

/** The catalog of a registry, every app probed once. */
export function appCatalogOf(registry: AppRegistry): AppCatalog {
  return appCatalog([...registry.values()].map(probeApp));
}
