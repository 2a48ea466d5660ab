/**
 * References resolve inside their cluster: a pod's claims, config maps and secrets exist in its
 * namespace; a twinops Service selects pods of its own variant only; a route's services and
 * middlewares and a release's chart repository exist; a Flux Kustomization's dependencies and
 * path exist, and so does the folder of each Argo CD Application of an entry.
 */
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { LABEL } from '../../variant/rules';
import { byCluster, problemAt, type PolicyProblem } from './problem';
import { selectorMatches } from './workloads';
import { isRecord } from '../../json';

type Json = Record<string, unknown>;
const isObject: (value: unknown) => value is Json = isRecord;
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((current, key) => (isObject(current) ? current[key] : undefined), value);

interface Located {
  readonly unit: RenderedUnit;
  readonly object: ApiObjectJson;
}

/** Names of objects of one kind in one namespace of a cluster. */
class Index {
  private readonly names = new Set<string>();
  add(namespace: string | undefined, name: string) {
    this.names.add(`${namespace ?? ''}/${name}`);
  }
  has(namespace: string | undefined, name: string) {
    return this.names.has(`${namespace ?? ''}/${name}`);
  }
}

function podTemplates(objects: readonly Located[]) {
  return objects
    .filter(({ object }) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind))
    .map((located) => ({
      ...located,
      labels: (at(located.object, 'spec', 'template', 'metadata', 'labels') ?? {}) as Record<string, string>,
      pod: at(located.object, 'spec', 'template', 'spec'),
    }));
}

function checkPods(objects: readonly Located[], claims: Index, configMaps: Index, secrets: Index): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const { unit, object, pod } of podTemplates(objects)) {
    const namespace = object.metadata.namespace;
    const missing = (path: string, what: string, name: unknown) =>
      problems.push(problemAt(unit, object, path, `refers to ${what} "${String(name)}", which no unit of this cluster renders in namespace ${namespace ?? '(none)'}`));
    list(at(pod, 'volumes')).forEach((volume, v) => {
      const claim = at(volume, 'persistentVolumeClaim', 'claimName');
      if (typeof claim === 'string' && !claims.has(namespace, claim)) missing(`spec.template.spec.volumes[${v}].persistentVolumeClaim.claimName`, 'PersistentVolumeClaim', claim);
      const configMap = at(volume, 'configMap', 'name');
      if (typeof configMap === 'string' && !configMaps.has(namespace, configMap)) missing(`spec.template.spec.volumes[${v}].configMap.name`, 'ConfigMap', configMap);
      const secret = at(volume, 'secret', 'secretName');
      if (typeof secret === 'string' && !secrets.has(namespace, secret)) missing(`spec.template.spec.volumes[${v}].secret.secretName`, 'Secret', secret);
    });
    list(at(pod, 'containers')).forEach((container, c) => {
      const base = `spec.template.spec.containers[${c}]`;
      list(container.envFrom).forEach((source, s) => {
        const configMap = at(source, 'configMapRef', 'name');
        if (typeof configMap === 'string' && !configMaps.has(namespace, configMap)) missing(`${base}.envFrom[${s}].configMapRef.name`, 'ConfigMap', configMap);
        const secret = at(source, 'secretRef', 'name');
        if (typeof secret === 'string' && !secrets.has(namespace, secret)) missing(`${base}.envFrom[${s}].secretRef.name`, 'Secret', secret);
      });
      list(container.env).forEach((variable, e) => {
        const secret = at(variable, 'valueFrom', 'secretKeyRef', 'name');
        if (typeof secret === 'string' && !secrets.has(namespace, secret)) missing(`${base}.env[${e}].valueFrom.secretKeyRef.name`, 'Secret', secret);
        const configMap = at(variable, 'valueFrom', 'configMapKeyRef', 'name');
        if (typeof configMap === 'string' && !configMaps.has(namespace, configMap)) missing(`${base}.env[${e}].valueFrom.configMapKeyRef.name`, 'ConfigMap', configMap);
      });
    });
  }
  return problems;
}

const matches = selectorMatches;

/** Services that select twinops pods (by instance label) select some, and only of their variant. */
function checkServices(objects: readonly Located[]): PolicyProblem[] {
  const pods = podTemplates(objects);
  const problems: PolicyProblem[] = [];
  for (const { unit, object } of objects) {
    if (object.kind !== 'Service' || object.apiVersion !== 'v1') continue;
    const selector = at(object, 'spec', 'selector') as Record<string, string> | undefined;
    if (!selector || selector[LABEL.instance] === undefined) continue;
    const selected = pods.filter((pod) => pod.object.metadata.namespace === object.metadata.namespace && matches(selector, pod.labels));
    if (selected.length === 0) {
      problems.push(problemAt(unit, object, 'spec.selector', `selects no pod: no workload in namespace ${object.metadata.namespace ?? '(none)'} carries ${JSON.stringify(selector)}`));
    }
    const variant = object.metadata.labels?.[LABEL.variant];
    for (const pod of selected) {
      if (variant !== undefined && pod.labels[LABEL.variant] !== variant) {
        problems.push(problemAt(unit, object, 'spec.selector', `a ${variant} Service selects ${pod.object.kind}/${pod.object.metadata.name} of variant ${pod.labels[LABEL.variant] ?? '(none)'}`));
      }
    }
  }
  return problems;
}

function checkFlux(objects: readonly Located[], unitPaths: ReadonlySet<string>): PolicyProblem[] {
  const kustomizations = objects.filter(({ object }) => object.kind === 'Kustomization' && object.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'));
  const names = new Set(kustomizations.map(({ object }) => `${object.metadata.namespace ?? ''}/${object.metadata.name}`));
  const sources = new Set(objects.filter(({ object }) => object.apiVersion.startsWith('source.toolkit.fluxcd.io/')).map(({ object }) => `${object.kind}/${object.metadata.name}`));
  const problems: PolicyProblem[] = [];
  const edges = new Map<string, string[]>();
  for (const { unit, object } of kustomizations) {
    const namespace = object.metadata.namespace ?? '';
    const dependsOn = list(at(object, 'spec', 'dependsOn'));
    edges.set(object.metadata.name, dependsOn.map((dependency) => String(dependency.name)));
    dependsOn.forEach((dependency, d) => {
      const dependencyNamespace = typeof dependency.namespace === 'string' ? dependency.namespace : namespace;
      if (!names.has(`${dependencyNamespace}/${String(dependency.name)}`)) {
        problems.push(problemAt(unit, object, `spec.dependsOn[${d}].name`, `depends on Kustomization "${String(dependency.name)}", which this cluster does not have`));
      }
    });
    const path = String(at(object, 'spec', 'path') ?? '');
    // The path is `<where dist/ sits>/<unit path>`: try each tail after a `/`. A Kustomization of
    // a source the render itself declares (a provider's release repository) reads that repository.
    const tails = [...path.matchAll(/\//g)].map((slash) => path.slice(slash.index + 1));
    const source = at(object, 'spec', 'sourceRef') as { kind?: unknown; name?: unknown } | undefined;
    const ownSource = sources.has(`${String(source?.kind)}/${String(source?.name)}`);
    if (!ownSource && !tails.some((tail) => unitPaths.has(tail))) {
      problems.push(problemAt(unit, object, 'spec.path', `points at ${path}, which is no rendered unit folder`));
    }
  }
  for (const cycle of cycles(edges)) {
    const first = kustomizations.find(({ object }) => object.metadata.name === cycle[0]);
    if (first) problems.push(problemAt(first.unit, first.object, 'spec.dependsOn', `dependency cycle: ${cycle.join(' → ')}`));
  }
  return problems;
}

/** An entry's Argo CD Applications each sync a rendered unit folder (`<pathPrefix>/<unit path>`). */
function checkArgo(objects: readonly Located[], unitPaths: ReadonlySet<string>): PolicyProblem[] {
  const ENTRY = /^[^/]+\/clusters\/[^/]+$/;
  return objects
    .filter(({ unit, object }) => ENTRY.test(unit.path) && object.kind === 'Application' && object.apiVersion.startsWith('argoproj.io/'))
    .flatMap(({ unit, object }) => {
      const path = String(at(object, 'spec', 'source', 'path') ?? '');
      const tails = [path, ...[...path.matchAll(/\//g)].map((slash) => path.slice(slash.index + 1))];
      return tails.some((tail) => unitPaths.has(tail)) ? [] : [problemAt(unit, object, 'spec.source.path', `points at ${path === '' ? '(no path)' : path}, which is no rendered unit folder`)];
    });
}

/**
 * Dependency cycles, found as back edges of a depth-first walk (each node is explored once, so
 * the walk stays linear); each cycle is reported once, rotated to start at its smallest name.
 */
export function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const found = new Map<string, string[]>();
  const done = new Set<string>();
  const trail: string[] = [];
  const visit = (node: string) => {
    const index = trail.indexOf(node);
    if (index >= 0) {
      const loop = trail.slice(index);
      const start = loop.indexOf([...loop].sort()[0]!);
      const rotated = [...loop.slice(start), ...loop.slice(0, start)];
      found.set(rotated.join('>'), [...rotated, rotated[0]!]);
      return;
    }
    if (done.has(node)) return;
    trail.push(node);
    for (const next of edges.get(node) ?? []) visit(next);
    trail.pop();
    done.add(node);
  };
  for (const node of [...edges.keys()].sort()) visit(node);
  return [...found.values()];
}

/** A route's services and middlewares, and a release's chart source, exist in the cluster. */
function checkEdge(objects: readonly Located[]): PolicyProblem[] {
  const index = (kind: string) => {
    const names = new Index();
    for (const { object } of objects) if (object.kind === kind) names.add(object.metadata.namespace, object.metadata.name);
    return names;
  };
  const services = index('Service');
  const middlewares = index('Middleware');
  const repositories = index('HelmRepository');
  const problems: PolicyProblem[] = [];
  for (const { unit, object } of objects) {
    const namespace = object.metadata.namespace;
    if (object.kind === 'IngressRoute') {
      list(at(object, 'spec', 'routes')).forEach((route, r) => {
        list(route.services).forEach((service, s) => {
          const serviceNamespace = typeof service.namespace === 'string' ? service.namespace : namespace;
          if (!services.has(serviceNamespace, String(service.name))) {
            problems.push(problemAt(unit, object, `spec.routes[${r}].services[${s}].name`, `routes to Service "${String(service.name)}", which no unit of this cluster renders in namespace ${serviceNamespace ?? '(none)'}`));
          }
        });
        list(route.middlewares).forEach((middleware, m) => {
          const middlewareNamespace = typeof middleware.namespace === 'string' ? middleware.namespace : namespace;
          if (!middlewares.has(middlewareNamespace, String(middleware.name))) {
            problems.push(problemAt(unit, object, `spec.routes[${r}].middlewares[${m}].name`, `uses Middleware "${String(middleware.name)}", which no unit of this cluster renders in namespace ${middlewareNamespace ?? '(none)'}`));
          }
        });
      });
    }
    if (object.kind === 'HelmRelease') {
      const source = at(object, 'spec', 'chart', 'spec', 'sourceRef') as Json | undefined;
      const sourceNamespace = typeof source?.namespace === 'string' ? source.namespace : namespace;
      if (source?.kind === 'HelmRepository' && !repositories.has(sourceNamespace, String(source.name))) {
        problems.push(problemAt(unit, object, 'spec.chart.spec.sourceRef.name', `installs from HelmRepository "${String(source.name)}", which no unit of this cluster renders in namespace ${sourceNamespace ?? '(none)'}`));
      }
    }
  }
  return problems;
}

/** `unitPaths`: the unit folders delivery objects may name; default: those of `units`. */
export function referencesResolve(units: readonly RenderedUnit[], unitPaths: ReadonlySet<string> = new Set(units.map((unit) => unit.path))): PolicyProblem[] {
  return [...byCluster(units).values()].flatMap((clusterUnits) => {
    const objects = clusterUnits.flatMap((unit) => unit.objects.map((object) => ({ unit, object })));
    const claims = new Index();
    const configMaps = new Index();
    const secrets = new Index();
    for (const { object } of objects) {
      const { namespace, name } = object.metadata;
      if (object.kind === 'PersistentVolumeClaim') claims.add(namespace, name);
      if (object.kind === 'ConfigMap') configMaps.add(namespace, name);
      if (object.kind === 'ExternalSecret') secrets.add(namespace, String(at(object, 'spec', 'target', 'name') ?? name));
      if (object.kind === 'SealedSecret') secrets.add(namespace, name);
    }
    return [...checkPods(objects, claims, configMaps, secrets), ...checkServices(objects), ...checkEdge(objects), ...checkFlux(objects, unitPaths), ...checkArgo(objects, unitPaths)];
  });
}
