/** The three-region fixture (test/fixtures/regions.yaml) and edits of it shared by tests. */

/** An edge on east and west (public DNS through external-dns), none on uk. */
export function withEdges(text: string): string {
  const edge = (cluster: string, prodCidr: string, drCidr: string, prodPublic: string, drPublic: string) =>
    [
      '    edge:',
      '      namespace: traefik',
      '      provider: metallb',
      '      publicDns: true',
      '      acmeEmail: hostmaster@example.org',
      '      prod:',
      '        name: traefik',
      `        ipv4: { pool: ${cluster}-v4, cidr: ${prodCidr}, public: ${prodPublic} }`,
      '      dr:',
      '        name: traefik-dr',
      `        ipv4: { pool: ${cluster}-v4-dr, cidr: ${drCidr}, public: ${drPublic} }`,
      '',
    ].join('\n');
  return text
    .replace('secrets:\n', 'addons:\n  externalDns: { provider: cloudflare, credentials: { remoteKey: dns/cloudflare, env: { CF_API_TOKEN: token } } }\n\nsecrets:\n')
    .replace('    apps:\n      - app: wordpress', `${edge('east', '192.0.2.64/28', '192.0.2.80/28', '192.0.2.1', '192.0.2.2')}    apps:\n      - app: wordpress`)
    .replace('    apps:\n      - app: keycloak', `${edge('west', '192.0.2.96/28', '192.0.2.112/28', '192.0.2.3', '192.0.2.4')}    apps:\n      - app: keycloak`);
}

