/**
 * What the environment loader must know of each app (does it need a host, a secret store,
 * which storage roles), learnt by rendering its prod chart once with probe inputs that record
 * what the chart reads. Nothing is declared twice: a chart that starts reading `props.host`
 * needs a host from that moment on.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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

/**
 * `appCatalogOf(registry)`, kept in `file` for the program whose sources hash to `sources`:
 * probing renders every chart, 7 ms each here (the shipped apps' 28-30 ms were 6% of a synth of
 * the examples; an estate of 30 apps would pay 0.2 s on every run), and the same sources give the
 * same catalog. A kept catalog that is not of these sources, or not of exactly these apps, is
 * probed again; one that cannot be kept costs the next run its probe, nothing else.
 */
export function cachedAppCatalog(registry: AppRegistry, file: string, sources: string): AppCatalog {
  const kept = keptEntries(file, sources);
  const names = [...registry.keys()];
  if (kept !== undefined && kept.length === names.length && kept.every((entry, i) => entry.name === names[i])) return appCatalog(kept);
  const catalog = appCatalogOf(registry);
  const temporary = `${file}.${process.pid}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, JSON.stringify({ sources, entries: [...catalog.values()] }));
    renameSync(temporary, file);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written where nothing can be.
    }
  }
  return catalog;
}

function keptEntries(file: string, sources: string): AppCatalogEntry[] | undefined {
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { sources?: unknown; entries?: unknown };
    return kept.sources === sources && Array.isArray(kept.entries) ? (kept.entries as AppCatalogEntry[]) : undefined;
  } catch {
    return undefined;
  }
}
