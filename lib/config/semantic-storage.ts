/**
 * Storage checks of a cluster: its role mappings name declared classes, every storage role an
 * app's chart asks for resolves to a class (`./storage-roles.ts`), and with DR on, the DR class
 * of that class is declared or derivable.
 */
import { twinClusterOf, type AppPlacement, type Cluster } from './environment';
import type { ConfigPath } from './errors';
import { finding, quote, type CheckContext } from './semantic-context';
import { resolveStorageRole } from './storage-roles';
import { didYouMean } from './wording';

const appPath = (c: number, j: number): ConfigPath => ['clusters', c, 'apps', j];

/** `a storage class declared on cluster "home": a, b` (or that it declares none). */
function declaredClasses(cluster: Cluster, declared: readonly string[]): string {
  return declared.length === 0
    ? `a storage class declared on cluster ${quote(cluster.name)} (it declares none)`
    : `a storage class declared on cluster ${quote(cluster.name)}: ${declared.join(', ')}`;
}

/** Each value of a `storageRoles` map must be a class the cluster declares. */
function checkRoleMap(context: CheckContext, cluster: Cluster, roles: Readonly<Record<string, string>>, at: ConfigPath): void {
  const declared = cluster.storageClasses.map((sc) => sc.name);
  for (const [role, storageClass] of Object.entries(roles)) {
    if (declared.includes(storageClass)) continue;
    const lead = `storage role ${quote(role)} maps to unknown storage class ${quote(storageClass)}${didYouMean(storageClass, declared)}`;
    context.report([...at, role], finding(declaredClasses(cluster, declared), quote(storageClass), lead));
  }
}

/** The placement's answer when a role of its chart resolves to no class. */
function reportUnmappedRole(context: CheckContext, cluster: Cluster, c: number, app: AppPlacement, j: number, role: string): void {
  const declared = cluster.storageClasses.map((sc) => sc.name);
  const where = `clusters[${c}].storageRoles (or the placement's storageRoles)`;
  const classes = declared.length === 0 ? `a storage class, but cluster ${quote(cluster.name)} declares none` : `one of the cluster's classes: ${declared.join(', ')}`;
  context.report([...appPath(c, j), 'app'], {
    expected: `a class for storage role ${quote(role)} in ${where}: ${declared.join(', ') || 'none is declared'}`,
    given: 'no mapping',
    message: `${app.app} asks for storage role ${quote(role)}; map it in ${where} to ${classes}`,
  });
}

/**
 * Every storage role an app's chart asks for must resolve to a class declared on its cluster;
 * with DR on, that class's DR class must be declared too, or be derivable: the DR name of a
 * declared class that has a `dr` block.
 */
export function checkStorage(context: CheckContext, cluster: Cluster, c: number): void {
  const { env, catalog } = context;
  checkRoleMap(context, cluster, cluster.storageRoles, ['clusters', c, 'storageRoles']);
  cluster.apps.forEach((app, j) => checkRoleMap(context, cluster, app.storageRoles, [...appPath(c, j), 'storageRoles']));
  const declared = cluster.storageClasses.map((sc) => sc.name);
  const drName = (name: string) => env.dr.storageClasses[name] ?? `${name}${env.dr.suffix}`;
  const available = new Set([...declared, ...cluster.storageClasses.filter((sc) => sc.dr).map((sc) => drName(sc.name))]);
  const twinsNeeding = new Map<string, string[]>();
  cluster.apps.forEach((app, j) => {
    for (const role of catalog.get(app.app)?.storageRoles ?? []) {
      const resolved = resolveStorageRole(cluster, app, role);
      if (resolved === undefined) reportUnmappedRole(context, cluster, c, app, j, role);
      // A mapping to an undeclared class is reported at the mapping itself, once.
      // A twin on another cluster claims that cluster's classes: `./semantic-fleet-dr.ts` checks them.
      else if (declared.includes(resolved.storageClass) && twinClusterOf(cluster, app) === cluster.name && !available.has(drName(resolved.storageClass))) {
        const apps = twinsNeeding.get(resolved.storageClass) ?? [];
        if (!apps.includes(app.app)) twinsNeeding.set(resolved.storageClass, [...apps, app.app]);
      }
    }
  });
  for (const [storageClass, apps] of twinsNeeding) {
    const twin = drName(storageClass);
    const lead = `the DR twins of ${apps.join(', ')} need storage class ${quote(twin)} (DR class of ${quote(storageClass)}), which cluster ${quote(cluster.name)} neither declares nor derives`;
    if (env.dr.storageClasses[storageClass] !== undefined) {
      const expected = `a declared or derivable storage class: ${[...available].join(', ')}`;
      context.report(['dr', 'storageClasses', storageClass], finding(expected, quote(twin), lead));
    } else {
      const expected = `a "dr" block on ${quote(storageClass)}, a declared ${quote(twin)} or a dr.storageClasses entry`;
      context.report(['clusters', c, 'storageClasses', declared.indexOf(storageClass)], finding(expected, quote(twin), lead));
    }
  }
}
