/** Renders environments the way synth does, for tests of charts and policies. */
import { APP_CATALOG } from '../../charts/catalog';
import { composeEnvironment } from '../../charts/estate';
import type { Environment } from '../../lib/config/environment';
import { loadEnvironment } from '../../lib/config/load';
import type { ApiObjectJson, RenderedEnvironment, RenderedUnit } from '../../lib/model';

/** The 002 example, frozen for tests (environments/home.yaml is the user's to change). */
export const HOME_FILE = new URL('../fixtures/seed-002/home.yaml', import.meta.url).pathname;

export function loadHome(): Environment {
  return loadEnvironment(HOME_FILE, { knownApps: APP_CATALOG });
}

export function renderHome(): RenderedEnvironment {
  return composeEnvironment(loadHome());
}

export function unit(rendered: RenderedEnvironment, path: string): RenderedUnit {
  const found = rendered.units.find((candidate) => candidate.path === path);
  if (!found) throw new Error(`no unit ${path}; have ${rendered.units.map((u) => u.path).join(', ')}`);
  return found;
}

export function object(rendered: RenderedEnvironment, kind: string, name: string): ApiObjectJson {
  const found = rendered.units.flatMap((u) => u.objects).filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`${found.length} objects ${kind}/${name}`);
  return found[0]!;
}

type Pod = { nodeSelector?: unknown; tolerations?: unknown; volumes?: { persistentVolumeClaim?: { claimName: string } }[] };
export function podSpec(deployment: ApiObjectJson): Pod {
  return (deployment as unknown as { spec: { template: { spec: Pod } } }).spec.template.spec;
}
