import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiObjectJson } from '../../lib/model';
import { formatProblem, SchemaValidator, validateObjects, type ValidationProblem } from '../../lib/render/validate';

/** The problems of one object, without the file/kind/name columns. */
function problemsOf(object: unknown): { path: string; message: string }[] {
  return validateObjects([{ file: 'f.yaml', object: object as ApiObjectJson }]).map(({ path, message }) => ({ path, message }));
}

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'wordpress', namespace: 'wordpress', labels: { 'app.kubernetes.io/name': 'wordpress' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { 'app.kubernetes.io/instance': 'wordpress' } },
    strategy: { type: 'Recreate' },
    template: {
      metadata: { labels: { 'app.kubernetes.io/instance': 'wordpress' } },
      spec: {
        nodeSelector: { 'kubernetes.io/hostname': 'remote' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'remote', effect: 'NoSchedule' }],
        containers: [
          {
            name: 'wordpress',
            image: 'wordpress:6.5-apache',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            envFrom: [{ configMapRef: { name: 'wordpress-config' } }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '512Mi' } },
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10 },
            livenessProbe: { tcpSocket: { port: 80 } },
            volumeMounts: [{ name: 'data', mountPath: '/var/www/html' }],
          },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'wordpress-data' } }],
      },
    },
  },
});

const pvc = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'wordpress-data', namespace: 'wordpress', annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
  spec: { storageClassName: 'zfs-storage-znvm', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
};

const storageClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'zfs-storage-znvm-dr' },
  provisioner: 'zfs.csi.openebs.io',
  parameters: { poolname: 'znvm/dr', fstype: 'zfs' },
  reclaimPolicy: 'Retain',
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: true,
};

const configMap = () => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'wordpress-config', namespace: 'wordpress' },
  data: { WORDPRESS_DB_HOST: 'mariadb', WP_HOME: 'https://blog.example.com' },
});

const service = (spec: Record<string, unknown>, name = 'wordpress') => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'wordpress' },
  spec,
});

const kustomization = () => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'apps-wordpress-dr', namespace: 'flux-system' },
  spec: {
    interval: '10m',
    path: './dist/home/home/apps/wordpress/dr',
    prune: true,
    wait: true,
    timeout: '5m',
    dependsOn: [{ name: 'infrastructure-storage' }],
    sourceRef: { kind: 'GitRepository', name: 'flux-system' },
  },
});

const helmRelease = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'traefik-dr', namespace: 'traefik' },
  spec: {
    interval: '1h',
    chart: { spec: { chart: 'traefik', version: '41.3.0', sourceRef: { kind: 'HelmRepository', name: 'traefik', namespace: 'flux-system' } } },
    install: { remediation: { retries: 3 } },
    // checked against the generated Traefik 41.3.0 values schema (validate-helm-values.test.ts)
    values: { ingressClass: { name: 'traefik-dr' }, service: { spec: { loadBalancerIP: '192.168.1.241' } } },
  },
};

const ingressRoute = (port: unknown = 80) => ({
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'IngressRoute',
  metadata: { name: 'wordpress-dr', namespace: 'wordpress', annotations: { 'kubernetes.io/ingress.class': 'traefik-dr' } },
  spec: {
    entryPoints: ['websecure'],
    routes: [
      {
        match: 'Host(`blog-dr.example.com`) || Host(`blog.example.com`)',
        kind: 'Rule',
        middlewares: [{ name: 'redirect-https' }],
        services: [{ name: 'wordpress-dr', port }],
      },
    ],
    tls: { secretName: 'blog-tls' },
  },
});

describe('validateObjects: valid objects pass', () => {
  it.each([
    ['Deployment', deployment()],
    ['PersistentVolumeClaim', pvc],
    ['StorageClass', storageClass],
    ['ConfigMap', configMap()],
    ['Service ClusterIP', service({ type: 'ClusterIP', selector: { 'app.kubernetes.io/instance': 'wordpress' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] })],
    ['Service ExternalName', service({ type: 'ExternalName', externalName: 'wordpress-dr.wordpress.svc.cluster.local' })],
    ['Service LoadBalancer', service({
      type: 'LoadBalancer',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      externalIPs: ['192.168.1.240'],
      loadBalancerIP: '192.168.1.240',
      externalTrafficPolicy: 'Local',
      selector: { 'app.kubernetes.io/name': 'traefik' },
      ports: [{ name: 'websecure', port: 443, targetPort: 8443, protocol: 'TCP' }],
    }, 'traefik')],
    ['Flux Kustomization v1', kustomization()],
    ['Flux HelmRelease v2', helmRelease],
    ['Traefik IngressRoute', ingressRoute()],
  ])('%s', (_, object) => {
    expect(problemsOf(object)).toEqual([]);
  });

  it('accepts an IntOrString as integer and as string, and nothing else', () => {
    expect(problemsOf(ingressRoute(80))).toEqual([]);
    expect(problemsOf(ingressRoute('http'))).toEqual([]);
    expect(problemsOf(ingressRoute(true))).toEqual([
      { path: 'spec.routes[0].services[0].port', message: 'must be integer or string, given true' },
    ]);
    const targetPort = (value: unknown) => service({ ports: [{ port: 80, targetPort: value }] });
    expect(problemsOf(targetPort(8080))).toEqual([]);
    expect(problemsOf(targetPort('http'))).toEqual([]);
    expect(problemsOf(targetPort(1.5))).toEqual([
      { path: 'spec.ports[0].targetPort', message: 'must be integer or string, given 1.5' },
    ]);
  });

  it('accepts a Quantity as string or number', () => {
    const withCpu = (cpu: unknown) => {
      const d = deployment();
      d.spec.template.spec.containers[0]!.resources = { requests: { cpu: cpu as string, memory: '1Gi' }, limits: { cpu: 1, memory: '1Gi' } };
      return d;
    };
    expect(problemsOf(withCpu('500m'))).toEqual([]);
    expect(problemsOf(withCpu(0.5))).toEqual([]);
    expect(problemsOf(withCpu(true))).toEqual([
      { path: 'spec.template.spec.containers[0].resources.requests.cpu', message: 'must be number or string, given true' },
    ]);
  });
});

describe('validateObjects: each class of error is one exact problem', () => {
  it('an unknown field at the top level', () => {
    expect(problemsOf({ ...configMap(), spex: {} })).toEqual([{ path: 'spex', message: 'unknown field "spex"' }]);
  });

  it('an unknown field deep inside a pod template', () => {
    const d = deployment();
    Object.assign(d.spec.template.spec.containers[0]!, { imagePullPolicyy: 'Always' });
    expect(problemsOf(d)).toEqual([
      { path: 'spec.template.spec.containers[0].imagePullPolicyy', message: 'unknown field "imagePullPolicyy"' },
    ]);
  });

  it('an unknown field in the metadata of a custom resource (validated as ObjectMeta)', () => {
    const route = ingressRoute();
    Object.assign(route.metadata, { label: { a: 'b' } });
    expect(problemsOf(route)).toEqual([{ path: 'metadata.label', message: 'unknown field "label"' }]);
  });

  it('an unknown field inside a custom resource spec', () => {
    const k = kustomization();
    Object.assign(k.spec, { prunee: true });
    expect(problemsOf(k)).toEqual([{ path: 'spec.prunee', message: 'unknown field "prunee"' }]);
  });

  it('a wrong type', () => {
    const d = deployment();
    Object.assign(d.spec.template.spec.containers[0]!.ports[0]!, { containerPort: 'abc' });
    expect(problemsOf(d)).toEqual([
      { path: 'spec.template.spec.containers[0].ports[0].containerPort', message: 'must be integer, given "abc"' },
    ]);
  });

  it('a missing required field', () => {
    const d = deployment();
    const { selector: _, ...spec } = d.spec;
    expect(problemsOf({ ...d, spec })).toEqual([{ path: 'spec.selector', message: 'missing required field "selector"' }]);
    const k = kustomization();
    const { prune: __, ...kspec } = k.spec;
    expect(problemsOf({ ...k, spec: kspec })).toEqual([{ path: 'spec.prune', message: 'missing required field "prune"' }]);
  });

  it('a value outside an enum', () => {
    const route = ingressRoute();
    route.spec.routes[0]!.kind = 'Rul';
    expect(problemsOf(route)).toEqual([{ path: 'spec.routes[0].kind', message: 'must be one of "Rule", given "Rul"' }]);
  });

  it('an unknown kind', () => {
    expect(problemsOf({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      { path: 'kind', message: 'unknown kind example.com/v1/Widget (not in Kubernetes 1.28 nor the imported CRDs)' },
    ]);
  });

  it('an unknown apiVersion of a known kind names the known ones', () => {
    expect(problemsOf({ ...deployment(), apiVersion: 'apps/v2' })).toEqual([
      {
        path: 'apiVersion',
        message: 'unknown kind apps/v2/Deployment (not in Kubernetes 1.28 nor the imported CRDs); known: apps/v1/Deployment',
      },
    ]);
  });

  it('reports every problem of every object, with file, kind and name', () => {
    const bad = deployment();
    Object.assign(bad.spec, { replicas: '2', paused: 'no' });
    const problems = validateObjects([
      { file: 'a/configmap-x.yaml', object: { ...configMap(), spex: 1 } as ApiObjectJson },
      { file: 'a/ok.yaml', object: pvc as ApiObjectJson },
      { file: 'a/deployment-wordpress.yaml', object: bad as ApiObjectJson },
    ]);
    expect(problems.map(formatProblem)).toEqual([
      'a/configmap-x.yaml: ConfigMap/wordpress-config: spex: unknown field "spex"',
      'a/deployment-wordpress.yaml: Deployment/wordpress: spec.paused: must be boolean, given "no"',
      'a/deployment-wordpress.yaml: Deployment/wordpress: spec.replicas: must be integer, given "2"',
    ]);
  });

  it('quotes keys that are not identifiers in paths', () => {
    const c = configMap();
    Object.assign(c.metadata, { labels: { 'app.kubernetes.io/name': 7 } });
    expect(problemsOf(c)).toEqual([{ path: 'metadata.labels["app.kubernetes.io/name"]', message: 'must be string, given 7' }]);
  });
});

describe('validateObjects with the objects a render checked', () => {
  it('checks an object once and reports what it found in every file that holds it', () => {
    const bad = deployment();
    Object.assign(bad.spec, { replicas: '2' });
    const shared = Object.freeze(bad) as ApiObjectJson;
    const checked = new WeakMap<object, readonly { path: string; message: string }[]>();
    const problems = validateObjects(
      [
        { file: 'a/deployment-wordpress.yaml', object: shared },
        { file: 'b/deployment-wordpress.yaml', object: shared },
        { file: 'b/ok.yaml', object: pvc as ApiObjectJson },
      ],
      checked,
    );
    expect(problems.map(formatProblem)).toEqual([
      'a/deployment-wordpress.yaml: Deployment/wordpress: spec.replicas: must be integer, given "2"',
      'b/deployment-wordpress.yaml: Deployment/wordpress: spec.replicas: must be integer, given "2"',
    ]);
    expect(checked.get(shared)).toEqual([{ path: 'spec.replicas', message: 'must be integer, given "2"' }]);
    expect(checked.get(pvc)).toEqual([]);
  });

  it('takes what it found from `checked` and does not check the object again', () => {
    const object = configMap() as ApiObjectJson;
    const checked = new WeakMap([[object, [{ path: 'data', message: 'found before' }]]]);
    expect(validateObjects([{ file: 'a/configmap.yaml', object }], checked).map(formatProblem)).toEqual(['a/configmap.yaml: ConfigMap/wordpress-config: data: found before']);
    expect(validateObjects([{ file: 'a/configmap.yaml', object }])).toEqual([]);
  });
});

describe('SchemaValidator on a schemas folder of its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twinops-schemas-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, value: unknown) => writeFileSync(join(dir, file), JSON.stringify(value));
  write('index.json', {
    kinds: { 'v1/ObjectMeta': 'k.json#/definitions/meta', 'example.com/v1/Shape': 'shape.json' },
    kubernetes: { version: '9.99', file: 'k.json', source: 'x' },
    sources: {},
  });
  write('k.json', { $id: 'k.json', definitions: { meta: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false } } });
  write('shape.json', {
    $id: 'shape.json',
    type: 'object',
    properties: {
      metadata: { $ref: 'k.json#/definitions/meta' },
      spec: {
        type: 'object',
        additionalProperties: false,
        properties: { circle: { type: 'object' }, square: { type: 'object' }, size: {} },
        oneOf: [{ required: ['circle'] }, { required: ['square'] }],
      },
      size: {
        anyOf: [
          { type: 'integer', minimum: 1 },
          { type: 'string', pattern: '^[0-9]+(px|em)$' },
        ],
      },
    },
  });
  const validator = new SchemaValidator(pathToFileURL(`${dir}/`));
  const check = (object: Record<string, unknown>): ValidationProblem[] =>
    validator.validate([{ file: 'x.yaml', object: { apiVersion: 'example.com/v1', kind: 'Shape', metadata: { name: 's' }, ...object } }]);

  it('reports the branch of an anyOf that fits the value, not every branch', () => {
    expect(check({ spec: { circle: {} }, size: '12pt' }).map(p => `${p.path}: ${p.message}`)).toEqual([
      'size: must match pattern "^[0-9]+(px|em)$", given "12pt"',
    ]);
    expect(check({ spec: { circle: {} }, size: 0 }).map(p => `${p.path}: ${p.message}`)).toEqual([
      'size: must be >= 1, given 0',
    ]);
  });

  it('reports one type error when the value fits no branch', () => {
    expect(check({ spec: { circle: {} }, size: true }).map(p => `${p.path}: ${p.message}`)).toEqual([
      'size: must be integer or string, given true',
    ]);
  });

  it('reports a oneOf that matches several branches once', () => {
    expect(check({ spec: { circle: {}, square: {} } }).map(p => `${p.path}: ${p.message}`)).toEqual([
      'spec: matches more than one of the allowed shapes (oneOf)',
    ]);
  });

  it('reports a oneOf that matches no branch by the first missing field', () => {
    expect(check({ spec: {} }).map(p => `${p.path}: ${p.message}`)).toEqual(['spec.circle: missing required field "circle"']);
  });

  it('names the Kubernetes version of its index in unknown kinds', () => {
    expect(check({ apiVersion: 'example.com/v2' }).map(p => p.message)).toEqual([
      'unknown kind example.com/v2/Shape (not in Kubernetes 9.99 nor the imported CRDs); known: example.com/v1/Shape',
    ]);
  });
});
