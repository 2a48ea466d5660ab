import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AddressPool } from '../../lib/constructs/address-pool';
import { LoadBalancer, type LoadBalancerProps } from '../../lib/constructs/load-balancer';
import { Traefik, type TraefikProps } from '../../lib/constructs/traefik';
import type { ApiObjectJson } from '../../lib/model';
import { validateObjects } from '../../lib/render/validate';

const chart = () => new Chart(new App(), 'edge', { disableResourceNameHashes: true });
const render = (build: (c: Chart) => void) => {
  const c = chart();
  build(c);
  return c.toJson() as ApiObjectJson[];
};

const balancer = (props: Partial<LoadBalancerProps>) =>
  render((c) => new LoadBalancer(c, 'lb', { name: 'lb', namespace: 'traefik-external', family: 'IPv4', instance: 'traefik-dr', plan: {}, provider: 'calico', ...props }))[0]!;

describe('LoadBalancer address sources', () => {
  it('asks Calico for a pool by annotation', () => {
    expect(balancer({ plan: { pool: 'v4' } }).metadata.annotations).toEqual({ 'projectcalico.org/ipv4pools': '["v4"]' });
  });

  it('carries a fixed address in loadBalancerIP and externalIPs with Calico', () => {
    const lb = balancer({ plan: { address: '192.0.2.200' } }) as ApiObjectJson & { spec: Record<string, unknown> };
    expect(lb.metadata.annotations).toBeUndefined();
    expect([lb.spec.loadBalancerIP, lb.spec.externalIPs]).toEqual(['192.0.2.200', ['192.0.2.200']]);
  });

  it('asks MetalLB for a pool or an address by its annotations, without the deprecated field', () => {
    expect(balancer({ provider: 'metallb', plan: { pool: 'v4' } }).metadata.annotations).toEqual({ 'metallb.io/address-pool': 'v4' });
    const fixed = balancer({ provider: 'metallb', plan: { address: '192.0.2.200' } }) as ApiObjectJson & { spec: Record<string, unknown> };
    expect(fixed.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': '192.0.2.200' });
    expect(fixed.spec.loadBalancerIP).toBeUndefined();
  });

  it('adds the external-dns annotations when published', () => {
    expect(balancer({ family: 'IPv6', plan: { pool: 'v6' }, publish: { hostname: 'blog.example.org', ttl: 300 } }).metadata.annotations).toEqual({
      'projectcalico.org/ipv6pools': '["v6"]',
      'external-dns.alpha.kubernetes.io/hostname': 'blog.example.org',
      'external-dns/external': 'true',
      'external-dns.alpha.kubernetes.io/ttl': '300',
    });
  });
});

describe('AddressPool', () => {
  it('renders a Calico IPPool for LoadBalancer use, assigned only on request', () => {
    expect(render((c) => new AddressPool(c, 'pool', { name: 'loadbalancer-ipv6-pool', cidr: '2001:db8:0:100::/112', provider: 'calico' }))).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "crd.projectcalico.org/v1",
          "kind": "IPPool",
          "metadata": {
            "labels": {
              "app.kubernetes.io/managed-by": "twinops",
            },
            "name": "loadbalancer-ipv6-pool",
          },
          "spec": {
            "allowedUses": [
              "LoadBalancer",
            ],
            "assignmentMode": "Manual",
            "cidr": "2001:db8:0:100::/112",
            "disabled": false,
            "natOutgoing": false,
          },
        },
      ]
    `);
  });

  it('renders a MetalLB IPAddressPool that is not auto-assigned, and its L2Advertisement', () => {
    expect(render((c) => new AddressPool(c, 'pool', { name: 'loadbalancer-ipv4-pool', cidr: '192.0.2.64/28', provider: 'metallb' }))).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "metallb.io/v1beta1",
          "kind": "IPAddressPool",
          "metadata": {
            "labels": {
              "app.kubernetes.io/managed-by": "twinops",
            },
            "name": "loadbalancer-ipv4-pool",
            "namespace": "metallb-system",
          },
          "spec": {
            "addresses": [
              "192.0.2.64/28",
            ],
            "autoAssign": false,
          },
        },
        {
          "apiVersion": "metallb.io/v1beta1",
          "kind": "L2Advertisement",
          "metadata": {
            "labels": {
              "app.kubernetes.io/managed-by": "twinops",
            },
            "name": "loadbalancer-ipv4-pool",
            "namespace": "metallb-system",
          },
          "spec": {
            "ipAddressPools": [
              "loadbalancer-ipv4-pool",
            ],
          },
        },
      ]
    `);
  });
});

describe('MetalLB edge objects', () => {
  it('pass strict schema validation', () => {
    const objects = render((c) => {
      new AddressPool(c, 'pool', { name: 'loadbalancer-ipv4-pool', cidr: '192.0.2.64/28', provider: 'metallb' });
      new LoadBalancer(c, 'lb', { name: 'lb', namespace: 'traefik-external', family: 'IPv4', instance: 'traefik-external', plan: { pool: 'loadbalancer-ipv4-pool' }, provider: 'metallb' });
    });
    expect(validateObjects(objects.map((object) => ({ file: 'edge', object })))).toEqual([]);
  });
});

const traefikValues = (props: Partial<TraefikProps>) => {
  const [release] = render((c) => new Traefik(c, 'traefik', {
    name: 'traefik-external', namespace: 'traefik-external', source: 'traefik', chartVersion: '41.3.0', placement: {},
    acmeEmail: 'hostmaster@example.org', interval: '10m', variant: 'prod', ...props,
  }));
  return (release as unknown as { spec: { values: Record<string, unknown> } }).spec.values;
};

describe('Traefik entry points', () => {
  it('redirects every plain HTTP request to HTTPS, permanently, in the chart 41 values shape', () => {
    // The chart renders this as --entryPoints.web.http.redirections.entryPoint.to=:443 (websecure's
    // exposedPort), scheme=https, permanent=true: a 301 to https://<same host>/<same path>.
    expect(traefikValues({}).ports).toEqual({
      web: { port: 8000, http: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } } },
      websecure: { port: 8443 },
    });
  });

  it('redirects on the DR instance too, so the DR host and the prod host it also answers both redirect', () => {
    const placement = { nodeSelector: { 'kubernetes.io/hostname': 'remote' } };
    expect(traefikValues({ name: 'traefik-dr', variant: 'dr', placement }).ports).toEqual(traefikValues({}).ports);
  });
});
