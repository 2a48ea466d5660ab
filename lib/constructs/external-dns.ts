/** The external-dns annotations that publish a Service's address under a host name. */

export interface PublicDns {
  /** The host name to publish. */
  readonly hostname: string;
  /** Record TTL in seconds. */
  readonly ttl: number;
}

export function externalDnsAnnotations(dns: PublicDns): Record<string, string> {
  return {
    'external-dns.alpha.kubernetes.io/hostname': dns.hostname,
    // The external-dns instance for public zones filters on this annotation.
    'external-dns/external': 'true',
    'external-dns.alpha.kubernetes.io/ttl': String(dns.ttl),
  };
}
