/**
 * Host names of the DR twins. One derivation, shared by the environment checks (duplicate
 * hosts) and the variant engine (routes and identity config).
 */

/** `blog.example.org` with suffix `-dr` → `blog-dr.example.org`: the suffix goes on the first label. */
export function defaultDrHost(host: string, suffix: string): string {
  const dot = host.indexOf('.');
  return dot === -1 ? `${host}${suffix}` : `${host.slice(0, dot)}${suffix}${host.slice(dot)}`;
}
