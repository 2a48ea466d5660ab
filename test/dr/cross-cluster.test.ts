/**
 * `dr plan` across clusters: activating an app whose twin runs in another region changes both
 * clusters' units, and only what activation documents: the twin's identity, and prod's DNS
 * record moving from the prod cluster to the twin's.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from '../../charts/catalog';
import { composeUnits } from '../../charts/estate';
import { formatDiff } from '../../lib/dr/diff';
import { planState } from '../../lib/dr/plan';
import { withEdges } from '../support/regions';

const FIXTURE = fileURLToPath(new URL('../fixtures/regions.yaml', import.meta.url));

describe('dr plan for a twin in another region', () => {
  it("lists the twin's identity on west and prod's record leaving east for west, nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinops-regions-'));
    const file = join(dir, 'regions.yaml');
    writeFileSync(file, withEdges(readFileSync(FIXTURE, 'utf8')));
    const plan = planState({ file, target: { state: 'active', app: 'wordpress' }, compose: composeUnits, catalog: APP_CATALOG, distDir: join(dir, 'dist') });
    expect(formatDiff(plan.diff).filter((line) => !line.includes('RUNBOOK.md'))).toEqual([
      '- regions/east/apps/wordpress/prod Service wordpress/wordpress-name',
      '~ regions/west/apps/wordpress/dr ConfigMap wordpress/wordpress-identity-dr',
      '    data.WP_HOME: "https://blog-dr.example.org" → "https://blog.example.org"',
      '    data.WP_SITEURL: "https://blog-dr.example.org" → "https://blog.example.org"',
      '+ regions/west/apps/wordpress/dr Service wordpress/wordpress-name',
    ]);
    // The file is read, never written, by a plan.
    expect(readFileSync(file, 'utf8')).toBe(withEdges(readFileSync(FIXTURE, 'utf8')));
  });
});
