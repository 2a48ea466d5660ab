/** Runbooks of the home lab and of small environments, and a way to cut one section out. */
import { composeEnvironment } from '../../charts/estate';
import { withDefaults, type Environment } from '../../lib/config/environment';
import type { EnvironmentSpec } from '../../lib/config/schema';
import { renderRunbook } from '../../lib/runbook';
import { loadHome } from '../support/render';

export function runbookOf(env: Environment): string {
  return renderRunbook(env, composeEnvironment(env));
}

export function homeRunbook(): string {
  return runbookOf(loadHome());
}

/** The text from the heading line `heading` to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`no heading ${JSON.stringify(heading)}`);
  const level = heading.indexOf(' ');
  let inFence = false;
  let end = lines.length;
  for (let index = start + 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.trimStart().startsWith('```')) inFence = !inFence;
    const match = /^(#+) /.exec(line);
    if (!inFence && match && (match[1]?.length ?? 0) <= level) {
      end = index;
      break;
    }
  }
  return lines.slice(start, end).join('\n').trimEnd();
}

/** The first fenced `sh` block after `marker` in `markdown`, without its fences and indentation. */
export function shBlockAfter(markdown: string, marker: string): string {
  const at = markdown.indexOf(marker);
  if (at === -1) throw new Error(`no ${JSON.stringify(marker)}`);
  const rest = markdown.slice(at);
  const match = /\n( *)```sh\n([\s\S]*?)\n\1```/.exec(rest);
  if (!match) throw new Error(`no sh block after ${JSON.stringify(marker)}`);
  const indent = match[1] ?? '';
  return (match[2] ?? '')
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/** One cluster `lab`: control plane `main`, tainted DR node `spare`, keycloak and redis, an edge. */
export const TINY_SPEC: EnvironmentSpec = {
  secrets: { name: 'vault' },
  clusters: [
    {
      name: 'lab',
      nodes: [
        { name: 'main', controlPlane: true, addresses: ['192.0.2.10'] },
        { name: 'spare', addresses: ['192.0.2.20'], taints: [{ key: 'dedicated', value: 'spare', effect: 'NoSchedule' }] },
      ],
      dr: { node: 'spare' },
      storageClasses: [
        {
          name: 'zfs-storage-znvm',
          provisioner: 'zfs.csi.openebs.io',
          node: 'main',
          parameters: { poolname: 'tank/k8s' },
          dr: { parameters: { poolname: 'spare/k8s' } },
        },
      ],
      edge: {
        acmeEmail: 'hostmaster@example.org',
        publicDns: true,
        prod: { ipv4: { address: '192.0.2.1' } },
        dr: { externalDns: false, ipv4: { address: '192.0.2.2' } },
      },
      apps: [
        { app: 'keycloak', host: 'id.example.org', dr: true },
        { app: 'redis', dr: true },
      ],
    },
  ],
};

export function tiny(spec: Partial<EnvironmentSpec> = {}): Environment {
  return withDefaults('tiny', 'environments/tiny.yaml', { ...TINY_SPEC, ...spec });
}
