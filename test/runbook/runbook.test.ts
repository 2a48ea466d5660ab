import { describe, expect, it } from 'vitest';
import { composeEnvironment, composeUnits } from '../../charts/estate';
import { withEnvironmentState } from '../../lib/config/state';
import { renderRunbook, runbookPath } from '../../lib/runbook';
import { textOf } from '../../lib/render/content';
import { renderFiles } from '../../lib/synth';
import { loadHome } from '../support/render';
import { homeRunbook, runbookOf, section, tiny } from './support';

describe('renderRunbook', () => {
  it('is deterministic: two renders give the same bytes, with nothing time-dependent', () => {
    const first = homeRunbook();
    expect(homeRunbook()).toBe(first);
    expect(first).not.toMatch(/\b(19|20)\d\d-[01]\d-[0-3]\d\b|\b\d\d:\d\d:\d\d\b/);
    expect(first.endsWith('\n')).toBe(true);
  });

  it('says what it is, that it is generated, and how to regenerate it', () => {
    const intro = homeRunbook().split('\n## ')[0] ?? '';
    expect(intro).toContain('# Runbook: home');
    expect(intro).toContain('do not edit it');
    expect(intro).toContain('`npm run synth`');
  });

  it('tables the DR state of every app with a twin', () => {
    expect(section(homeRunbook(), '### Cluster `home`')).toBe(
      [
        '### Cluster `home`',
        '',
        'Twins run on `remote`.',
        '',
        "| App | State | Identity | Prod host | DR host | Twin answers as | Twin replicas (of prod's) |",
        '| --- | --- | --- | --- | --- | --- | --- |',
        '| wordpress | **standby** | own | blog.example.org | blog-dr.example.org | blog-dr.example.org | `wordpress-db-dr` 1 of 1, `wordpress-dr` 1 of 1 |',
        '| redis | **standby** | own | — | — | — | `redis-dr` 1 of 1 |',
        '| keycloak | **standby** | production | keycloak.example.org | keycloak-dr.example.org | keycloak.example.org | `keycloak-db-dr` 1 of 1, `keycloak-dr` 1 of 1 |',
        '| nextcloud | **standby** | own | cloud.example.org | cloud-dr.example.org | cloud-dr.example.org | `nextcloud-db-dr` 1 of 1, `nextcloud-dr` 1 of 1 |',
      ].join('\n'),
    );
  });

  it('follows the state: syncing holds twins at zero, active answers as production', () => {
    const env = withEnvironmentState(loadHome(), 'active');
    const markdown = renderRunbook(env, composeEnvironment(env));
    expect(markdown).toContain('| wordpress | **active** | own | blog.example.org | blog-dr.example.org | blog.example.org | `wordpress-db-dr` 1 of 1, `wordpress-dr` 1 of 1 |');
    expect(markdown).toContain('**wordpress is active: its twin holds the production data now.**');
    const syncing = tiny({ dr: { state: 'syncing' } });
    expect(runbookOf(syncing)).toContain('| keycloak | **syncing** | own | id.example.org | id-dr.example.org | id-dr.example.org | `keycloak-db-dr` 0 of 1, `keycloak-dr` 0 of 1 |');
  });

  it('lists every PVC pair of the render, with namespace, size and classes', () => {
    const rendered = composeEnvironment(loadHome());
    const markdown = renderRunbook(loadHome(), rendered);
    const claims = rendered.units.flatMap((unit) => unit.objects).filter((object) => object.kind === 'PersistentVolumeClaim');
    const prod = claims.filter((claim) => claim.metadata.labels?.['twinops.dev/variant'] === 'prod');
    expect(prod.length).toBe(5);
    for (const claim of prod) {
      const twin = claims.find((candidate) => candidate.metadata.name === `${claim.metadata.name}-dr`);
      expect(twin, claim.metadata.name).toBeDefined();
      expect(markdown).toContain(`| \`${claim.metadata.name}\` | \`${twin?.metadata.name}\` | ${claim.metadata.namespace} |`);
    }
    expect(markdown).toContain(
      '| `wordpress-db` | `wordpress-db-dr` | wordpress | 10Gi | zfs-storage-znvm (zfs.csi.openebs.io, on hassio) | zfs-storage-znvm-dr (zfs.csi.openebs.io, on remote) | zfs clone |',
    );
  });

  it('gives an app without volumes one line: nothing to resynchronise', () => {
    expect(section(homeRunbook(), '#### redis')).toBe(
      '#### redis\n\nNo volumes: nothing to resynchronise. `redis-dr` is an independent copy (a cache, say).',
    );
  });

  it('holds the twin at zero in Git before a copy, and puts it back after', () => {
    const markdown = homeRunbook();
    expect(markdown).toContain('   npm run dr -- sync home --app wordpress\n   git add environments/home.yaml dist/home\n');
    expect(markdown).toContain('   kubectl get deployment -n wordpress wordpress-db-dr wordpress-dr   # READY 0/0\n');
    expect(markdown).toContain('   npm run dr -- standby home --app wordpress\n');
  });

  it('is laid out as dist/<env>/RUNBOOK.md by renderFiles', () => {
    const env = loadHome();
    expect(runbookPath(env)).toBe('home/RUNBOOK.md');
    const { files } = renderFiles([env], composeUnits, '/nonexistent-dist');
    expect(textOf(files.get('home/RUNBOOK.md') ?? '')).toBe(homeRunbook());
  });
});
