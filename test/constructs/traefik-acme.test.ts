/**
 * The ACME challenge of the Traefik instances: the chart values of both modes, the ExternalSecret
 * the DNS challenge reads its credentials from, and the values checked against the chart's own
 * values schema (HelmRelease `spec.values` is free-form in the Flux CRD).
 */
import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import type { ApiObjectJson } from '../../lib/model';
import { checkPolicies } from '../../lib/render/policies';
import { validateObjects } from '../../lib/render/validate';
import { tiny } from '../runbook/support';

const DNS = {
  challenge: 'dns',
  dnsProvider: 'cloudflare',
  credentials: { remoteKey: 'dns/cloudflare', env: { CF_ZONE_API_TOKEN: 'zone-token', CF_DNS_API_TOKEN: 'token' } },
  resolvers: ['1.1.1.1:53', '[2001:db8::53]:53'],
} as const;

function withAcme(acme: object | undefined): Environment {
  const env = tiny();
  const [cluster] = env.clusters;
  if (!cluster?.edge) throw new Error('no edge');
  const edge = { ...cluster.edge, acme: { challenge: 'tls' as const, ...acme } };
  return { ...env, clusters: [{ ...cluster, edge }] };
}

function traefikUnit(env: Environment): readonly ApiObjectJson[] {
  const unit = composeEnvironment(env).units.find((candidate) => candidate.path === 'tiny/lab/infrastructure/traefik');
  if (!unit) throw new Error('no traefik unit');
  return unit.objects;
}

const valuesOf = (objects: readonly ApiObjectJson[], name: string): Record<string, unknown> => {
  const release = objects.find((object) => object.kind === 'HelmRelease' && object.metadata.name === name);
  if (!release) throw new Error(`no HelmRelease ${name}`);
  return (release['spec'] as { values: Record<string, unknown> }).values;
};

describe('the TLS challenge (default)', () => {
  it('enables TLS-ALPN-01 with a value the chart turns into an argument, and no env', () => {
    const objects = traefikUnit(withAcme(undefined));
    for (const name of ['traefik-external', 'traefik-dr']) {
      const values = valuesOf(objects, name);
      expect(values['certificatesResolvers']).toEqual({ letsencrypt: { acme: { email: 'hostmaster@example.org', storage: '/data/acme.json', tlsChallenge: true } } });
      expect(values['env']).toBeUndefined();
    }
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      'HelmRepository/traefik',
      'HelmRelease/traefik-external',
      'HelmRelease/traefik-dr',
    ]);
  });
});

describe('the DNS challenge', () => {
  const objects = traefikUnit(withAcme(DNS));

  it('gives both instances the provider, the resolvers and the credentials as env from the Secret', () => {
    for (const name of ['traefik-external', 'traefik-dr']) {
      const values = valuesOf(objects, name);
      expect(values['certificatesResolvers']).toEqual({
        letsencrypt: {
          acme: {
            email: 'hostmaster@example.org',
            storage: '/data/acme.json',
            dnsChallenge: { provider: 'cloudflare', resolvers: ['1.1.1.1:53', '[2001:db8::53]:53'] },
          },
        },
      });
      expect(values['env']).toEqual([
        { name: 'CF_DNS_API_TOKEN', valueFrom: { secretKeyRef: { name: 'acme-dns-credentials', key: 'token' } } },
        { name: 'CF_ZONE_API_TOKEN', valueFrom: { secretKeyRef: { name: 'acme-dns-credentials', key: 'zone-token' } } },
      ]);
    }
  });

  it('renders one ExternalSecret in the edge namespace from the environment store, and no Secret', () => {
    expect(objects.filter((object) => object.kind === 'ExternalSecret')).toEqual([
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'acme-dns-credentials', namespace: 'traefik-external', labels: { 'app.kubernetes.io/managed-by': 'twinops' } },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
          target: { name: 'acme-dns-credentials' },
          data: [
            { secretKey: 'token', remoteRef: { key: 'dns/cloudflare', property: 'token' } },
            { secretKey: 'zone-token', remoteRef: { key: 'dns/cloudflare', property: 'zone-token' } },
          ],
        },
      },
    ]);
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
  });

  it('leaves out the resolvers when the environment names none', () => {
    const { resolvers: _resolvers, ...withoutResolvers } = DNS;
    const values = valuesOf(traefikUnit(withAcme(withoutResolvers)), 'traefik-dr');
    expect((values['certificatesResolvers'] as { letsencrypt: { acme: Record<string, unknown> } }).letsencrypt.acme['dnsChallenge']).toEqual({ provider: 'cloudflare' });
  });

  it('passes the CRD schemas strictly and the estate policies', () => {
    expect(validateObjects(objects.map((object) => ({ file: 'traefik', object })))).toEqual([]);
    const env = withAcme(DNS);
    expect(checkPolicies(composeEnvironment(env).units, env)).toEqual([]);
  });
});

// validateObjects checks each HelmRelease's values against its chart version's values schema,
// which `npm run import` generates into imports/schemas/helm-values/ (so this runs on a fresh clone).
describe('the values against the Traefik chart 41.3.0 values schema', () => {
  const problems = (objects: readonly ApiObjectJson[]) =>
    validateObjects(objects.map((object) => ({ file: 'traefik', object }))).map((p) => `${p.name}: ${p.path}: ${p.message}`);

  it.each([
    ['tls', undefined],
    ['dns', DNS],
  ] as const)('accepts every instance with the %s challenge', (_mode, acme) => {
    const objects = traefikUnit(withAcme(acme));
    const charts = objects
      .filter((object) => object.kind === 'HelmRelease')
      .map((release) => (release['spec'] as { chart: { spec: { chart: string; version: string } } }).chart.spec)
      .map(({ chart, version }) => `${chart} ${version}`);
    expect(charts).toEqual(['traefik 41.3.0', 'traefik 41.3.0']); // the version whose schema is generated
    expect(problems(objects)).toEqual([]);
  });

  it('refuses a misspelt top-level key, so the check has teeth', () => {
    const release = structuredClone(traefikUnit(withAcme(DNS)).find((object) => object.metadata.name === 'traefik-dr'));
    if (!release) throw new Error('no HelmRelease traefik-dr');
    (release['spec'] as { values: Record<string, unknown> }).values['envv'] = [];
    expect(problems([release])).toEqual(['traefik-dr: spec.values.envv: unknown field "envv"']);
  });
});
