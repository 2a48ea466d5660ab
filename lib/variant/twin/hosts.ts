/**
 * Host names inside string values. Values are cut into host-like tokens (letters, digits, dots
 * and dashes, beginning and ending with a letter or digit) and only whole tokens are compared,
 * never substrings: `blog.example.org` is not found in `www.blog.example.org`, `app` not in
 * `app:1-dr`.
 */
import type { TwinHosts } from './types';

const HOST_TOKEN = /[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?/g;

/** Where a token sits in its value, for rules that depend on context. */
export interface TokenContext {
  readonly token: string;
  readonly offset: number;
  readonly value: string;
}

/** Rewrites each host-like token `change` answers for; others stay as they are. */
export function replaceHostTokens(value: string, change: (context: TokenContext) => string | undefined): string {
  return value.replace(HOST_TOKEN, (token: string, offset: number) => change({ token, offset, value }) ?? token);
}

/** The host the twin's identity values name instead of prod host `host`, or undefined when it keeps it. */
function identityHost(hosts: TwinHosts, host: string): string | undefined {
  if (hosts.identity === 'production') return undefined;
  return hosts.twinOf[host];
}

/** An identity value (config data, env, declared host path) with each prod host replaced. */
export function twinIdentityValue(hosts: TwinHosts, value: string): string {
  return replaceHostTokens(value, ({ token }) => identityHost(hosts, token));
}

/** The hosts a twin route answers for prod host `host`: its DR host, then prod's when both answer. */
export function twinRouteHosts(hosts: TwinHosts, host: string): string[] {
  const dr = hosts.twinOf[host];
  if (dr === undefined) return [host];
  return hosts.routesAnswerBoth ? [dr, host] : [dr];
}

const TRAEFIK_HOST = /Host\(\s*`([^`]*)`\s*\)/g;

/**
 * A Traefik rule with each ``Host(`prod`)`` answering the twin's hosts: ``Host(`dr`) || Host(`prod`)``.
 * A rule with more than the host is parenthesised, because `&&` binds tighter than `||`.
 */
export function twinTraefikMatch(hosts: TwinHosts, match: string): string {
  return match.replace(TRAEFIK_HOST, (whole: string, host: string) => {
    const answered = twinRouteHosts(hosts, host);
    if (answered.length === 1) return whole.replace(host, answered[0] ?? host);
    const either = answered.map((name) => `Host(\`${name}\`)`).join(' || ');
    return match.trim() === whole ? either : `(${either})`;
  });
}
