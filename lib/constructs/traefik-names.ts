/** Names the Traefik instances, routes and load balancers agree on. */

/** The entry point of plain HTTP (container port 8000, balancer port 80): it only redirects to HTTPS. */
export const HTTP_ENTRY_POINT = 'web';
/** The entry point of HTTPS (container port 8443, balancer port 443): every route sits here. */
export const HTTPS_ENTRY_POINT = 'websecure';
/** The ACME certificate resolver every instance defines and every route uses. */
export const CERT_RESOLVER = 'letsencrypt';
