import { describe, expect, it } from 'vitest';
import type { AppPlacement } from '../../lib/config/environment';
import { defaultDrHost, drHost } from '../../lib/config/hosts';

describe('defaultDrHost', () => {
  it('puts the DR suffix on the first label', () => {
    expect(defaultDrHost('blog.example.org', '-dr')).toBe('blog-dr.example.org');
    expect(defaultDrHost('cloud.home.example.org', '-standby')).toBe('cloud-standby.home.example.org');
  });
});

describe('drHost', () => {
  const app = (dr: AppPlacement['dr'], host?: string): AppPlacement => ({
    app: 'wordpress',
    namespace: 'wordpress',
    replicas: 1,
    dr,
    ...(host === undefined ? {} : { host }),
  });

  it('prefers the explicit DR host, else derives it, else has none', () => {
    expect(drHost(app({ enabled: true, identity: 'own', host: 'standby.example.org' }, 'blog.example.org'), '-dr')).toBe('standby.example.org');
    expect(drHost(app({ enabled: true, identity: 'own' }, 'blog.example.org'), '-dr')).toBe('blog-dr.example.org');
    expect(drHost(app({ enabled: true, identity: 'own' }), '-dr')).toBeUndefined();
  });
});
