/**
 * The twin rule table: per API group and kind, the field paths that hold what the DR rules
 * change (in the spirit of kustomize's nameReference and commonLabels field specs). It is data:
 * adding a kind is adding a row. A kind that is not here needs a declaration from its app,
 * or it is an error; nothing is copied silently.
 */
import type { NameReference } from './types';

/** A reference the table knows; the kind may stand in a sibling field (`scaleTargetRef.kind`). */
export interface TableReference extends NameReference {
  /** Sibling key holding the referenced kind; when present it overrides `kind`. Default: none. */
  readonly kindField?: string;
  /** Sibling key holding the referenced namespace. Default: the referring object's namespace. */
  readonly namespaceField?: string;
}

/** What the twin changes in objects of one kind, by path pattern (see `paths.ts`). */
export interface KindRule {
  /** API groups the row covers (`''` is the core group). */
  readonly groups: readonly string[];
  readonly kind: string;
  /** The pod spec of a workload kind: placement, and the pod references of `POD_REFERENCES`. Default: none. */
  readonly podSpec?: string;
  /** Label maps of pods the object creates (pod template labels). Default: none. */
  readonly podLabels?: readonly string[];
  /** Label maps that select pods. Default: none. */
  readonly selectors?: readonly string[];
  /** `matchExpressions` lists of those selectors. Default: none. */
  readonly selectorExpressions?: readonly string[];
  /** Replica count, set for the DR state (absent means 1). Default: not scalable. */
  readonly replicas?: string;
  /** Suspended while the twin is `syncing`, so no run writes to volumes being copied. Default: none. */
  readonly suspendWhileSyncing?: string;
  /** Storage class names, mapped to their DR class. Default: none. */
  readonly storageClasses?: readonly string[];
  /** Names of other objects, which follow their renames. Default: none. */
  readonly references?: readonly TableReference[];
  /** Fields naming the object itself elsewhere (a Helm release name), always suffixed. Default: none. */
  readonly ownNames?: readonly string[];
  /** Lists of rules with one `host` each: each prod rule becomes one rule per twin route host. Default: none. */
  readonly hostRules?: readonly string[];
  /** Lists of hosts a route answers. Default: none. */
  readonly hostLists?: readonly string[];
  /** Traefik rules (``Host(`…`)``). Default: none. */
  readonly traefikMatches?: readonly string[];
  /** String values that may name the app's hosts (identity) or Services (in-cluster hosts). Default: none. */
  readonly values?: readonly string[];
  /** Ingress class of a route, mapped to the twin's class. Default: none. */
  readonly ingressClasses?: readonly string[];
  /** Kind of the object it produces under its own name (an ExternalSecret's Secret). Default: none. */
  readonly provides?: string;
  /** Content only the app's declaration can interpret (HelmRelease values): present and undeclared is an error. Default: none. */
  readonly opaque?: readonly string[];
  /**
   * Namespaces the object acts in besides its own (a Flux `targetNamespace`): the app has objects
   * there, and each moves with the twin (see `namespaces.ts`). Default: none.
   */
  readonly namespaces?: readonly string[];
  /**
   * Objects of the kind often live in their controller's namespace (`traefik`, `flux-system`)
   * rather than the app's, so their own namespace does not make a namespace the app's: their
   * twin moves only when the app's other objects live there too. Default: false.
   */
  readonly besideController?: boolean;
}

/** References every pod spec may hold, relative to the pod spec. */
export const POD_REFERENCES: readonly NameReference[] = [
  { path: 'volumes[].persistentVolumeClaim.claimName', kind: 'PersistentVolumeClaim' },
  { path: 'volumes[].configMap.name', kind: 'ConfigMap' },
  { path: 'volumes[].secret.secretName', kind: 'Secret' },
  { path: 'volumes[].projected.sources[].configMap.name', kind: 'ConfigMap' },
  { path: 'volumes[].projected.sources[].secret.name', kind: 'Secret' },
  { path: 'serviceAccountName', kind: 'ServiceAccount' },
  { path: 'imagePullSecrets[].name', kind: 'Secret' },
  ...['containers', 'initContainers', 'ephemeralContainers'].flatMap((list) => [
    { path: `${list}[].env[].valueFrom.configMapKeyRef.name`, kind: 'ConfigMap' },
    { path: `${list}[].env[].valueFrom.secretKeyRef.name`, kind: 'Secret' },
    { path: `${list}[].envFrom[].configMapRef.name`, kind: 'ConfigMap' },
    { path: `${list}[].envFrom[].secretRef.name`, kind: 'Secret' },
  ]),
];

/** Container env values, relative to the pod spec: in-cluster and identity hosts follow. */
export const POD_VALUES: readonly string[] = ['containers[].env[].value', 'initContainers[].env[].value'];

const matchSelector = { selectors: ['spec.selector.matchLabels'], selectorExpressions: ['spec.selector.matchExpressions'] };
const template = { podSpec: 'spec.template.spec', podLabels: ['spec.template.metadata.labels'] };

export const TWIN_RULES: readonly KindRule[] = [
  // Workloads: placement, selectors and pod references; scalable ones follow the DR state.
  { groups: [''], kind: 'Pod', podSpec: 'spec' },
  { groups: ['apps'], kind: 'Deployment', ...template, ...matchSelector, replicas: 'spec.replicas' },
  { groups: ['apps'], kind: 'ReplicaSet', ...template, ...matchSelector, replicas: 'spec.replicas' },
  {
    groups: ['apps'],
    kind: 'StatefulSet',
    ...template,
    ...matchSelector,
    replicas: 'spec.replicas',
    storageClasses: ['spec.volumeClaimTemplates[].spec.storageClassName'],
    references: [{ path: 'spec.serviceName', kind: 'Service' }],
  },
  { groups: ['apps'], kind: 'DaemonSet', ...template, ...matchSelector },
  { groups: ['batch'], kind: 'Job', ...template, ...matchSelector },
  {
    groups: ['batch'],
    kind: 'CronJob',
    podSpec: 'spec.jobTemplate.spec.template.spec',
    podLabels: ['spec.jobTemplate.spec.template.metadata.labels'],
    suspendWhileSyncing: 'spec.suspend',
  },
  // Storage, configuration and identity.
  { groups: [''], kind: 'PersistentVolumeClaim', storageClasses: ['spec.storageClassName'] },
  { groups: [''], kind: 'ConfigMap', values: ['data.*'] },
  { groups: [''], kind: 'ServiceAccount' },
  { groups: ['rbac.authorization.k8s.io'], kind: 'Role' },
  {
    groups: ['rbac.authorization.k8s.io'],
    kind: 'RoleBinding',
    references: [
      { path: 'roleRef.name', kind: 'Role', kindField: 'kind' },
      { path: 'subjects[].name', kind: 'ServiceAccount', kindField: 'kind', namespaceField: 'namespace' },
    ],
  },
  {
    groups: ['external-secrets.io'],
    kind: 'ExternalSecret',
    provides: 'Secret',
    references: [{ path: 'spec.target.name', kind: 'Secret' }],
  },
  // Traffic: selectors, backends and hosts.
  { groups: [''], kind: 'Service', selectors: ['spec.selector'] },
  {
    groups: ['networking.k8s.io'],
    kind: 'Ingress',
    references: [
      { path: 'spec.defaultBackend.service.name', kind: 'Service' },
      { path: 'spec.rules[].http.paths[].backend.service.name', kind: 'Service' },
      { path: 'spec.tls[].secretName', kind: 'Secret' },
    ],
    hostRules: ['spec.rules'],
    hostLists: ['spec.tls[].hosts'],
    ingressClasses: ['spec.ingressClassName', 'metadata.annotations["kubernetes.io/ingress.class"]'],
  },
  {
    groups: ['traefik.io', 'traefik.containo.us'],
    kind: 'IngressRoute',
    references: [
      { path: 'spec.routes[].services[].name', kind: 'Service', kindField: 'kind', namespaceField: 'namespace' },
      { path: 'spec.routes[].middlewares[].name', kind: 'Middleware', namespaceField: 'namespace' },
      { path: 'spec.tls.secretName', kind: 'Secret' },
    ],
    traefikMatches: ['spec.routes[].match'],
    ingressClasses: ['metadata.annotations["kubernetes.io/ingress.class"]'],
    besideController: true,
  },
  { groups: ['traefik.io', 'traefik.containo.us'], kind: 'Middleware', besideController: true },
  {
    groups: ['gateway.networking.k8s.io'],
    kind: 'HTTPRoute',
    references: [{ path: 'spec.rules[].backendRefs[].name', kind: 'Service', kindField: 'kind', namespaceField: 'namespace' }],
    hostLists: ['spec.hostnames'],
    besideController: true,
  },
  // Scaling and disruption budgets follow their workloads.
  {
    groups: ['autoscaling'],
    kind: 'HorizontalPodAutoscaler',
    references: [{ path: 'spec.scaleTargetRef.name', kind: 'Deployment', kindField: 'kind' }],
  },
  { groups: ['policy'], kind: 'PodDisruptionBudget', ...matchSelector },
  { groups: ['networking.k8s.io'], kind: 'NetworkPolicy', selectors: ['spec.podSelector.matchLabels'] },
  // Flux: dependencies and sources follow; a HelmRelease's values only as its app declares.
  {
    groups: ['kustomize.toolkit.fluxcd.io'],
    kind: 'Kustomization',
    references: [
      { path: 'spec.dependsOn[].name', kind: 'Kustomization', namespaceField: 'namespace' },
      { path: 'spec.sourceRef.name', kind: 'GitRepository', kindField: 'kind', namespaceField: 'namespace' },
    ],
    namespaces: ['spec.targetNamespace'],
    besideController: true,
  },
  {
    groups: ['helm.toolkit.fluxcd.io'],
    kind: 'HelmRelease',
    references: [
      { path: 'spec.dependsOn[].name', kind: 'HelmRelease', namespaceField: 'namespace' },
      { path: 'spec.valuesFrom[].name', kind: 'ConfigMap', kindField: 'kind' },
      { path: 'spec.chart.spec.sourceRef.name', kind: 'HelmRepository', kindField: 'kind', namespaceField: 'namespace' },
    ],
    // Two releases of one name in one namespace would be one release: the twin's gets its own.
    ownNames: ['spec.releaseName'],
    opaque: ['spec.values'],
    namespaces: ['spec.targetNamespace', 'spec.storageNamespace'],
    besideController: true,
  },
];

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The table row for an object's apiVersion and kind, if any. */
export function ruleFor(apiVersion: string, kind: string, table: readonly KindRule[] = TWIN_RULES): KindRule | undefined {
  const group = groupOf(apiVersion);
  return table.find((rule) => rule.kind === kind && rule.groups.includes(group));
}
