/**
 * What an environment may say but twinops does not render yet (issue 9), refused before anything
 * is built, with what to do instead: never rendered half-right.
 * - The Argo CD engine with Cluster API clusters: the provider units are Flux objects, and remote
 *   delivery through Argo CD cluster Secrets is not rendered.
 */
import type { Environment } from './config/environment';
import { UserError } from './errors';

export function refuseNotYetRendered(env: Environment): void {
  const problems: string[] = [];
  env.clusters.forEach((cluster, c) => {
    if (env.gitops.engine === 'argocd' && cluster.capi !== undefined) {
      problems.push(`clusters[${c}].capi: the Argo CD engine does not deliver Cluster API clusters yet (their providers are Flux units); use gitops.engine: flux`);
    }
  });
  if (problems.length > 0) throw new UserError([`${env.file}: not rendered yet:`, ...problems.map((problem) => `  - ${problem}`)].join('\n'));
}
