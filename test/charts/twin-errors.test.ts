/**
 * A twin the rules cannot derive stops the render with every problem at once, naming the app,
 * the cluster, the object and what to declare: nothing is copied silently.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeEnvironment } from '../../charts/estate';
import { appCatalogOf } from '../../lib/app/catalog';
import { appRegistry } from '../../lib/app/definition';
import { loadEnvironment } from '../../lib/config/load';
import { UserError } from '../../lib/errors';
import { gitea } from '../fixtures/apps/gitea';
import { podinfo } from '../fixtures/apps/podinfo';
import { postgres } from '../fixtures/apps/postgres';

const LAB = fileURLToPath(new URL('../fixtures/examples/ceph-lab.yaml', import.meta.url));

function render(apps: ReturnType<typeof appRegistry>) {
  const env = loadEnvironment(join(LAB), { knownApps: appCatalogOf(apps) });
  return () => composeEnvironment(env, apps);
}

describe('an app whose twin cannot be derived', () => {
  it('refuses HelmRelease values nobody declared and a repository neither shared nor declared, both at once', () => {
    const undeclared = appRegistry([gitea, postgres, { ...podinfo, twin: {} }]);
    let error: unknown;
    try {
      render(undeclared)();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message.split('\n')).toEqual([
      'app podinfo on cluster lab: its DR twin cannot be derived:',
      '  - HelmRepository/podinfo (source.toolkit.fluxcd.io/v1): no twin rule for kind HelmRepository of group source.toolkit.fluxcd.io; declare the paths of its names, hosts, storage classes and placement in the app\'s twin declarations (an empty declaration if it has none), or declare it shared with prod',
      '  - HelmRelease/podinfo: spec.values is only transformed as declared: declare its value paths holding names, hosts, storage classes and placement (an empty declaration if none)',
    ]);
  });

  it('renders once the app declares them', () => {
    expect(render(appRegistry([gitea, postgres, podinfo]))().units.length).toBeGreaterThan(0);
  });
});
