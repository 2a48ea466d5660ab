/**
 * The Argo CD engine: the same unit folders as Flux, delivered by one Application per unit in
 * sync waves from the dependency order, and the root Application the runbook applies.
 */
import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import type { ApiObjectJson } from '../../lib/model';
import { checkPolicies } from '../../lib/render/policies';
import { validateObjects } from '../../lib/render/validate';
import { renderRunbook } from '../../lib/runbook';
import { tiny } from '../runbook/support';

const flux = tiny();
const argo: Environment = { ...flux, gitops: { ...flux.gitops, engine: 'argocd', namespace: 'argocd', repoURL: 'https://git.example.org/platform/estate.git' } };

describe('the Argo CD engine', () => {
  const withFlux = composeEnvironment(flux);
  const withArgo = composeEnvironment(argo);
  const entry = withArgo.units.find((unit) => unit.path === 'tiny/clusters/lab');
  const apps = (entry?.objects ?? []) as ApiObjectJson[];
  const wave = (name: string) => apps.find((o) => o.metadata.name === name)?.metadata.annotations?.['argocd.argoproj.io/sync-wave'];

  it('renders the same unit folders as Flux, only the entry differs', () => {
    const folders = (units: typeof withFlux.units) => units.filter((unit) => !unit.path.includes('/clusters/')).map((unit) => JSON.stringify(unit));
    expect(folders(withArgo.units)).toEqual(folders(withFlux.units));
  });

  it('delivers each unit with an Application in the wave after what it depends on', () => {
    expect(apps.every((o) => o.kind === 'Application' && o.metadata.namespace === 'argocd')).toBe(true);
    expect(apps.map((o) => `${o.metadata.name}:${wave(o.metadata.name)}`)).toEqual([
      'addon-external-secrets:0',
      'addon-zfs-localpv:0',
      'infrastructure-storage:1',
      'infrastructure-traefik:2',
      'infrastructure-edge:3',
      'keycloak:4',
      'redis:4',
      'keycloak-dr:5',
      'redis-dr:5',
    ]);
    const keycloak = apps.find((o) => o.metadata.name === 'keycloak') as ApiObjectJson & { spec: { source: unknown }; metadata: { finalizers?: string[] } };
    expect(keycloak.spec.source).toEqual({ repoURL: 'https://git.example.org/platform/estate.git', targetRevision: 'main', path: 'dist/tiny/lab/apps/keycloak/prod' });
    expect(keycloak.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('validates and passes every policy', () => {
    expect(validateObjects(withArgo.units.flatMap((unit) => unit.objects.map((object) => ({ file: unit.path, object }))))).toEqual([]);
    expect(checkPolicies(withArgo.units, argo)).toEqual([]);
  });

  it('refuses an Application whose folder no unit renders, naming its path', () => {
    const units = withArgo.units.map((unit) =>
      unit.path !== 'tiny/clusters/lab'
        ? unit
        : { ...unit, objects: unit.objects.map((o) => (o.metadata.name === 'keycloak' ? { ...o, spec: { ...(o['spec'] as object), source: { repoURL: 'https://git.example.org/platform/estate.git', targetRevision: 'main', path: 'dist/tiny/lab/apps/keycloak/staging' } } } : o)) },
    );
    expect(checkPolicies(units, argo).map((p) => `${p.name}: ${p.path}: ${p.message}`)).toEqual([
      'keycloak: spec.source.path: points at dist/tiny/lab/apps/keycloak/staging, which is no rendered unit folder',
    ]);
  });

  it('gives the root Application to apply in the runbook instead of flux bootstrap', () => {
    const runbook = renderRunbook(argo, withArgo);
    expect(runbook).toContain('name: root-lab');
    expect(runbook).toContain('path: dist/tiny/clusters/lab');
    expect(runbook).not.toContain('flux bootstrap');
  });
});
