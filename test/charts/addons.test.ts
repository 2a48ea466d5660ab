/**
 * The platform add-ons a cluster's objects need are rendered as units before its
 * infrastructure, unless the environment says they are installed; external-dns only where its
 * provider is given (else it is a prerequisite).
 */
import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import type { ApiObjectJson } from '../../lib/model';
import { checkPolicies } from '../../lib/render/policies';
import { validateObjects } from '../../lib/render/validate';
import { tiny } from '../runbook/support';

const entryOf = (env: Environment) => composeEnvironment(env).units.find((unit) => unit.path === 'tiny/clusters/lab')?.objects ?? [];
const names = (objects: readonly ApiObjectJson[]) => objects.map((object) => object.metadata.name);
const dependsOn = (objects: readonly ApiObjectJson[], name: string) =>
  ((objects.find((object) => object.metadata.name === name)?.spec as { dependsOn?: { name: string }[] }).dependsOn ?? []).map((d) => d.name);

describe('platform add-ons', () => {
  it('renders the operator for the secret store and the ZFS CSI driver, before the infrastructure', () => {
    const entry = entryOf(tiny());
    expect(names(entry).slice(0, 3)).toEqual(['addon-external-secrets', 'addon-zfs-localpv', 'infrastructure-storage']);
    expect(dependsOn(entry, 'infrastructure-storage')).toEqual(['addon-external-secrets', 'addon-zfs-localpv']);
  });

  it('leaves out what the environment declares installed, and external-dns without a provider', () => {
    const env = tiny();
    const installed: Environment = { ...env, addons: { externalSecrets: 'installed', zfsLocalPv: 'installed' } };
    const entry = entryOf(installed);
    expect(names(entry).filter((name) => name.startsWith('addon-'))).toEqual([]);
    expect(dependsOn(entry, 'infrastructure-storage')).toEqual([]);
  });

  it('renders external-dns after the operator when its provider is given, with credentials from the store', () => {
    const env = tiny();
    const withDns: Environment = { ...env, addons: { externalDns: { provider: 'cloudflare', credentials: { remoteKey: 'dns/cloudflare', env: { CF_API_TOKEN: 'token' } } } } };
    const rendered = composeEnvironment(withDns);
    const entry = rendered.units.find((unit) => unit.path === 'tiny/clusters/lab')?.objects ?? [];
    expect(dependsOn(entry, 'addon-external-dns')).toEqual(['addon-external-secrets']);
    const unit = rendered.units.find((candidate) => candidate.path === 'tiny/lab/addons/external-dns');
    expect(unit?.objects.map((object) => object.kind).sort()).toEqual(['ExternalSecret', 'HelmRelease', 'HelmRepository', 'Namespace']);
    expect(unit?.objects.some((object) => object.kind === 'Secret')).toBe(false);
    expect(validateObjects(rendered.units.flatMap((u) => u.objects.map((object) => ({ file: u.path, object }))))).toEqual([]);
    expect(checkPolicies(rendered.units, withDns)).toEqual([]);
  });
});
