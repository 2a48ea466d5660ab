import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { isImmutableField, quantity } from '../../lib/diff/classify';
import { formatJson } from '../../lib/diff/format-json';
import { COMMENT_MARKER, formatMarkdown, GITHUB_COMMENT_LIMIT } from '../../lib/diff/format-markdown';
import { formatText } from '../../lib/diff/format-text';
import type { ApiObjectJson } from '../../lib/model';
import { claim, reportOf, treeOf } from './support';

const UNIT = 'home/home/apps/web/prod';
const PASSWORD = 'hunter2-example';

function config(password: string): ApiObjectJson {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'web' }, data: { DB_HOST: 'db.example.org', DB_PASSWORD: password } };
}
function secret(password: string): ApiObjectJson {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web', namespace: 'web' }, data: { password: Buffer.from(password).toString('base64') }, stringData: { token: password } };
}

describe('immutable fields', () => {
  it('reads Kubernetes quantities', () => {
    expect(quantity('10Gi')).toBe(10 * 2 ** 30);
    expect(quantity('500M')).toBe(5e8);
    expect(quantity('1.5Ti')).toBe(1.5 * 2 ** 40);
    expect(quantity('lots')).toBeUndefined();
  });

  it("takes a claim's growth as the one change of its spec the API server makes in place", () => {
    const storage = (before: string, after: string) => ({ path: 'spec.resources.requests.storage', before, after });
    expect(isImmutableField('PersistentVolumeClaim', storage('10Gi', '20Gi'))).toBe(false);
    expect(isImmutableField('PersistentVolumeClaim', storage('20Gi', '10Gi'))).toBe(true);
    expect(isImmutableField('PersistentVolumeClaim', { path: 'spec.storageClassName', before: 'a', after: 'b' })).toBe(true);
    expect(isImmutableField('PersistentVolumeClaim', { path: 'metadata.labels.tier', after: 'db' })).toBe(false);
  });

  it('knows the immutable fields of StorageClasses, workloads, Services and Jobs', () => {
    const changed = (kind: string, path: string) => isImmutableField(kind, { path, before: 1, after: 2 });
    expect(changed('StorageClass', 'parameters.poolname')).toBe(true);
    expect(changed('StorageClass', 'provisioner')).toBe(true);
    expect(changed('StorageClass', 'allowVolumeExpansion')).toBe(false);
    expect(changed('Deployment', 'spec.selector.matchLabels["app.kubernetes.io/name"]')).toBe(true);
    expect(changed('Deployment', 'spec.selectorX')).toBe(false);
    expect(changed('Deployment', 'spec.replicas')).toBe(false);
    expect(changed('StatefulSet', 'spec.volumeClaimTemplates[0].spec.resources.requests.storage')).toBe(true);
    expect(changed('Service', 'spec.clusterIP')).toBe(true);
    expect(changed('Job', 'spec.template.spec.containers[0].image')).toBe(true);
  });

  it('lists a StatefulSet as a stateful change only through its claim templates', () => {
    const set = (image: string, size: string): ApiObjectJson => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'web' },
      spec: { template: { spec: { containers: [{ name: 'db', image }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: size } } } }] },
    });
    const ref = { unit: UNIT, apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'web', name: 'db' };
    expect(reportOf(treeOf([[UNIT, set('db:1', '1Gi')]]), treeOf([[UNIT, set('db:2', '1Gi')]])).risky).toEqual([]);
    expect(reportOf(treeOf([[UNIT, set('db:1', '1Gi')]]), treeOf([[UNIT, set('db:1', '2Gi')]])).risky).toEqual([
      { ref, change: 'changed', stateful: true, immutable: [{ path: 'spec.volumeClaimTemplates[0].spec.resources.requests.storage', before: '1Gi', after: '2Gi' }] },
    ]);
  });

  it('lists a grown claim as a stateful change, not a refused one', () => {
    const report = reportOf(treeOf([[UNIT, claim('data', '10Gi', 'fast')]]), treeOf([[UNIT, claim('data', '20Gi', 'fast')]]));
    expect(report.risky).toEqual([
      { ref: { unit: UNIT, apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'web', name: 'data' }, change: 'changed', stateful: true, immutable: [] },
    ]);
  });
});

describe('masking in every format', () => {
  const before = treeOf([[UNIT, config('old-password')], [UNIT, secret('old-password')]]);
  const after = treeOf([[UNIT, config(PASSWORD)], [UNIT, secret(PASSWORD)]]);
  const report = reportOf(before, after, { unified: true });

  it('shows a changed secret as changed, never its value, in text', () => {
    const text = formatText(report);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('old-password');
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(text).toContain(
      [
        `${UNIT} (home, cluster home): 2 changed`,
        '  ~ ConfigMap web/web',
        '      data.DB_PASSWORD: "***" → "*** (changed)"',
        `      --- a/${UNIT}/configmap-web.yaml`,
        `      +++ b/${UNIT}/configmap-web.yaml`,
        '      @@ -5,4 +5,4 @@',
        '         namespace: web',
        '       data:',
        '         DB_HOST: db.example.org',
        '      -  DB_PASSWORD: "***"',
        '      +  DB_PASSWORD: "*** (changed)"',
        '  ~ Secret web/web',
        '      data.password: "***" → "*** (changed)"',
        '      stringData.token: "***" → "*** (changed)"',
      ].join('\n'),
    );
  });

  it('in json', () => {
    const json = formatJson(report);
    expect(json).not.toContain(PASSWORD);
    expect(JSON.parse(json).units[0].objects[0].fields).toEqual([{ path: 'data.DB_PASSWORD', before: '***', after: '*** (changed)' }]);
  });

  it('in markdown, which renders to HTML with its details blocks intact', async () => {
    const markdown = formatMarkdown(report);
    expect(markdown.split('\n')[0]).toBe(COMMENT_MARKER);
    expect(markdown).not.toContain(PASSWORD);
    const html = await marked.parse(markdown);
    expect(html).not.toContain(PASSWORD);
    expect(html.match(/<details>/g)).toHaveLength(1);
    expect(html.match(/<\/details>/g)).toHaveLength(1);
    expect(html).toContain(`<summary>${UNIT} (home, cluster home): 2 changed</summary>`);
    expect(html).toContain('<pre><code class="language-diff">~ ConfigMap web/web\n    data.DB_PASSWORD: &quot;***&quot; → &quot;*** (changed)&quot;\n');
    expect(html).toContain('<h3>DR transitions</h3>\n<p>None.</p>');
  });
});

describe('summary', () => {
  it('names removed prune protection, moves, and stateful removals', () => {
    const protectedClaim = claim('data', '10Gi', 'fast', { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    const namespace: ApiObjectJson = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } };
    const classOf = (poolname: string): ApiObjectJson => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'zfs.csi.openebs.io', parameters: { poolname } });
    const report = reportOf(
      treeOf([[UNIT, protectedClaim], ['home/home/infrastructure/storage', namespace], ['home/home/infrastructure/storage', classOf('tank')]]),
      treeOf([[UNIT, claim('data', '10Gi', 'fast', { 'argocd.argoproj.io/sync-options': 'Prune=false' })], ['home/edge/infrastructure/storage', namespace]]),
    );
    const text = formatText(report);
    expect(text).toContain(
      [
        'Stateful objects and immutable fields:',
        `  home/home/apps/web/prod PersistentVolumeClaim web/data: stateful, changed`,
        '  ! home/home/infrastructure/storage StorageClass fast: stateful, removed',
        '',
        'Prune protection removed:',
        `  ! ${UNIT} PersistentVolumeClaim web/data: kustomize.toolkit.fluxcd.io/prune: disabled, argocd.argoproj.io/sync-options: Delete=false`,
        '',
        'Moved between units or clusters (a delete and a create):',
        '  ! Namespace web: home/home/infrastructure/storage → home/edge/infrastructure/storage',
      ].join('\n'),
    );
    expect(report.units.map((unit) => [unit.cluster, unit.unit])).toEqual([
      ['edge', 'home/edge/infrastructure/storage'],
      ['home', 'home/home/apps/web/prod'],
      ['home', 'home/home/infrastructure/storage'],
    ]);
  });
});

describe('markdown size', () => {
  /** `units` unit folders, each with one ConfigMap whose data changes in `keys` keys. */
  function bigReport(units: number, keys: number) {
    const map = (value: string): ApiObjectJson => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'web' },
      data: Object.fromEntries(Array.from({ length: keys }, (_, i) => [`SETTING_${i}`, `${value}-${i}`])),
    });
    const unitNames = Array.from({ length: units }, (_, i) => `home/home/apps/app-${String(i).padStart(3, '0')}/prod`);
    return reportOf(treeOf(unitNames.map((unit) => [unit, map('before')])), treeOf(unitNames.map((unit) => [unit, map('after')])));
  }

  it("stays within GitHub's limit, leaving whole units out with a note", () => {
    const markdown = formatMarkdown(bigReport(300, 20));
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const kept = markdown.match(/<details>/g)?.length ?? 0;
    expect(kept).toBe(markdown.match(/<\/details>/g)?.length);
    expect(kept).toBeGreaterThan(0);
    expect(markdown.endsWith(`\n_${300 - kept} unit(s) left out to stay within GitHub's comment limit: run \`npm run twinops -- diff --base origin/main\` locally to see them._\n`)).toBe(true);
  });

  it('keeps every unit and adds no note when all fit', () => {
    const markdown = formatMarkdown(bigReport(3, 2));
    expect(markdown.match(/<details>/g)).toHaveLength(3);
    expect(markdown).not.toContain('left out');
  });

  it('cuts at the first unit that does not fit a given limit', () => {
    const report = bigReport(5, 2);
    const full = formatMarkdown(report);
    const sections = full.split('<details>');
    // Room for the head, two units and the note of three left out.
    const note = "\n_3 unit(s) left out to stay within GitHub's comment limit: run `npm run twinops -- diff --base origin/main` locally to see them._\n";
    const limit = (sections[0] ?? '').length + (sections[1] ?? '').length + (sections[2] ?? '').length + 2 * '<details>'.length + note.length + 1;
    const cut = formatMarkdown(report, limit);
    expect(cut.match(/<details>/g)).toHaveLength(2);
    expect(cut.endsWith(note)).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(limit);
  });
});
