/**
 * The bootstrap steps that differ from "flux bootstrap at the entry": a Cluster API workload
 * cluster (never bootstrapped: the management cluster delivers to it), the management cluster
 * that starts from a temporary kind cluster and pivots, and an environment delivered by Argo CD
 * (the root Application per cluster).
 */
import { App, Chart } from 'cdk8s';
import type { Environment } from '../config/environment';
import { argoPath, ArgoRoot } from '../constructs/argocd';
import type { ApiObjectJson } from '../model';
import type { BootstrapEntry, ClusterPlan } from '../plan';
import { toYaml } from '../render/yaml';
import { BOOTSTRAP_VARIABLES, useContextLine } from './bootstrap';
import { contextOf, inContext } from './contexts';
import { blocks, code, fenced, listing, steps } from './markdown';
import { shellArg } from './shell';

/** A workload cluster Cluster API builds: its units arrive through its kubeconfig, from the management cluster. */
export function remoteClusterBootstrap(env: Environment, plan: ClusterPlan): string | undefined {
  const remote = plan.remote;
  if (remote === undefined) return undefined;
  const namespace = shellArg(remote.namespace);
  return blocks([
    `### Cluster ${code(plan.cluster.name)}`,
    `Not bootstrapped: Cluster API builds it from the management cluster ${code(remote.management)} (unit ${code(remote.clusterUnit)}), ` +
      `and ${code(remote.management)}'s Flux applies its units once it is Available, through the Secret ${code(remote.kubeconfigSecret)} ` +
      `in ${code(remote.namespace)} (unit ${code(`delivery-${plan.cluster.name}`)}). On ${code(remote.management)}, every Kustomization below must show ${code('True')} under READY: ` +
      `${listing(plan.units.map((unit) => code(unit.fluxName)))}.`,
    // On the management cluster, named where the environment's commands name contexts.
    fenced(
      'sh',
      inContext([`kubectl get cluster -n ${namespace} ${shellArg(plan.cluster.name)}   # AVAILABLE True`, `flux get kustomizations -n ${namespace}`], contextOf(env, remote.management)),
    ),
  ]);
}

/** The kind cluster that builds the management cluster, and the pivot onto it. */
export function kindBootstrap(env: Environment, management: ClusterPlan, entry: BootstrapEntry): string {
  const name = management.cluster.name;
  const kind = `${name}-bootstrap`;
  const namespace = management.cluster.capi?.namespace ?? name;
  const kubeconfig = `${name}.kubeconfig`;
  const gitops = shellArg(env.gitops.namespace);
  return blocks([
    `### Cluster ${code(name)}, from a temporary kind cluster`,
    `${code(name)} is built by Cluster API running on a temporary kind cluster, then takes its own definition over (${code('clusterctl move')}).`,
    steps([
      ['Create the kind cluster and bootstrap Flux on it at its entry:', fenced('sh', [
        `kind create cluster --name ${shellArg(kind)}`,
        'flux bootstrap git \\',
        `  --url="${BOOTSTRAP_VARIABLES.url}" \\`,
        `  --branch="${BOOTSTRAP_VARIABLES.branch}" \\`,
        `  --path=${shellArg(`dist/${entry.entryPath}`)}`,
      ])],
      [`Wait until ${code(name)} is Available, and fetch its kubeconfig:`, fenced('sh', [
        `kubectl wait cluster -n ${shellArg(namespace)} ${shellArg(name)} --for=condition=Available --timeout=45m`,
        `clusterctl get kubeconfig -n ${shellArg(namespace)} ${shellArg(name)} > ${shellArg(kubeconfig)}`,
        '# On timeout: kubectl describe cluster and clusterctl describe cluster show which machine is stuck.',
      ])],
      [`Bootstrap Flux on ${code(name)} as the section below says (with ${code(`--kubeconfig=${kubeconfig}`)}), and wait until its providers are ready.`],
      [`Move ${code(name)}'s definition onto itself: suspend it on kind first, so kind's Flux does not fight the move.`, fenced('sh', [
        `flux suspend kustomization cluster-${name} -n ${gitops}`,
        `clusterctl move -n ${shellArg(namespace)} --to-kubeconfig=${shellArg(kubeconfig)}`,
      ])],
      [`Record the pivot: set ${code('pivoted: true')} in ${code(`capi`)} of ${code(name)} in ${code(`environments/${env.name}.yaml`)}, render, commit and push. ` +
        `The kind entry disappears from ${code('dist/')} and ${code(`cluster-${name}`)} is no longer suspended on ${code(name)}.`, fenced('sh', [
        'npm run synth',
        `git add ${shellArg(`environments/${env.name}.yaml`)} ${shellArg(`dist/${env.name}`)}`,
        `git commit -m ${shellArg(`${env.name}: ${name} manages itself`)}`,
        'git push',
        `kind delete cluster --name ${shellArg(kind)}`,
      ])],
    ]),
  ]);
}

/** The root Application Argo CD needs once per cluster, as YAML to apply. */
export function argoRootBlock(env: Environment, plan: ClusterPlan): string[] {
  const { repoURL } = env.gitops;
  if (repoURL === undefined) return [];
  const chart = new Chart(new App(), 'root', { disableResourceNameHashes: true });
  new ArgoRoot(chart, 'root', {
    cluster: plan.cluster.name,
    path: argoPath(env.gitops.pathPrefix, plan.entryPath),
    repoURL,
    revision: env.gitops.revision,
    project: env.gitops.project,
    namespace: env.gitops.namespace,
  });
  const [root] = chart.toJson() as ApiObjectJson[];
  if (root === undefined) return [];
  return ["kubectl apply -f - <<'EOF'", ...toYaml(root).trimEnd().split('\n'), 'EOF'];
}

/** The health check Argo CD's documentation gives for `argoproj.io/Application`, as an `argocd-cm` patch. */
const APPLICATION_HEALTH = [
  'data:',
  '  resource.customizations.health.argoproj.io_Application: |',
  '    hs = {}',
  '    hs.status = "Progressing"',
  '    hs.message = ""',
  '    if obj.status ~= nil then',
  '      if obj.status.health ~= nil then',
  '        hs.status = obj.status.health.status',
  '        if obj.status.health.message ~= nil then',
  '          hs.message = obj.status.health.message',
  '        end',
  '      end',
  '    end',
  '    return hs',
];

/** An Argo CD cluster: install Argo CD, then apply the root Application of its entry. */
export function argoClusterBootstrap(env: Environment, plan: ClusterPlan): string {
  const namespace = shellArg(env.gitops.namespace);
  return blocks([
    `### Cluster ${code(plan.cluster.name)}`,
    steps([
      [`Install Argo CD in ${code(env.gitops.namespace)} (its own install manifests or chart), and restore the health check of Applications: ` +
        `since Argo CD 1.8 an Application has no health of its own, so a later sync wave would not wait for the units before it (Argo CD's "Resource Health" documentation).`, fenced('sh', [
        useContextLine(env, plan.cluster.name),
        `kubectl get pods -n ${namespace}`,
        `kubectl patch configmap argocd-cm -n ${namespace} --type merge --patch-file /dev/stdin <<'EOF'`,
        ...APPLICATION_HEALTH,
        'EOF',
      ])],
      [
        `Install Flux's source and helm controllers beside Argo CD, and nothing else of Flux (no bootstrap): the add-ons, Traefik and Helm-chart apps are Flux HelmReleases in both engines, and Argo CD only applies them.`,
        fenced('sh', ['flux install --components=source-controller,helm-controller', 'flux check --components=source-controller,helm-controller']),
      ],
      ['Apply the root Application: it syncs the entry folder, which holds one Application per unit.', fenced('sh', argoRootBlock(env, plan))],
      [
        `Check: every Application must be Synced and Healthy: ${listing(plan.units.map((unit) => code(unit.fluxName)))}. ` +
          `The procedures of this runbook use the ${code('argocd')} CLI: log it in to this Argo CD first (${code('argocd login --core')} uses your kubectl access).`,
        fenced('sh', [`kubectl get applications -n ${namespace}`]),
      ],
    ]),
  ]);
}
