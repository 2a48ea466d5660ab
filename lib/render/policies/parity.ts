/**
 * DR parity (DESIGN.md "Variant rules"): a twin differs from its prod unit only in a closed list
 * of things — names and the references that follow them, storage class, placement, hosts,
 * addresses, pools, replicas and identity config. Every prod object has its twin and the twin
 * nothing more (objects a twin shares with prod, such as credentials in a shared namespace,
 * excepted). Anything else differing is a bug in a chart or construct, reported here.
 */
import type { ApiObjectJson, RenderedUnit } from '../../model';
import { problemAt, type PolicyProblem } from './problem';
import { isRecord } from '../../json';
import { unitFact } from '../restored-unit';
import { at, keyPath, pathOf, type Where } from './where';

/**
 * Paths allowed to differ, with array indices written `[*]`. Each line is an item of the closed
 * list of DESIGN.md; extend it only together with the variant rule that needs it.
 */
export const ALLOWED_DIFFERENCES: readonly RegExp[] = [
  /^metadata\.labels\["twinops\.dev\/variant"\]$/, // which variant it is
  /^spec\.template\.metadata\.labels\["twinops\.dev\/variant"\]$/,
  /^spec\.storageClassName$/, // storage class map
  /^spec\.template\.spec\.(nodeSelector|tolerations)(\W|$)/, // placement
  /^spec\.replicas$/, // replicas per DR state
  /^data\[[^\]]+\]$|^data\.[^.]+$/, // identity config (ConfigMap values; keys must match)
  /^spec\.routes\[\*\]\.match$/, // hostnames: the twin's route answers both hosts
  /^metadata\.annotations\["external-dns\.alpha\.kubernetes\.io\/hostname"\]$/, // hostnames: the twin's DNS names
  /^metadata\.annotations\["kubernetes\.io\/ingress\.class"\]$/, // edge: the route's Traefik instance
  /^spec\.selector\.app$/, // edge: the Traefik instance a balancer selects
  /^spec\.(externalName|loadBalancerIP|externalIPs)(\W|$)/, // addresses
  /^metadata\.annotations\["(projectcalico\.org\/ipv[46]pools|metallb\.io\/address-pool|metallb\.io\/loadBalancerIPs)"\]$/, // pools
];

/** The labels twinops stamps per variant: the one difference every derived twin object has. */
const VARIANT_LABEL = /(^|\.)labels\["twinops\.dev\/variant"\]$/;

/** Whether a difference at `path` lies at or under a field the twin transform changed. */
function explainedBy(changed: readonly string[], difference: LeafDifference): boolean {
  const { path } = difference;
  if (VARIANT_LABEL.test(path)) return true;
  // The transform writes values; it never removes one, so a field prod has and the twin lacks is never its doing.
  return !difference.removed && changed.some((field) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`));
}

/** A field where prod and twin differ; `removed` when prod has it and the twin does not. */
interface LeafDifference {
  readonly path: string;
  readonly removed: boolean;
}

/**
 * Every leaf path where `prod` and `dr` differ: one side missing a whole subtree is reported at
 * each of its leaves, so a change the transform made under a new map explains only that leaf.
 */
function leafDifferences(prod: Json, dr: Json, where: Where, out: LeafDifference[]): void {
  if (prod === dr) return;
  const differ = (): void => void out.push({ path: pathOf(where), removed: prod !== undefined && dr === undefined });
  if (Array.isArray(prod) || Array.isArray(dr)) {
    if ((prod !== undefined && !Array.isArray(prod)) || (dr !== undefined && !Array.isArray(dr))) return differ();
    const a: readonly Json[] = Array.isArray(prod) ? prod : [];
    const b: readonly Json[] = Array.isArray(dr) ? dr : [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) leafDifferences(a[i], b[i], at(where, i), out);
    if (a.length === 0 && b.length === 0 && (prod === undefined) !== (dr === undefined)) differ();
    return;
  }
  if (isObject(prod) || isObject(dr)) {
    if ((prod !== undefined && !isObject(prod)) || (dr !== undefined && !isObject(dr))) return differ();
    const a = isObject(prod) ? prod : {};
    const b = isObject(dr) ? dr : {};
    // Prod's keys, then the twin's others: the order of the differences found.
    let keys = 0;
    for (const key of Object.keys(a)) {
      keys += 1;
      leafDifferences(a[key], b[key], at(where, key), out);
    }
    for (const key of Object.keys(b)) {
      if (Object.hasOwn(a, key)) continue;
      keys += 1;
      leafDifferences(a[key], b[key], at(where, key), out);
    }
    if (keys === 0 && (prod === undefined) !== (dr === undefined)) differ();
    return;
  }
  differ();
}

/** Kinds a twin in the prod namespace shares with prod instead of rendering again. */
const SHARED_KINDS = new Set(['ExternalSecret', 'SealedSecret']);

type Json = unknown;
const isObject: (value: Json) => value is Record<string, Json> = isRecord;

/** What a twin's strings may rename: the names of the prod unit's objects and their namespaces. */
export interface Renames {
  readonly suffix: string;
  readonly names: ReadonlySet<string>;
}

/** Splits a string into name-like tokens and the separators between them (kept, in order). */
const TOKENS = /[^.:/@=,;\s"'`()|&]+|[.:/@=,;\s"'`()|&]+/g;

/**
 * Whether `dr` is `prod` with some of its whole tokens renamed (`redis.wordpress.svc` →
 * `redis-dr.wordpress.svc`): a token may only gain the suffix when it is the name of an object
 * or namespace the twin renames. Whole tokens only: an image `app:1` never passes as `app:1-dr`.
 */
function followsRenames(prod: string, dr: string, renames: Renames): boolean {
  const renamed = (from: string, to: string) => to === `${from}${renames.suffix}` && renames.names.has(from);
  if (renamed(prod, dr)) return true;
  const [a, b] = [prod.match(TOKENS) ?? [], dr.match(TOKENS) ?? []];
  return a.length === b.length && a.every((token, i) => token === b[i] || renamed(token, b[i] ?? ''));
}

/** Differences between a prod value and its twin's that no rule explains. */
function differences(prod: Json, dr: Json, renames: Renames, path: string, out: string[]): void {
  // One value, not two: a render holds equal parts of prod and twin once (../shared-subtrees.ts).
  if (prod === dr) return;
  const generic = path.replace(/\[\d+\]/g, '[*]');
  if (ALLOWED_DIFFERENCES.some((pattern) => pattern.test(generic))) {
    // Identity config may change values, never its keys.
    if (/^data/.test(generic) && (prod === undefined) !== (dr === undefined)) out.push(path);
    return;
  }
  if (typeof prod === 'string' && typeof dr === 'string') {
    // Names and every reference to them (claims, config maps, services, namespaces) follow the suffix.
    if (prod !== dr && !followsRenames(prod, dr, renames)) out.push(path);
    return;
  }
  if (Array.isArray(prod) && Array.isArray(dr)) {
    if (prod.length !== dr.length) out.push(path);
    else prod.forEach((item, i) => differences(item, dr[i], renames, `${path}[${i}]`, out));
    return;
  }
  if (isObject(prod) && isObject(dr)) {
    for (const key of new Set([...Object.keys(prod), ...Object.keys(dr)])) {
      differences(prod[key], dr[key], renames, keyPath(path, key), out);
    }
    return;
  }
  if (prod !== dr) out.push(path);
}

const identity = (object: ApiObjectJson) => `${object.kind}/${object.metadata.name}`;

function show(value: Json): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function valueAt(object: ApiObjectJson, path: string): Json {
  const keys = [...path.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map(
    (match) => match[1] ?? (match[2] !== undefined ? Number(match[2]) : JSON.parse(`"${match[3]}"`)),
  );
  return keys.reduce<Json>((current, key) => (current as Record<string | number, Json> | undefined)?.[key], object);
}

/** Each unit's object names and namespaces, once per render of the unit (the render cache hands back the same object, and keeps the names with it). */
function unitNames(unit: RenderedUnit): readonly string[] {
  return unitFact(unit, 'parity.names', (objects) => objects.flatMap((object) => [object.metadata.name, ...(object.metadata.namespace === undefined ? [] : [object.metadata.namespace])]));
}

/** What the twins of `prods` rename: the names and namespaces of their objects. */
function renamesOf(prods: readonly RenderedUnit[], suffix: string): Renames {
  const names = new Set<string>();
  for (const unit of prods) for (const name of unitNames(unit)) names.add(name);
  return { suffix, names };
}

/**
 * Checks one prod unit against its twin unit. `renames` says what twins rename across the estate
 * (a twin may reach the twin of another app, `redis` → `redis-dr`). Default: this unit's objects.
 */
export function unitParity(prod: RenderedUnit, dr: RenderedUnit, suffix: string, renames: Renames = renamesOf([prod], suffix)): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const twins = new Map(dr.objects.map((object) => [identity(object), object]));
  const matched = new Set<string>();
  const drNamespaces = new Set(dr.objects.map((object) => object.metadata.namespace));
  for (const object of prod.objects) {
    const twinKey = `${object.kind}/${object.metadata.name}${suffix}`;
    const copyKey = identity(object);
    const twin = twins.get(twinKey);
    if (twin === undefined && dr.twin?.shared.includes(copyKey)) continue; // declared shared: one object for both
    const shared = SHARED_KINDS.has(object.kind);
    if (twin === undefined && shared && drNamespaces.has(object.metadata.namespace)) continue; // one object for both
    // A shared kind in a twin namespace of its own (dr.namespace: suffixed) is copied under its own name.
    const copy = shared && !drNamespaces.has(object.metadata.namespace) ? twins.get(copyKey) : undefined;
    const counterpart = twin ?? copy;
    if (counterpart === undefined) {
      problems.push(problemAt(prod, object, '', `has no twin ${twinKey} in ${dr.path}`));
      continue;
    }
    matched.add(twin === undefined ? copyKey : twinKey);
    const found: string[] = [];
    // A twin the transform derived may differ exactly where it says it changed; the edge objects
    // each variant renders for itself are held to the closed list.
    const changed = dr.twin?.changed[identity(counterpart)];
    if (changed !== undefined) {
      const leaves: LeafDifference[] = [];
      leafDifferences(object, counterpart, undefined, leaves);
      found.push(...leaves.filter((leaf) => !explainedBy(changed, leaf)).map((leaf) => leaf.path));
    } else {
      differences(object, counterpart, renames, '', found);
    }
    for (const path of found) {
      problems.push(
        problemAt(dr, counterpart, path, `differs from prod beyond the DR rules (prod ${show(valueAt(object, path))}, dr ${show(valueAt(counterpart, path))})`),
      );
    }
  }
  for (const object of dr.objects) {
    if (!matched.has(identity(object))) problems.push(problemAt(dr, object, '', `has no prod original in ${prod.path}`));
  }
  return problems;
}

/** Every `apps/<app>/dr` unit with its `apps/<app>/prod` unit, in the order of the DR units. */
export function parityPairs<U extends { readonly path: string }>(units: readonly U[]): { readonly prod: U; readonly dr: U }[] {
  const byPath = new Map(units.map((unit) => [unit.path, unit]));
  return units.flatMap((unit) => {
    const prod = unit.path.endsWith('/dr') && unit.path.includes('/apps/') ? byPath.get(unit.path.replace(/\/dr$/, '/prod')) : undefined;
    return prod ? [{ prod, dr: unit }] : [];
  });
}

/** What twins rename across the estate, from every paired prod unit. */
export function estateRenames(prods: readonly RenderedUnit[], suffix: string): Renames {
  return renamesOf(prods, suffix);
}

/** Pairs every `apps/<app>/prod` unit with its `apps/<app>/dr` unit and checks each pair. */
export function drParity(units: readonly RenderedUnit[], suffix: string): PolicyProblem[] {
  const pairs = parityPairs(units);
  const renames = renamesOf(pairs.map((pair) => pair.prod), suffix);
  return pairs.flatMap(({ prod, dr }) => unitParity(prod, dr, suffix, renames));
}

