/** An app chart with a variant attached, to render one construct the way the estate does. */
import { App, Chart } from 'cdk8s';
import type { ApiObjectJson } from '../../lib/model';
import { variantsOf, type VariantKind } from '../../lib/variant/rules';
import { attachAppScope } from '../../lib/variant/scope';
import { lab, onlyCluster, placed } from './environments';

export function appChart(kind: VariantKind, app = 'wordpress', env = lab()): Chart {
  const variant = variantsOf(env, onlyCluster(env), placed(env, app)).find((candidate) => candidate.kind === kind);
  if (!variant) throw new Error(`${app} has no ${kind} variant`);
  const chart = new Chart(new App(), `${app}-${kind}`, { disableResourceNameHashes: true });
  attachAppScope(chart, {
    variant,
    serviceHost: (dependency, service) => `${variant.name(service)}.${dependency}`,
    ...(env.secrets ? { secretStore: env.secrets } : {}),
  });
  return chart;
}

export const objects = (chart: Chart) => chart.toJson() as ApiObjectJson[];
