/**
 * Runbook section: bootstrapping Flux on each cluster at its entry folder, written out as the
 * exact sequence (prerequisites, `flux bootstrap git`, the re-render that lists `flux-system`,
 * commit, check). Paths, namespaces and unit names come from the plan (`lib/plan.ts`) and the
 * environment; what the environment does not know (the repository URL, the branch, the kubectl
 * context) is read from shell variables that stop the command with a message when unset, so no
 * command holds a placeholder.
 */
import { clusterBlock } from './cluster-blocks';
import type { Environment } from '../config/environment';
import { fluxPath } from '../constructs/flux';
import { addonsInputOf, type ClusterPlan } from '../plan';
import { addonPrerequisites } from '../plan-addons';
import { argoClusterBootstrap, kindBootstrap, remoteClusterBootstrap } from './bootstrap-fleet';
import { runbookPlan, type ClusterFacts } from './facts';
import { blocks, code, fenced, listing, steps, text, type Blocks } from './markdown';
import { contextOf } from './contexts';
import { shellArg } from './shell';

/**
 * Shell variables the commands read, with the message the shell prints when one is unset. The
 * messages hold no quote, `$`, backtick, backslash or `}`: bash and dash read them alike.
 */
export const BOOTSTRAP_VARIABLES = {
  context: '${KUBE_CONTEXT:?set KUBE_CONTEXT to the kubectl context of the cluster}',
  url: '${GIT_URL:?set GIT_URL to the URL of this repository, e.g. ssh://git@example.org/estate.git}',
  branch: '${GIT_BRANCH:?set GIT_BRANCH to the branch Flux follows, e.g. main}',
} as const;

/**
 * `kubectl config use-context …` for a cluster: its own name where the environment's commands
 * name contexts (./contexts.ts), else the context the operator gives in `KUBE_CONTEXT`.
 */
export function useContextLine(env: Environment, cluster: string): string {
  const named = contextOf(env, cluster);
  return named === undefined ? `kubectl config use-context "${BOOTSTRAP_VARIABLES.context}"` : `kubectl config use-context ${shellArg(named)}`;
}

/**
 * The entry folder as `flux bootstrap --path` wants it: relative to the repository root, where
 * `gitops.pathPrefix` says `dist/` sits, without the `./` Flux Kustomizations carry.
 */
export function bootstrapPath(env: Environment, plan: ClusterPlan): string {
  return fluxPath(env.gitops.pathPrefix, plan.entryPath).replace(/^\.\//, '');
}

/** `flux bootstrap git …` for one cluster, one flag per line. */
export function bootstrapCommand(env: Environment, plan: ClusterPlan): string[] {
  const namespace = env.gitops.namespace;
  const flags = [
    `--url="${BOOTSTRAP_VARIABLES.url}"`,
    `--branch="${BOOTSTRAP_VARIABLES.branch}"`,
    // flux's own default is flux-system; the flag appears only when the environment differs.
    ...(namespace === 'flux-system' ? [] : [`--namespace=${shellArg(namespace)}`]),
    `--path=${shellArg(bootstrapPath(env, plan))}`,
  ];
  return ['flux bootstrap git \\', ...flags.map((flag, index) => `  ${flag}${index < flags.length - 1 ? ' \\' : ''}`)];
}

/** Where the secret store the ExternalSecrets read must exist, and how to check it. */
function secretStoreBlocks(env: Environment, facts: ClusterFacts): string[] {
  const store = env.secrets;
  if (store === undefined) return [];
  const objects = facts.apps.flatMap((app) => [...app.prod.objects, ...(app.twin?.objects ?? [])]);
  const namespaces = [...new Set(objects.filter((object) => object.kind === 'ExternalSecret').map((object) => object.metadata.namespace ?? ''))]
    .filter((namespace) => namespace !== '')
    .sort();
  const operator =
    env.addons.externalSecrets === 'installed'
      ? 'The operator is installed already (`addons.externalSecrets: installed`); twinops does not render the store, which holds your backend\'s credentials: ' +
        'create it before bootstrapping, or the apps that need credentials never start. Check it:'
      : `twinops installs the External Secrets Operator (unit ${code('addon-external-secrets')}) but not the store, which holds your backend's credentials: ` +
        'create it once the operator runs (after step 2), or the apps that need credentials never start. Check it:';
  const what = `The ExternalSecrets of this environment read the ${store.kind} ${code(store.name)} (${code('secrets')} in ${code(`environments/${env.name}.yaml`)}). ${operator}`;
  if (store.kind === 'ClusterSecretStore') return [what, fenced('sh', [`kubectl get clustersecretstore ${shellArg(store.name)}`])];
  if (namespaces.length === 0) {
    return [`The environment names the SecretStore ${code(store.name)}, but no app on this cluster renders an ExternalSecret: nothing to prepare.`];
  }
  return [
    `${what} (a SecretStore is namespaced: one in each namespace holding an ExternalSecret)`,
    fenced('sh', namespaces.map((namespace) => `kubectl get secretstore ${shellArg(store.name)} -n ${shellArg(namespace)}`)),
  ];
}

/** The add-ons the cluster needs that the environment says are installed already: they must run before bootstrapping. */
function prerequisiteAddons(env: Environment, plan: ClusterPlan): string[] {
  const needs = addonPrerequisites(addonsInputOf(env, plan.cluster));
  if (needs.length === 0) return [];
  return [`Installed already (the environment's ${code('addons')} says so, or gives external-dns no provider), and needed by what twinops renders here: ${listing(needs.map((need) => `${code(need.addon)} (${need.reason})`))}.`];
}

/** The note for an environment whose units read a Git source `flux bootstrap` does not create. */
function sourceNote(env: Environment): string | undefined {
  const { sourceName, namespace } = env.gitops;
  if (sourceName === namespace) return undefined;
  return (
    `Beware: ${code('flux bootstrap')} names its GitRepository after its namespace, ${code(namespace)}, but the units read ` +
    `${code(sourceName)} (${code('gitops.sourceName')}): create that GitRepository too, or set ${code('gitops.sourceName')} ` +
    `to ${code(namespace)}, or every unit waits for a source that does not exist.`
  );
}

function clusterBootstrap(env: Environment, plan: ClusterPlan, facts: ClusterFacts): string {
  const entry = `dist/${plan.entryPath}`;
  const namespace = shellArg(env.gitops.namespace);
  const nodes = listing(plan.cluster.nodes.map((node) => code(node.name)));
  const units = [env.gitops.namespace, ...plan.units.map((unit) => unit.fluxName)];
  return blocks([
    `### Cluster ${code(plan.cluster.name)}`,
    steps([
      [
        `**Prerequisites.** Point kubectl at the cluster and check it: ${code('kubectl get nodes')} must list ` +
          `${plan.cluster.nodes.length > 0 ? nodes : `the machines of ${code(plan.cluster.name)}`}, ` +
          `and ${code('flux check --pre')} (the flux CLI, installed on this machine) must pass.`,
        fenced('sh', [useContextLine(env, plan.cluster.name), 'kubectl get nodes', 'flux check --pre']),
        ...prerequisiteAddons(env, plan),
        ...secretStoreBlocks(env, facts),
      ],
      [
        `**Bootstrap** Flux at the cluster's entry folder. It installs its controllers, commits its own ${code('flux-system/')} ` +
          `folder into ${code(`${entry}/`)} and pushes it; twinops never writes or removes that folder. With an ` +
          `${code('ssh://')} URL, Flux authenticates with your SSH agent (or add ${code('--private-key-file')}).`,
        fenced('sh', bootstrapCommand(env, plan)),
        ...[sourceNote(env)].filter((note): note is string => note !== undefined),
      ],
      [
        `**Render again** so the entry's ${code('kustomization.yaml')} lists ${code('flux-system')} and Flux keeps managing ` +
          'itself from Git: pull the commit Flux pushed, run the render, and check the entry lists it.',
        fenced('sh', [
          'git pull --ff-only',
          'npm run synth',
          `grep -Fx -- '- flux-system' ${shellArg(`${entry}/kustomization.yaml`)}`,
        ]),
      ],
      [
        '**Commit and push** the entry.',
        fenced('sh', [
          `git add ${shellArg(entry)}`,
          `git commit -m ${shellArg(`${plan.entryPath}: list flux-system`)}`,
          'git push',
        ]),
      ],
      [
        `**Check**: every Kustomization below must show ${code('True')} under READY: ${listing(units.map((name) => code(name)))}.`,
        fenced('sh', [
          `flux reconcile kustomization ${namespace} -n ${namespace} --with-source`,
          `flux get kustomizations -n ${namespace}`,
        ]),
      ],
    ]),
  ]);
}

export function bootstrapSection(env: Environment, clusters: readonly ClusterFacts[]): Blocks {
  const envPlan = runbookPlan(env);
  const plans = envPlan.clusters;
  // By name, the first of each: a scan per cluster made the section quadratic in the fleet.
  const factsByName = new Map([...clusters].reverse().map((facts) => [facts.cluster.name, facts]));
  return [
    '## Bootstrap',
    'Flux is bootstrapped once per cluster, at its entry folder, and again the same way after the cluster is rebuilt; ' +
      'twinops renders everything else. Run these from the project folder (where `package.json` is) in a clone of the ' +
      (contextOf(env, plans[0]?.cluster.name ?? '') === undefined
        ? `repository, with push rights. The environment does not record the repository's URL, its branch or your kubectl ` +
          `context: the commands read them from ${code('GIT_URL')} (e.g. ${code('ssh://git@example.org/estate.git')}), ` +
          `${code('GIT_BRANCH')} (e.g. ${code('main')}) and ${code('KUBE_CONTEXT')}: set them first (${code('export GIT_URL=…')}); ` +
          'a command stops with a message while one is unset.'
        : `repository, with push rights. The environment does not record the repository's URL or its branch: the commands read them from ` +
          `${code('GIT_URL')} (e.g. ${code('ssh://git@example.org/estate.git')}) and ${code('GIT_BRANCH')} (e.g. ${code('main')}): set them first ` +
          `(${code('export GIT_URL=…')}); a command stops with a message while one is unset. Each cluster's kubectl context is named after it, as the introduction says.`),
    `After renaming or removing this environment or one of its clusters, ${code('npm run synth')} keeps the old ` +
      `entry's ${code('flux-system/')} folder and warns; follow the README section ${text('"Bootstrap Flux at a cluster\'s entry folder"')} ` +
      'before pushing.',
    ...plans.map((plan) => {
      const facts = factsByName.get(plan.cluster.name);
      if (facts === undefined) throw new Error(`runbook: no facts for cluster ${JSON.stringify(plan.cluster.name)} of environment ${env.name}`);
      return clusterBlock('bootstrap', plan.cluster.name, () => {
        const remote = remoteClusterBootstrap(env, plan);
        if (remote !== undefined) return remote;
        if (env.gitops.engine === 'argocd') return argoClusterBootstrap(env, plan);
        const fromKind = envPlan.bootstrap && plan.cluster.role === 'management' ? kindBootstrap(env, plan, envPlan.bootstrap) : undefined;
        return blocks([fromKind, clusterBootstrap(env, plan, facts)]);
      });
    }),
  ];
}
