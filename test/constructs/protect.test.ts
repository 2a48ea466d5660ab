import { describe, expect, it } from 'vitest';
import { ARGO_PRUNE_PROTECTION, FLUX_PRUNE_PROTECTION, PRUNE_PROTECTION, protectStateful } from '../../lib/constructs/protect';

const claim = (annotations?: Record<string, string>) => ({ kind: 'PersistentVolumeClaim', metadata: { name: 'data', annotations } });

describe('prune protection', () => {
  it('protects from Flux pruning and garbage collection, and from Argo CD pruning and cascading deletion', () => {
    expect(FLUX_PRUNE_PROTECTION).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(ARGO_PRUNE_PROTECTION).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    expect(PRUNE_PROTECTION).toEqual({
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    });
  });
});

describe('protectStateful', () => {
  it('adds both engines’ protection to a claim and a volume, keeping their other annotations', () => {
    expect(protectStateful(claim({ 'example.org/owner': 'ops' })).metadata.annotations).toEqual({
      'example.org/owner': 'ops',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    });
    const volume: { kind: string; metadata: { name: string; annotations?: Record<string, string> } } = { kind: 'PersistentVolume', metadata: { name: 'pv' } };
    expect(protectStateful(volume).metadata.annotations).toEqual(PRUNE_PROTECTION);
  });

  it('keeps a chart’s own Argo CD sync options and replaces its Prune and Delete options', () => {
    const protectedClaim = protectStateful(claim({ 'argocd.argoproj.io/sync-options': 'ServerSideApply=true, Prune=true,Delete=confirm', 'kustomize.toolkit.fluxcd.io/prune': 'enabled' }));
    expect(protectedClaim.metadata.annotations).toEqual({
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
    });
  });

  it('leaves an object that holds no data as it is', () => {
    const deployment = { kind: 'Deployment', metadata: { name: 'web', annotations: { 'example.org/owner': 'ops' } } };
    expect(protectStateful(deployment)).toBe(deployment);
  });
});
