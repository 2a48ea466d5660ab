/**
 * The render cache (issue 11): what rendering each unit gave, with what it read of the
 * environment (`../cache/reads.ts`), so that a render after a small change recomposes,
 * revalidates, re-checks and lays out only the units whose reads no longer hold. The estate
 * policies keep their answers per cluster and per pair of units, keyed by the unit entries they
 * were computed from. A cache belongs to one program (`code`: the sources' hash, which covers the
 * charts, twinops itself and its locked dependencies); it is kept in memory by a long-lived
 * process (the bench) and on disk between runs (./unit-cache-file.ts).
 */
import type { KeptBlock } from '../cache/blocks';
import { intern } from '../cache/intern';
import type { ReadSet } from '../cache/reads';
import type { Environment } from '../config/environment';
import type { RenderedUnit } from '../model';
import { LayoutMemo, type UnitLayout } from './layout';
import type { PolicyProblem } from './policies';
import type { ClusterPolicyProblems, UnitPolicyProblems } from './policies/scoped';
import { FileStamps } from './stamps';
import type { ValidationProblem } from './validate';

/** What rendering one unit gave, and what it depended on. */
export interface UnitEntry {
  /** Everything the unit's render read of the environment, shared reads included. */
  readonly reads: ReadSet;
  /** Entries owned by someone else that its kustomization lists (flux bootstrap's folder), as JSON. */
  readonly include: string;
  readonly unit: RenderedUnit;
  readonly layout: UnitLayout;
  readonly validation: readonly ValidationProblem[];
  readonly policies: UnitPolicyProblems;
}

/** An answer computed from some unit entries, valid while the same entries (and key) stand. */
export interface DerivedEntry<T> {
  readonly from: readonly UnitEntry[];
  readonly key: string;
  readonly value: T;
}

/** One environment's entries, by unit folder. */
export class EnvironmentEntry {
  public readonly units = new Map<string, UnitEntry>();
  public readonly clusters = new Map<string, DerivedEntry<ClusterPolicyProblems>>();
  public readonly selectors = new Map<string, DerivedEntry<readonly PolicyProblem[]>>();
  public readonly parity = new Map<string, DerivedEntry<readonly PolicyProblem[]>>();
  /** The runbook's cluster blocks (`../cache/blocks.ts`), by section and cluster. */
  public readonly runbook = new Map<string, KeptBlock>();
  /** The order of the environment's files, for a render that places the same paths (`./layout.ts`). */
  public readonly layout = new LayoutMemo();

  /** The last value of each named key (`sameKey`). */
  private readonly keys = new Map<string, string>();

  /**
   * `value`, or the equal string the last render used for `name`: a derived answer's key is then
   * compared by identity. The parity key lists every name the estate's twins rename, some 200 KB
   * on the bench fleet, compared once per pair (1,300 times) when each render built its own.
   */
  public sameKey(name: string, value: string): string {
    const known = this.keys.get(name);
    if (known === value) return known;
    this.keys.set(name, value);
    return value;
  }

  /** `global`: what planning the environment read; every entry depends on it. */
  public constructor(public global: ReadSet) {}

  /** The answer for `key` when it was derived from exactly `from` and `key`, else `derive()`'s, kept. */
  public derived<T>(table: Map<string, DerivedEntry<T>>, name: string, from: readonly UnitEntry[], key: string, derive: () => T): T {
    const known = table.get(name);
    if (known !== undefined && known.key === key && known.from.length === from.length && known.from.every((entry, i) => entry === from[i])) return known.value;
    const value = derive();
    table.set(name, { from, key, value });
    return value;
  }
}

export class UnitCache {
  public readonly environments = new Map<string, EnvironmentEntry>();
  private fileStamps: FileStamps | undefined;

  /** `code`: the hash of the program whose renders it keeps; another program's cache is empty to it. */
  public constructor(public readonly code: string) {}

  /** The data of each environment's last render, which the next one shares its equal parts with. */
  private readonly data = new Map<string, Environment>();

  /**
   * `env` with every part equal to the last render's replaced by that part, all frozen
   * (`../cache/intern.ts`): the reads of unchanged parts then hold by identity.
   */
  public share(env: Environment, source?: string): Environment {
    const shared = intern(this.data.get(env.name), env);
    this.data.set(env.name, shared);
    // Only data that is what parsing its source gives is kept as parsed (not one a DR state override changed).
    if (source === undefined) this.sources.delete(env.name);
    else this.sources.set(env.name, source);
    return shared;
  }

  /** The digest of the source (../config/load.ts `sourceOf`) each environment's data is the parse of. */
  private readonly sources = new Map<string, string>();

  /** The last render's data of `name` when it is what parsing `source` gives (../config/load.ts `ParsedEnvironments`). */
  public parsedFrom(name: string, source: string): Environment | undefined {
    return this.sources.get(name) === source ? this.data.get(name) : undefined;
  }

  /** Each environment's data as last rendered, for the cache file. */
  public sharedData(): IterableIterator<[string, Environment]> {
    return this.data.entries();
  }

  /** The source each environment's data is the parse of, for the cache file. */
  public sharedSources(): IterableIterator<[string, string]> {
    return this.sources.entries();
  }

  /** Puts back data the cache file kept (frozen), and the source it is the parse of. */
  public restoreShared(name: string, data: Environment, source?: string): void {
    this.data.set(name, data);
    if (source !== undefined) this.sources.set(name, source);
  }

  /** What the writer knows of the files of the output folder `real` (./stamps.ts); one folder per cache. */
  public stamps(real: string): FileStamps {
    if (this.fileStamps?.real !== real) this.fileStamps = new FileStamps(real);
    return this.fileStamps;
  }

  /**
   * Whether the last render of the output folder `real` changed what the cache file keeps: a unit
   * or runbook block made, a file written or removed. When not, a synth skips saving the file
   * (1-2 s for a 20,000-object estate); stamps it only refreshed (files found unchanged by their
   * bytes) are then read once more next time. Skipping is never wrong, only slower next time:
   * every entry is checked before it is used.
   */
  public changedSinceSave(real: string): boolean {
    return this.lastRendered.length > 0 || this.lastBlocksWritten.length > 0 || this.fileStamps?.real !== real || this.fileStamps.changed;
  }

  /** The units the last render rendered (folder paths, in order), and how many it took from the cache. */
  public lastRendered: string[] = [];
  public lastReused = 0;
  /** The runbook blocks the last render wrote (`section/cluster`), and how many it took from the cache. */
  public lastBlocksWritten: string[] = [];
  public lastBlocksReused = 0;
}
