/** Names the Traefik instances, routes and middlewares agree on. */

/** The shared middleware every route uses. */
export const REDIRECT_TO_HTTPS = 'redirect-to-https';
/** The ACME certificate resolver every instance defines and every route uses. */
export const CERT_RESOLVER = 'letsencrypt';
