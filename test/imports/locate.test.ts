import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matchLocalFile, resolveLocalSources, UnresolvedSourcesError } from '../../lib/imports/locate';
import { obtainSources } from '../../lib/imports/obtain';

const K8S_128 = 'https://raw.githubusercontent.com/cdk8s-team/cdk8s/71f8cba7/kubernetes-schemas/v1.28.0/_definitions.json';
const ROUTES = 'https://raw.githubusercontent.com/traefik/traefik-helm-chart/v41.3.0/traefik/crds/traefik.io_ingressroutes.yaml';
const POOLS = 'https://raw.githubusercontent.com/metallb/metallb/v0.16.1/config/crd/bases/metallb.io_ipaddresspools.yaml';

describe('matchLocalFile', () => {
  const files = [
    'k8s/v1.28.0/_definitions.json',
    'k8s/v1.36.0/_definitions.json',
    'traefik/traefik.io_ingressroutes.yaml',
    'traefik/traefik.io_middlewares.yaml',
    'a/same.yaml',
    'b/same.yaml',
  ];

  it('picks the file with the longest common path suffix', () => {
    expect(matchLocalFile(K8S_128, files)).toBe('k8s/v1.28.0/_definitions.json');
    expect(matchLocalFile(ROUTES, files)).toBe('traefik/traefik.io_ingressroutes.yaml');
  });

  it('needs at least the file name to match', () => {
    expect(matchLocalFile(POOLS, files)).toEqual({ ambiguous: [] });
  });

  it('reports a tie between the best files as ambiguous', () => {
    expect(matchLocalFile('https://example.com/x/same.yaml', files)).toEqual({ ambiguous: ['a/same.yaml', 'b/same.yaml'] });
    expect(matchLocalFile('https://example.com/b/same.yaml', files)).toBe('b/same.yaml');
  });
});

describe('resolveLocalSources / obtainSources from a folder', () => {
  const folder = mkdtempSync(join(tmpdir(), 'twinops-crds-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  for (const [file, text] of [
    ['k8s/v1.28.0/_definitions.json', '{"definitions":{}}'],
    ['k8s/v1.36.0/_definitions.json', '{}'],
    ['traefik/traefik.io_ingressroutes.yaml', 'kind: CustomResourceDefinition\n'],
    ['helm-values/traefik-41.3.0.values.schema.json', '{"type":"object"}'],
  ] as const) {
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    writeFileSync(join(folder, file), text);
  }

  it('maps every URL to its local file', async () => {
    const resolved = await resolveLocalSources([K8S_128, ROUTES], folder);
    expect([...resolved]).toEqual([
      [K8S_128, join(folder, 'k8s', 'v1.28.0', '_definitions.json')],
      [ROUTES, join(folder, 'traefik', 'traefik.io_ingressroutes.yaml')],
    ]);
  });

  it('lists every URL without a local file in one error', async () => {
    const other = 'https://example.com/crds/example.com_widgets.yaml';
    const error = await resolveLocalSources([POOLS, K8S_128, other], folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnresolvedSourcesError);
    expect((error as UnresolvedSourcesError).misses).toEqual([POOLS, other]);
    expect((error as Error).message).toBe(`no file in ${folder} matches these 2 sources: ${POOLS}, ${other}`);
  });

  it('looks a source up by its local name where one is given, and names it when missing', async () => {
    const values = 'https://raw.githubusercontent.com/traefik/traefik-helm-chart/v41.3.0/traefik/values.schema.json';
    const other = 'https://example.org/pool/v1.0.0/values.schema.json';
    const resolved = await resolveLocalSources([values], folder, new Map([[values, 'helm-values/traefik-41.3.0.values.schema.json']]));
    expect([...resolved]).toEqual([[values, join(folder, 'helm-values', 'traefik-41.3.0.values.schema.json')]]);
    const error = await resolveLocalSources([other], folder, new Map([[other, 'helm-values/pool-1.0.0.values.schema.json']])).catch((e: unknown) => e);
    expect((error as UnresolvedSourcesError).misses).toEqual([`${other} (as helm-values/pool-1.0.0.values.schema.json)`]);
  });

  it('reads the texts in URL order and reports each source', async () => {
    const seen: string[] = [];
    const sources = await obtainSources([ROUTES, K8S_128], {
      localFolder: folder,
      onSource: (s, i, total) => seen.push(`${i + 1}/${total} ${s.origin}`),
    });
    expect(sources.map(s => s.text)).toEqual(['kind: CustomResourceDefinition\n', '{"definitions":{}}']);
    expect(seen).toEqual(['1/2 traefik/traefik.io_ingressroutes.yaml', '2/2 k8s/v1.28.0/_definitions.json']);
  });
});
