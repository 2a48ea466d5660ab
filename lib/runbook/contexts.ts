/**
 * Which kubectl context a runbook command runs against. An environment whose twins run on other
 * clusters than their prod has procedures that span two clusters, so every `kubectl` and `flux`
 * command of its runbook names its cluster with `--context <cluster>`: the runbook's convention
 * (said once, in the introduction) is a kubectl context named after each cluster. Any other
 * environment's commands stay as they were: they run against the one cluster at hand.
 */
import type { Environment } from '../config/environment';
import { hostedTwins } from '../variant/rules';
import { recordedMemo, type MemoStore } from '../cache/reads';
import { code } from './markdown';
import { shellArg } from './shell';

/** `namesContexts` per environment: every command line of the runbook asks, and the answer scans the whole estate. */
const namesContextsOf: MemoStore<Environment, boolean> = new WeakMap();

/** Whether some twin of the environment runs on another cluster than its prod. */
export function namesContexts(env: Environment): boolean {
  return recordedMemo(namesContextsOf, env, () => env.clusters.some((cluster) => hostedTwins(env, cluster).length > 0));
}

/** The context of `cluster` for the environment's commands: its name, or none where commands name no context. */
export function contextOf(env: Environment, cluster: string): string | undefined {
  return namesContexts(env) ? cluster : undefined;
}

/**
 * Where a `kubectl` or `flux` command starts in a runbook line: the line's start, a command
 * substitution, a pipe, `&&`, `||` or a loop's `do`. Comment lines are left alone.
 */
const COMMAND_START = /(^|\$\(|\|\s+|&&\s+|;\s*do\s+)(kubectl|flux|argocd)(?= )(?! --(?:kube-)?context )/g;

/**
 * `kubectl get …` → `kubectl --context west get …`: the lines, run against `context` (as they are
 * without one). The argocd CLI, logged in with `--core`, talks to the cluster through kubectl's
 * configuration: its flag is `--kube-context`.
 */
export function inContext(lines: readonly string[], context: string | undefined): string[] {
  if (context === undefined) return [...lines];
  const flagOf = (tool: string) => `${tool === 'argocd' ? '--kube-context' : '--context'} ${shellArg(context)}`;
  return lines.map((line) => (line.startsWith('#') ? line : line.replace(COMMAND_START, (_match, start: string, tool: string) => `${start}${tool} ${flagOf(tool)}`)));
}

/** The introduction's sentence on contexts, for an environment whose commands name them. */
export function contextsNote(env: Environment): string | undefined {
  if (!namesContexts(env)) return undefined;
  const names = env.clusters.map((cluster) => code(cluster.name)).join(', ');
  return (
    `Twins here run on other clusters than their prod, so every \`kubectl\`, \`flux\` and \`argocd\` command names its cluster ` +
    `(\`--context\`; \`--kube-context\` for argocd, logged in with \`argocd login --core\`): ` +
    `it expects a kubectl context named after each cluster (${names}); ${code('kubectl config rename-context OLD NEW')} renames one.`
  );
}
