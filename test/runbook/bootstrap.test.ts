import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../lib/config/environment';
import { runbookOf, section, shBlockAfter, tiny, TINY_SPEC } from './support';

const bootstrapOf = (env: Environment) => section(runbookOf(env), '## Bootstrap');
const clusterOf = (env: Environment, cluster: string) => section(bootstrapOf(env), `### Cluster \`${cluster}\``);
const LAB = TINY_SPEC.clusters[0];
if (LAB === undefined) throw new Error('TINY_SPEC has no cluster');

/** Every `sh` block of a Markdown text, without fences and indentation. */
function shBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/\n( *)```sh\n([\s\S]*?)\n\1```/g)].map(([, indent = '', body = '']) =>
    body
      .split('\n')
      .map((line) => line.slice(indent.length))
      .join('\n'),
  );
}

/** Runs `script` in `shell` with `flux` replaced by a stub printing its arguments one per line. */
function runWithStubFlux(shell: string, script: string, env: Record<string, string>) {
  try {
    const stdout = execFileSync(shell, ['-c', `flux() { printf '%s\\n' "$@"; }\n${script}`], { env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('runbook: Bootstrap', () => {
  it('is listed in the contents', () => {
    expect(runbookOf(tiny())).toContain('[Diagram](#diagram) · [Bootstrap](#bootstrap)');
  });

  it('writes the prerequisites: kubectl context, the nodes to expect, flux check, the ClusterSecretStore', () => {
    const cluster = clusterOf(tiny(), 'lab');
    expect(cluster).toContain('`kubectl get nodes` must list `main` and `spare`');
    expect(shBlockAfter(cluster, '**Prerequisites.**')).toBe(
      [
        'kubectl config use-context "${KUBE_CONTEXT:?set KUBE_CONTEXT to the kubectl context of the cluster}"',
        'kubectl get nodes',
        'flux check --pre',
      ].join('\n'),
    );
    expect(cluster).toContain('read the ClusterSecretStore `vault` (`secrets` in `environments/tiny.yaml`)');
    expect(shBlockAfter(cluster, 'read the ClusterSecretStore')).toBe('kubectl get clustersecretstore vault');
  });

  it('checks a namespaced SecretStore in every namespace holding an ExternalSecret, and none without secrets', () => {
    const namespaced = clusterOf(tiny({ secrets: { name: 'vault', kind: 'SecretStore' } }), 'lab');
    expect(shBlockAfter(namespaced, 'read the SecretStore')).toBe('kubectl get secretstore vault -n keycloak');
    const without = clusterOf(tiny({ secrets: undefined, clusters: [{ ...LAB, apps: [{ app: 'redis', dr: true }] }] }), 'lab');
    expect(without).not.toMatch(/SecretStore|secretstore/);
  });

  it('gives the exact flux bootstrap git command at the entry folder', () => {
    expect(shBlockAfter(clusterOf(tiny(), 'lab'), '**Bootstrap**')).toBe(
      [
        'flux bootstrap git \\',
        '  --url="${GIT_URL:?set GIT_URL to the URL of this repository, e.g. ssh://git@example.org/estate.git}" \\',
        '  --branch="${GIT_BRANCH:?set GIT_BRANCH to the branch Flux follows, e.g. main}" \\',
        '  --path=dist/tiny/clusters/lab',
      ].join('\n'),
    );
  });

  it('follows gitops: the path prefix, a namespace other than flux-system, a source bootstrap does not create', () => {
    const env = tiny({ gitops: { pathPrefix: './deploy/dist', namespace: 'gitops', sourceName: 'estate' } });
    const cluster = clusterOf(env, 'lab');
    expect(shBlockAfter(cluster, '**Bootstrap**').split('\n').slice(3)).toEqual(['  --namespace=gitops \\', '  --path=deploy/dist/tiny/clusters/lab']);
    expect(cluster).toContain('names its GitRepository after its namespace, `gitops`, but the units read `estate`');
    expect(shBlockAfter(cluster, '**Check**')).toBe(
      ['flux reconcile kustomization gitops -n gitops --with-source', 'flux get kustomizations -n gitops'].join('\n'),
    );
    expect(shBlockAfter(clusterOf(tiny({ gitops: { pathPrefix: '.' } }), 'lab'), '**Bootstrap**')).toContain('  --path=tiny/clusters/lab');
    expect(clusterOf(tiny(), 'lab')).not.toContain('names its GitRepository');
  });

  it('renders again so the entry lists flux-system, then commits and pushes the entry', () => {
    const cluster = clusterOf(tiny(), 'lab');
    expect(shBlockAfter(cluster, '**Render again**')).toBe(
      ['git pull --ff-only', 'npm run synth', "grep -Fx -- '- flux-system' dist/tiny/clusters/lab/kustomization.yaml"].join('\n'),
    );
    expect(shBlockAfter(cluster, '**Commit and push**')).toBe(
      ['git add dist/tiny/clusters/lab', "git commit -m 'tiny/clusters/lab: list flux-system'", 'git push'].join('\n'),
    );
  });

  it('checks that Flux itself and every unit of the plan are ready', () => {
    const cluster = clusterOf(tiny(), 'lab');
    expect(cluster).toContain(
      '**Check**: every Kustomization below must show `True` under READY: `flux-system`, `addon-external-secrets`, `addon-zfs-localpv`, ' +
        '`infrastructure-storage`, `infrastructure-traefik`, `infrastructure-edge`, `keycloak`, `redis`, `keycloak-dr` and `redis-dr`.',
    );
    expect(shBlockAfter(cluster, '**Check**')).toBe(
      ['flux reconcile kustomization flux-system -n flux-system --with-source', 'flux get kustomizations -n flux-system'].join('\n'),
    );
  });

  it('writes one sequence per cluster, each at its own entry folder', () => {
    const env = tiny({ clusters: [LAB, { ...LAB, name: 'annex', edge: undefined, apps: [{ app: 'redis' }] }] });
    expect(shBlockAfter(clusterOf(env, 'annex'), '**Bootstrap**')).toContain('  --path=dist/tiny/clusters/annex');
    expect(clusterOf(env, 'annex')).toContain('READY: `flux-system`, `addon-external-secrets`, `addon-zfs-localpv`, `infrastructure-storage` and `redis`.');
    expect(shBlockAfter(clusterOf(env, 'lab'), '**Bootstrap**')).toContain('  --path=dist/tiny/clusters/lab');
  });

  it('leaves no placeholder in any command, and every block is valid sh and bash', () => {
    const blocks = shBlocks(bootstrapOf(tiny({ secrets: { name: 'vault', kind: 'SecretStore' } })));
    expect(blocks.length).toBe(6);
    for (const block of blocks) {
      expect(block).not.toMatch(/<[^>\n]*>/);
      for (const shell of ['sh', 'bash']) expect(() => execFileSync(shell, ['-n', '-c', block]), `${shell}: ${block}`).not.toThrow();
    }
  });

  it('stops the bootstrap with a message while GIT_URL is unset, and passes the values given', () => {
    const command = shBlockAfter(clusterOf(tiny(), 'lab'), '**Bootstrap**');
    for (const shell of ['sh', 'bash']) {
      const unset = runWithStubFlux(shell, command, { GIT_BRANCH: 'main' });
      expect(unset.code, shell).not.toBe(0);
      expect(unset.stdout).toBe('');
      expect(unset.stderr).toContain('GIT_URL: set GIT_URL to the URL of this repository, e.g. ssh://git@example.org/estate.git');
      const set = runWithStubFlux(shell, command, { GIT_URL: 'ssh://git@example.org/estate.git', GIT_BRANCH: 'main' });
      expect(set).toEqual({
        code: 0,
        stdout: ['bootstrap', 'git', '--url=ssh://git@example.org/estate.git', '--branch=main', '--path=dist/tiny/clusters/lab', ''].join('\n'),
        stderr: '',
      });
    }
  });
});
