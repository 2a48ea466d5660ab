import { describe, expect, it } from 'vitest';
import { appCatalog } from '../../lib/config/catalog';
import { ConfigError, formatConfigError } from '../../lib/config/errors';
import { parseEnvironment } from '../../lib/config/load';
import { longestFileName } from '../../lib/config/semantic-derived';
import { lab } from './lab';
import { FILE, knownApps, problems } from './support';

const DNS1035 =
  "a DNS-1035 label (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters)";
const NOT_RESERVED = "expected a namespace of the estate's own, not default, kube-* or flux-system";
const OWNS = 'twinops renders and owns every namespace it places objects in';
/** A 253-character DNS-1123 subdomain. */
const LONGEST = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

/** The test catalog plus charts with names only a user's own catalog would have. */
const catalog = appCatalog([
  ...knownApps.values(),
  ...['9lives', 'x'.repeat(45)].map((name) => ({ name, needsHost: true, storageRoles: [], needsSecrets: false, dependsOn: [] })),
]);

function problemsWithCatalog(text: string): string[] {
  try {
    parseEnvironment('test', FILE, text, { knownApps: catalog });
  } catch (err) {
    if (err instanceof ConfigError) return formatConfigError(err).split('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const instance = (name: string) => ['      prod:\n', `      prod:\n        name: ${name}\n`] as const;
const secondApp = (app: string, host: string) =>
  ['        namespace: wordpress\n        dr: true\n', `        namespace: wordpress\n        dr: true\n      - app: ${app}\n        host: ${host}\n        dr: true\n`] as const;

describe('Service names derived from the environment', () => {
  it('refuses a Traefik instance name that does not start with a letter, once for all balancers', () => {
    expect(problems(lab(instance('1edge')))).toEqual([
      `environments/test.yaml:27:15 clusters[0].edge.prod.name: expected a Traefik instance name that starts with a letter, so that its IPv4 load balancer (a Service named "1edge-ipv4-dr") is ${DNS1035}; given "1edge"`,
    ]);
  });

  it('refuses a Traefik instance name too long for its IPv4 balancer with the DR suffix, and says so once', () => {
    const name = 'i'.repeat(56);
    expect(problems(lab(instance(name)))).toEqual([
      `environments/test.yaml:27:15 clusters[0].edge.prod.name: expected a Traefik instance name of at most 55 characters, so that its IPv4 load balancer (a Service named "${name}-ipv4-dr") is ${DNS1035}; given "${name}" (56 characters)`,
    ]);
  });

  it('checks the instance against the shortest app balancer when no IPv4 balancer is rendered', () => {
    const name = 'i'.repeat(51);
    const text = lab(instance(name), ['        ipv4: { pool: prod-v4, cidr: 192.0.2.128/28 }\n', ''], ['        ipv4: { address: 192.0.2.200 }\n', '']);
    expect(problems(text)).toEqual([
      `environments/test.yaml:27:15 clusters[0].edge.prod.name: expected a Traefik instance name of at most 50 characters, so that the shortest load balancer named after it (a Service named "${name}-wordpress-dr") is ${DNS1035}; given "${name}" (51 characters)`,
    ]);
  });

  it('blames the app for an IPv6 balancer the instance leaves room for', () => {
    const name = 'i'.repeat(55);
    expect(problems(lab(instance(name)))).toEqual([
      `environments/test.yaml:34:14 clusters[0].apps[0].app: expected an app name of at most 4 characters, so that the IPv6 load balancer of wordpress, named after the prod Traefik instance and the app (a Service named "${name}-wordpress-dr") is ${DNS1035}; given "wordpress" (9 characters)`,
    ]);
  });

  it('refuses an app name that leads its DNS record, when it starts with a digit', () => {
    expect(problemsWithCatalog(lab(secondApp('9lives', 'nine.example.org')))).toEqual([
      `environments/test.yaml:39:14 clusters[0].apps[2].app: expected an app name that starts with a letter, so that the DNS record (ExternalName Service) of 9lives (a Service named "9lives-name-dr") is ${DNS1035}; given "9lives"`,
    ]);
  });

  it('refuses an app name too long for its twin’s IPv6 balancer, once for all its Services', () => {
    const app = 'x'.repeat(45);
    expect(problemsWithCatalog(lab(secondApp(app, 'long.example.org')))).toEqual([
      `environments/test.yaml:39:14 clusters[0].apps[2].app: expected an app name of at most 43 characters, so that the IPv6 load balancer of ${app}, named after the prod Traefik instance and the app (a Service named "traefik-external-${app}-dr") is ${DNS1035}; given "${app}" (45 characters)`,
    ]);
  });
});

describe('reserved namespaces', () => {
  it.each([
    ['kube-system', 'Kubernetes'],
    ['kube-public', 'Kubernetes'],
    ['kube-node-lease', 'Kubernetes'],
    ['kube-anything', 'Kubernetes'],
    ['default', 'Kubernetes'],
    ['flux-system', 'Flux, which delivers every unit from it'],
  ])('refuses an app in %s', (namespace, owner) => {
    expect(problems(lab(['namespace: wordpress', `namespace: ${namespace}`]))).toEqual([
      `environments/test.yaml:37:20 clusters[0].apps[1].namespace: namespace "${namespace}" of redis belongs to ${owner}; ${OWNS}; ${NOT_RESERVED}; given "${namespace}"`,
    ]);
  });

  it('refuses the namespace of the Flux objects when it is not flux-system', () => {
    const text = lab(['secrets: { name: vault }\n', 'secrets: { name: vault }\ngitops: { namespace: gitops }\n'], ['namespace: wordpress', 'namespace: gitops']);
    expect(problems(text)).toEqual([
      `environments/test.yaml:38:20 clusters[0].apps[1].namespace: namespace "gitops" of redis belongs to Flux, which delivers every unit from it; ${OWNS}; expected a namespace of the estate's own, not default, kube-* or flux-system, gitops; given "gitops"`,
    ]);
  });

  it('refuses a twin namespace that the DR suffix makes reserved', () => {
    const text = lab(['dr:\n  storageClasses:', 'dr:\n  suffix: -system\n  namespace: suffixed\n  storageClasses:'], ['namespace: wordpress', 'namespace: flux']);
    expect(problems(text)).toEqual([
      `environments/test.yaml:39:20 clusters[0].apps[1].namespace: namespace "flux-system" of the twin of redis (dr.namespace: suffixed) belongs to Flux, which delivers every unit from it; ${OWNS}; ${NOT_RESERVED}; given "flux-system"`,
    ]);
  });

  it('refuses the edge in kube-system', () => {
    const text = lab(['      acmeEmail: ops@example.org\n', '      acmeEmail: ops@example.org\n      namespace: kube-system\n']);
    expect(problems(text)).toEqual([
      `environments/test.yaml:26:18 clusters[0].edge.namespace: namespace "kube-system" of the edge belongs to Kubernetes; ${OWNS}; ${NOT_RESERVED}; given "kube-system"`,
    ]);
  });
});

describe('names that become file names', () => {
  it('knows how long a name the layout can write for each kind', () => {
    expect(['StorageClass', 'IPPool', 'IPAddressPool', 'L2Advertisement'].map(longestFileName)).toEqual([237, 243, 236, 234]);
  });

  it('refuses a storage class name of 253 characters where the loader reads it, not in the writer', () => {
    const text = lab(['      - name: local-path\n', `      - name: ${LONGEST}\n`], ['    local-path: local-path\n', `    ${LONGEST}: ${LONGEST}\n`]);
    expect(problems(text)).toEqual([
      `environments/test.yaml:22:15 clusters[0].storageClasses[2].name: expected a storage class name of at most 237 characters, so that its file name "storageclass-<name>.yaml" fits in 255 bytes; given "${LONGEST}" (253 characters)`,
    ]);
  });

  it('leaves room for the DR suffix of a derived twin class', () => {
    const name = `${'n'.repeat(63)}.${'m'.repeat(63)}.${'o'.repeat(63)}.${'p'.repeat(46)}`;
    const text = lab(['        provisioner: rancher.io/local-path\n', `        provisioner: rancher.io/local-path\n      - name: ${name}\n        provisioner: rancher.io/local-path\n`]);
    expect(problems(text)).toEqual([
      `environments/test.yaml:24:15 clusters[0].storageClasses[3].name: expected a storage class name of at most 234 characters, so that the file name "storageclass-<name>-dr.yaml" of its DR twin fits in 255 bytes; given "${name}" (238 characters)`,
    ]);
  });

  it('refuses a pool name too long for the objects of its provider', () => {
    expect(problems(lab(['pool: dr-v6', `pool: ${LONGEST}`]))).toEqual([
      `environments/test.yaml:31:23 clusters[0].edge.dr.ipv6.pool: expected a pool name of at most 243 characters, so that its file name "ippool-<name>.yaml" fits in 255 bytes; given "${LONGEST}" (253 characters)`,
    ]);
    const metallb = lab(['pool: dr-v6', `pool: ${LONGEST}`], ['      acmeEmail: ops@example.org\n', '      acmeEmail: ops@example.org\n      provider: metallb\n']);
    expect(problems(metallb)).toEqual([
      `environments/test.yaml:32:23 clusters[0].edge.dr.ipv6.pool: expected a pool name of at most 234 characters, so that its file names "ipaddresspool-<name>.yaml" and "l2advertisement-<name>.yaml" fit in 255 bytes; given "${LONGEST}" (253 characters)`,
    ]);
  });
});
