import { describe, expect, it } from 'vitest';
import type { ApiObjectJson, RenderedUnit } from '../../../lib/model';
import { checkPolicies } from '../../../lib/render/policies';
import { uniqueIdentities } from '../../../lib/render/policies/identity';
import { drParity } from '../../../lib/render/policies/parity';
import { cycles, referencesResolve } from '../../../lib/render/policies/references';
import { noPlaintextSecrets } from '../../../lib/render/policies/secrets';
import { loadHome, renderHome } from '../../support/render';

const home = renderHome();

/** A deep copy of the home render with one unit's objects replaced. */
function edit(path: string, change: (objects: ApiObjectJson[]) => ApiObjectJson[]): RenderedUnit[] {
  return home.units.map((unit) =>
    unit.path === path ? { ...unit, objects: change(structuredClone([...unit.objects]) as ApiObjectJson[]) } : unit,
  );
}

const WP_DR = 'home/home/apps/wordpress/dr';
const WP_PROD = 'home/home/apps/wordpress/prod';

describe('the home lab', () => {
  it('passes every policy', () => {
    expect(checkPolicies(home.units, loadHome())).toEqual([]);
  });
});

describe('DR parity', () => {
  it('reports a twin whose image differs from prod', () => {
    const units = edit(WP_DR, (objects) =>
      objects.map((o) => {
        if (o.kind !== 'Deployment' || o.metadata.name !== 'wordpress-dr') return o;
        const copy = structuredClone(o) as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } };
        copy.spec.template.spec.containers[0]!.image = 'wordpress:6.5.0-apache';
        return copy as unknown as ApiObjectJson;
      }),
    );
    expect(drParity(units, '-dr')).toEqual([
      {
        file: WP_DR,
        kind: 'Deployment',
        name: 'wordpress-dr',
        path: 'spec.template.spec.containers[0].image',
        message: 'differs from prod beyond the DR rules (prod "wordpress:6.6.2-apache", dr "wordpress:6.5.0-apache")',
      },
    ]);
  });

  it('reports a prod object without twin and a twin without prod original', () => {
    const units = edit(WP_DR, (objects) =>
      objects.map((o) => (o.kind === 'ConfigMap' ? { ...o, metadata: { ...o.metadata, name: 'wordpress-extra-dr' } } : o)),
    );
    expect(drParity(units, '-dr').map((p) => `${p.file} ${p.kind}/${p.name}: ${p.message}`)).toEqual([
      `${WP_PROD} ConfigMap/wordpress-identity: has no twin ConfigMap/wordpress-identity-dr in ${WP_DR}`,
      `${WP_DR} ConfigMap/wordpress-extra-dr: has no prod original in ${WP_PROD}`,
    ]);
  });

  it('allows the identity config values to differ but not its keys', () => {
    const units = edit(WP_DR, (objects) =>
      objects.map((o) => (o.kind === 'ConfigMap' ? { ...o, data: { WP_HOME: 'https://blog-dr.example.org' } } : o)),
    );
    expect(drParity(units, '-dr').map((p) => p.path)).toEqual(['data.WP_SITEURL']);
  });
});

describe('references', () => {
  it('reports a claim no unit renders', () => {
    const units = edit(WP_PROD, (objects) => objects.filter((o) => o.metadata.name !== 'wordpress-html'));
    expect(referencesResolve(units)).toEqual([
      {
        file: WP_PROD,
        kind: 'Deployment',
        name: 'wordpress',
        path: 'spec.template.spec.volumes[0].persistentVolumeClaim.claimName',
        message: 'refers to PersistentVolumeClaim "wordpress-html", which no unit of this cluster renders in namespace wordpress',
      },
    ]);
  });

  it('reports a secret reference without ExternalSecret', () => {
    const units = edit(WP_PROD, (objects) => objects.filter((o) => o.kind !== 'ExternalSecret'));
    expect(referencesResolve(units).map((p) => `${p.name} ${p.path}`)).toEqual([
      'wordpress-db spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.name',
      'wordpress-db spec.template.spec.containers[0].env[3].valueFrom.secretKeyRef.name',
      'wordpress spec.template.spec.containers[0].env[3].valueFrom.secretKeyRef.name',
      'wordpress-db-dr spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.name',
      'wordpress-db-dr spec.template.spec.containers[0].env[3].valueFrom.secretKeyRef.name',
      'wordpress-dr spec.template.spec.containers[0].env[3].valueFrom.secretKeyRef.name',
    ]);
  });

  it('reports a prod Service that would select DR pods', () => {
    const units = edit(WP_PROD, (objects) =>
      objects.map((o) =>
        o.kind === 'Service' && o.metadata.name === 'wordpress'
          ? { ...o, spec: { ...(o.spec as object), selector: { 'app.kubernetes.io/name': 'wordpress', 'app.kubernetes.io/instance': 'wordpress-dr' } } }
          : o,
      ),
    );
    expect(referencesResolve(units).map((p) => p.message)).toEqual([
      'a prod Service selects Deployment/wordpress-dr of variant dr',
    ]);
  });

  it('reports a Flux dependency that does not exist and a path that is no unit', () => {
    const units = edit('home/clusters/home', (objects) =>
      objects.map((o) =>
        o.metadata.name === 'redis'
          ? { ...o, spec: { ...(o.spec as object), dependsOn: [{ name: 'cache' }], path: './dist/home/home/apps/cache/prod' } }
          : o,
      ),
    );
    expect(referencesResolve(units).map((p) => `${p.name} ${p.path}: ${p.message}`)).toEqual([
      'redis spec.dependsOn[0].name: depends on Kustomization "cache", which this cluster does not have',
      'redis spec.path: points at ./dist/home/home/apps/cache/prod, which is no rendered unit folder',
    ]);
  });

  it('finds each dependency cycle once, starting at its smallest name', () => {
    const edges = new Map([
      ['wordpress', ['redis']],
      ['redis', ['keycloak']],
      ['keycloak', ['wordpress']],
      ['nextcloud', []],
    ]);
    expect(cycles(edges)).toEqual([['keycloak', 'wordpress', 'redis', 'keycloak']]);
    expect(cycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });
});

describe('secrets and identities', () => {
  it('refuses a plaintext Secret', () => {
    const units = edit(WP_PROD, (objects) => [
      ...objects,
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak', namespace: 'wordpress' }, stringData: { password: 'x' } },
    ]);
    expect(noPlaintextSecrets(units)).toEqual([
      {
        file: WP_PROD,
        kind: 'Secret',
        name: 'leak',
        path: '',
        message: 'a plaintext Secret would be committed; use an ExternalSecret (Credentials) or a SealedSecret',
      },
    ]);
  });

  it('refuses one object rendered by two units of a cluster', () => {
    const units = edit(WP_DR, (objects) => [...objects, ...home.units.find((u) => u.path === WP_PROD)!.objects.filter((o) => o.kind === 'ConfigMap')]);
    expect(uniqueIdentities(units)).toEqual([
      { file: WP_DR, kind: 'ConfigMap', name: 'wordpress-identity', path: 'metadata.name', message: `also rendered by ${WP_PROD}: one object, two owners` },
    ]);
  });
});

describe('edge references', () => {
  it('reports a route to a Service or Middleware that is not rendered, and a release without its repository', () => {
    // twinops' own routes name no middleware (the entry point redirects HTTP), so give one a user's.
    const withMiddleware = edit(WP_PROD, (objects) =>
      objects.map((o) => {
        if (o.kind !== 'IngressRoute') return o;
        (o as unknown as { spec: { routes: { middlewares?: { name: string }[] }[] } }).spec.routes[0]!.middlewares = [{ name: 'redirect-to-https' }];
        return o;
      }),
    );
    const units = withMiddleware.map((unit) => ({
      ...unit,
      objects: unit.objects.filter(
        (o) => !(o.kind === 'Middleware' || (o.kind === 'HelmRepository' && o.metadata.name === 'traefik') || (o.kind === 'Service' && o.metadata.name === 'keycloak-dr')),
      ),
    }));
    expect(referencesResolve(units).map((p) => `${p.kind}/${p.name} ${p.path}: ${p.message}`)).toEqual([
      'HelmRelease/traefik-external spec.chart.spec.sourceRef.name: installs from HelmRepository "traefik", which no unit of this cluster renders in namespace traefik-external',
      'HelmRelease/traefik-dr spec.chart.spec.sourceRef.name: installs from HelmRepository "traefik", which no unit of this cluster renders in namespace traefik-external',
      'IngressRoute/wordpress-ingressroute spec.routes[0].middlewares[0].name: uses Middleware "redirect-to-https", which no unit of this cluster renders in namespace traefik-external',
      'IngressRoute/keycloak-ingressroute-dr spec.routes[0].services[0].name: routes to Service "keycloak-dr", which no unit of this cluster renders in namespace keycloak',
    ]);
  });
});
