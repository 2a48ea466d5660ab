/**
 * The catalog is learnt by rendering each chart once: what it reads is what it needs. Nothing
 * the loader checks is declared a second time in the registry.
 */
import { ApiObject, Chart } from 'cdk8s';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appCatalogOf, cachedAppCatalog, probeApp } from '../../lib/app/catalog';
import { appRegistry, type AppDefinition, type AppProps } from '../../lib/app/definition';
import { UserError } from '../../lib/errors';

/** A chart of one ConfigMap whose data is whatever `read` takes from the props. */
function app(name: string, read: (props: AppProps) => Record<string, string>, extra: Partial<AppDefinition> = {}): AppDefinition {
  return {
    name,
    chart: (scope, id, props) => {
      const chart = new Chart(scope, id, props);
      new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: read(props) });
      return chart;
    },
    ...extra,
  };
}

describe('probeApp', () => {
  it('learns a host, a secret store and storage roles from what the chart reads', () => {
    const entry = probeApp(
      app('blog', (props) => ({ url: `https://${props.host}`, store: props.secretStore.name, db: props.storageClass('database'), files: props.storageClass('files') })),
    );
    expect(entry).toEqual({ name: 'blog', needsHost: true, needsSecrets: true, dependsOn: [], storageRoles: ['database', 'files'] });
  });

  it('needs nothing of a chart that reads nothing', () => {
    expect(probeApp(app('cache', () => ({ mode: 'lru' })))).toEqual({ name: 'cache', needsHost: false, needsSecrets: false, dependsOn: [], storageRoles: [] });
  });

  it('needs a host for an app with a public endpoint, even if its chart never reads one', () => {
    expect(probeApp(app('api', () => ({}), { endpoint: { service: 'api', port: 80 } })).needsHost).toBe(true);
  });

  it('keeps the registry dependencies, and refuses a serviceHost of an app not among them', () => {
    expect(probeApp(app('web', (props) => ({ db: props.serviceHost('db', 'db') }), { dependsOn: ['db'] })).dependsOn).toEqual(['db']);
    expect(() => probeApp(app('web', (props) => ({ db: props.serviceHost('db', 'db'), cache: props.serviceHost('cache', 'redis') })))).toThrow(
      new UserError('app web: its chart reaches the Services of cache, db through serviceHost; add them to its dependsOn in the app registry'),
    );
  });

  it('names the app when its chart does not render', () => {
    const broken: AppDefinition = {
      name: 'broken',
      chart: () => {
        throw new Error('no image given');
      },
    };
    expect(() => probeApp(broken)).toThrow(new UserError('app broken: its chart does not render (no image given)'));
  });
});

describe('appCatalogOf', () => {
  it('has one entry per registered app, by name', () => {
    const catalog = appCatalogOf(appRegistry([app('a', () => ({})), app('b', (props) => ({ h: props.host }))]));
    expect([...catalog.keys()]).toEqual(['a', 'b']);
    expect(catalog.get('b')?.needsHost).toBe(true);
  });

  it('refuses two apps of one name', () => {
    expect(() => appRegistry([app('a', () => ({})), app('a', () => ({}))])).toThrow('two apps are named a in the app registry');
  });
});

describe('cachedAppCatalog', () => {
  /** A registry whose charts count their renders. */
  function counted(names: readonly string[]) {
    const renders = { count: 0 };
    const registry = appRegistry(
      names.map((name) =>
        app(name, (props) => {
          renders.count += 1;
          return { host: props.host };
        }),
      ),
    );
    return { registry, renders };
  }
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'twinops-catalog-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('probes each app once for a program\'s sources, and answers the next run from the kept catalog', () => {
    const file = join(folder, 'cache', 'catalog.json');
    const { registry, renders } = counted(['blog', 'cache']);
    const first = cachedAppCatalog(registry, file, 'sources-1');
    expect(renders.count).toBe(2);
    expect(first).toEqual(appCatalogOf(registry));
    renders.count = 0;
    expect(cachedAppCatalog(registry, file, 'sources-1')).toEqual(first);
    expect(renders.count).toBe(0);
  });

  it('probes again for other sources, or for other apps than the kept ones', () => {
    const file = join(folder, 'catalog.json');
    const { registry, renders } = counted(['blog', 'cache']);
    cachedAppCatalog(registry, file, 'sources-1');
    renders.count = 0;
    cachedAppCatalog(registry, file, 'sources-2');
    expect(renders.count).toBe(2);
    const more = counted(['blog', 'cache', 'wiki']);
    expect([...cachedAppCatalog(more.registry, file, 'sources-2').keys()]).toEqual(['blog', 'cache', 'wiki']);
    expect(more.renders.count).toBe(3);
  });

  it('probes when the kept catalog does not parse, and still answers where nothing can be kept', () => {
    const file = join(folder, 'catalog.json');
    writeFileSync(file, '{ not json');
    const { registry, renders } = counted(['blog']);
    expect(cachedAppCatalog(registry, file, 'sources-1').get('blog')?.needsHost).toBe(true);
    expect(renders.count).toBe(1);
    writeFileSync(join(folder, 'file'), '');
    expect(cachedAppCatalog(registry, join(folder, 'file', 'catalog.json'), 'sources-1').get('blog')?.needsHost).toBe(true);
  });
});
