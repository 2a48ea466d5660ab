import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inside } from '../../lib/render/output-paths';

describe('inside', () => {
  it('gives what path.join gives for a resolved folder and a checked relative path', () => {
    const cases: [string, string][] = [
      ['/srv/dist', 'fleet/site-001/apps/keycloak/prod/deployment-keycloak.yaml'],
      ['/srv/dist', 'RUNBOOK.md'],
      ['/srv/.dist.twinops-staging', '17'],
      ['/', 'dist'],
      ['/srv/dist', ''],
    ];
    for (const [folder, relative] of cases) expect(inside(folder, relative)).toBe(join(folder, relative));
  });

  it('writes the exact paths', () => {
    expect(inside('/srv/dist', 'a/b.yaml')).toBe('/srv/dist/a/b.yaml');
    expect(inside('/', 'dist')).toBe('/dist');
    expect(inside('/srv/dist', '')).toBe('/srv/dist');
  });
});
