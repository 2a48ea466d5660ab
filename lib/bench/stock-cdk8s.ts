/**
 * Stock cdk8s for comparison: the rendered units rebuilt as a plain cdk8s App, one Chart per
 * unit holding an `ApiObject` of the same shape for each object, and `App.synth()` writing one
 * file per chart, as a cdk8s user would. No twin, policies, validation or runbook: what stock
 * cdk8s does with the same objects.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import type { RenderedUnit } from '../model';

export interface StockResult {
  readonly ms: number;
  readonly charts: number;
  readonly files: number;
}

export function stockCdk8s(units: readonly RenderedUnit[], dir: string): StockResult {
  const outdir = mkdtempSync(join(dir, 'twinops-bench-cdk8s-'));
  try {
    const start = performance.now();
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    for (const unit of units) {
      const chart = new Chart(app, unit.path.replaceAll('/', '.'), { disableResourceNameHashes: true });
      unit.objects.forEach((object, i) => new ApiObject(chart, `o${i}`, { ...object }));
    }
    app.synth();
    const ms = performance.now() - start;
    return { ms, charts: units.length, files: readdirSync(outdir).length };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
