/**
 * Storage by role: charts ask for a role (`database`, `files`), the environment says which of
 * the cluster's classes serves it. The loader and the variant engine both resolve through here,
 * so the check and the render can never disagree on a claim's prod class.
 */
import type { AppPlacement, Cluster } from './environment';

/** Where a role's class came from, so an error can point at the mapping that chose it. */
export type RoleSource = 'placement' | 'cluster' | 'only-class';

/** A role resolved to the prod storage class that serves it. */
export interface ResolvedRole {
  readonly storageClass: string;
  readonly source: RoleSource;
}

/**
 * The prod class of `role` for an app placed on `cluster`: the placement's mapping, else the
 * cluster's, else the cluster's only class when it declares exactly one; `undefined` otherwise.
 */
export function resolveStorageRole(cluster: Cluster, app: AppPlacement, role: string): ResolvedRole | undefined {
  const placed = app.storageRoles[role];
  if (placed !== undefined) return { storageClass: placed, source: 'placement' };
  const mapped = cluster.storageRoles[role];
  if (mapped !== undefined) return { storageClass: mapped, source: 'cluster' };
  const [only, ...others] = cluster.storageClasses;
  if (only !== undefined && others.length === 0) return { storageClass: only.name, source: 'only-class' };
  return undefined;
}

/** The prod class of `role`, or an error naming the app and role (the loader has checked it). */
export function prodStorageClass(cluster: Cluster, app: AppPlacement, role: string): string {
  const resolved = resolveStorageRole(cluster, app, role);
  if (resolved === undefined) {
    throw new Error(`${app.app} asks for storage role "${role}", which cluster ${cluster.name} does not map`);
  }
  return resolved.storageClass;
}
