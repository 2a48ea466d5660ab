import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/errors';
import { runbookOf, section, shBlockAfter, tiny, TINY_SPEC } from './support';

/** The tiny lab with other pool names for its ZFS class, and a description. */
function withPools(prodPool: string, drPool: string, description?: string) {
  const spec = structuredClone(TINY_SPEC);
  const [cluster] = spec.clusters;
  const [storageClass] = cluster?.storageClasses ?? [];
  if (!cluster || !storageClass) throw new Error('no storage class');
  storageClass.parameters = { poolname: prodPool };
  storageClass.dr = { parameters: { poolname: drPool } };
  return tiny({ clusters: spec.clusters, ...(description === undefined ? {} : { description }) });
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('a runbook of hostile but schema-valid values', () => {
  const markdown = runbookOf(withPools('x$(touch pwned)', "vault/it's", '# Heading\n<script>alert(1)</script> [x](javascript:alert(1))'));

  it('quotes a pool name for the workstation and for the node, in every ZFS command', () => {
    expect(shBlockAfter(markdown, 'Copy `keycloak-db` to `keycloak-db-dr`')).toBe(
      [
        `PROD_PV=$(kubectl get pvc -n keycloak keycloak-db -o jsonpath='{.spec.volumeName}')`,
        `DR_PV=$(kubectl get pvc -n keycloak keycloak-db-dr -o jsonpath='{.spec.volumeName}')`,
        `# 1. Clear the previous resync ("could not find" errors are fine).`,
        `ssh spare zfs destroy -r ''\\''vault/it'\\''\\'\\'''\\''s'\\'''/"\${DR_PV:?}"`,
        `ssh main zfs destroy ''\\''x$(touch pwned)'\\'''/"\${PROD_PV:?}"@twinops-resync`,
        `# 2. Snapshot on main and send it whole into the twin's dataset on spare`,
        `#    (through this machine).`,
        `ssh main zfs snapshot ''\\''x$(touch pwned)'\\'''/"\${PROD_PV:?}"@twinops-resync`,
        `ssh main zfs send ''\\''x$(touch pwned)'\\'''/"\${PROD_PV:?}"@twinops-resync | ssh spare zfs recv -F ''\\''vault/it'\\''\\'\\'''\\''s'\\'''/"\${DR_PV:?}"`,
        `# 3. The CSI driver mounts the dataset itself: unmount it and give it a legacy mountpoint.`,
        `ssh spare zfs umount ''\\''vault/it'\\''\\'\\'''\\''s'\\'''/"\${DR_PV:?}"`,
        `ssh spare zfs set mountpoint=legacy ''\\''vault/it'\\''\\'\\'''\\''s'\\'''/"\${DR_PV:?}"`,
      ].join('\n'),
    );
  });

  it('keeps the pool names out of the variable failback passes to the node', () => {
    const block = shBlockAfter(markdown, 'Copy `keycloak-db-dr` back to `keycloak-db`');
    expect(block).toContain('[ "$FROM" = "-" ] && FROM=@twinops-resync\n');
    expect(block).toContain(`ssh main zfs rollback -r ''\\''x$(touch pwned)'\\'''/"\${PROD_PV:?}"@"\${FROM#*@}"\n`);
  });

  it('shows the pool in Markdown as inline code, and the description as plain text', () => {
    expect(markdown).toContain('a ZFS send from `x$(touch pwned)` on `main`.');
    expect(markdown.split('\n')[2]).toBe(
      '\\# Heading \\<script\\>alert\\(1\\)\\</script\\> \\[x\\]\\(javascript:alert\\(1\\)\\) This runbook holds what Git cannot do for the environment `tiny`: ' +
        'the current DR state, copying data between each app and its twin, the DNS changes external-dns does not make, failing over and back, ' +
        "and what to do when a node fails, written for this environment's actual names. twinops generates it from `environments/tiny.yaml` " +
        'and the rendered objects on every render: do not edit it; change the environment (or the charts) and regenerate it with `npm run synth`.',
    );
  });

  it('single-quotes commit messages: JSON quotes are double quotes, where $(…) runs', () => {
    expect(section(markdown, '#### Activate keycloak')).toContain("   git commit -m 'dr: activate keycloak'\n");
  });

  it('quotes node labels and taints of any text in the recovery commands', () => {
    const spec = structuredClone(TINY_SPEC);
    const spare = spec.clusters[0]?.nodes?.[1];
    if (!spare) throw new Error('no DR node');
    spare.labels = { 'kubernetes.io/hostname': 'spare', role: 'dr $(id)' };
    spare.taints = [{ key: 'dedicated', value: "it's", effect: 'NoSchedule' }];
    const block = shBlockAfter(runbookOf(tiny({ clusters: spec.clusters })), 'Repair or replace `spare`');
    expect(block).toBe(
      [
        'kubectl label node spare kubernetes.io/hostname=spare --overwrite',
        "kubectl label node spare 'role=dr $(id)' --overwrite",
        "kubectl taint node spare 'dedicated=it'\\''s:NoSchedule' --overwrite",
      ].join('\n'),
    );
  });
});

describe('a value no quoting makes safe', () => {
  it('fails the render with the environment file and the field that holds it', () => {
    const error = configError(() => runbookOf(withPools('tank/k8s\nrm -rf ~', 'spare/k8s')));
    expect(error.problems).toEqual([
      {
        file: 'environments/tiny.yaml',
        line: 0,
        column: 0,
        path: 'clusters[0].storageClasses[0].parameters.poolname',
        expected: 'a value without line breaks or control characters (the runbook pastes it into shell commands)',
        given: '"tank/k8s\\nrm -rf ~"',
        message:
          'expected a value without line breaks or control characters (the runbook pastes it into shell commands); given "tank/k8s\\nrm -rf ~"',
      },
    ]);
    expect(error.message).toBe(
      'environments/tiny.yaml clusters[0].storageClasses[0].parameters.poolname: expected a value without line breaks or control characters (the runbook pastes it into shell commands); given "tank/k8s\\nrm -rf ~"',
    );
  });
});
