/**
 * The one way the transform changes a twin object: every write goes through `set`, which
 * records the field path when the value really changed. That record is what parity checks
 * the prod→twin difference against, so it must be complete and nothing more.
 */
import type { ApiObjectJson } from '../../model';
import { cloneJson, copyTree, expand, formatPath, getAt, jsonEqual, setAt, withAt, type Json, type JsonMap, type Segment } from './paths';
import { isJsonExact } from '../../json';
import type { TwinError } from './types';

export class TwinEditor {
  /**
   * The twin being built. It starts as the prod object itself and each write copies the maps on
   * its path (`withAt`), so prod is never changed and the twin shares what it does not change:
   * deep-copying every object first cost ~0.1 s of the bench fleet's twin, plus its garbage.
   */
  private current: JsonMap;
  /** Whether `current` is a copy of our own, edited in place (JSON would change prod, or a write needs `setAt`). */
  private owned: boolean;
  /** `Kind/name` of the prod object, for errors. */
  public readonly identity: string;
  private readonly changed = new Set<string>();
  private readonly problems: TwinError[] = [];

  public constructor(prod: ApiObjectJson) {
    // A prod object a JSON round trip would change (undefined, -0, a class instance) is copied as before.
    this.owned = !isJsonExact(prod);
    this.current = (this.owned ? cloneJson(prod) : prod) as JsonMap;
    this.identity = `${prod.kind}/${prod.metadata.name}`;
  }

  /** The twin as built so far. */
  public get object(): JsonMap {
    return this.current;
  }

  /** Concrete paths of the twin matching a pattern. */
  public paths(pattern: string): Segment[][] {
    return expand(this.object, pattern);
  }

  public get(path: readonly Segment[]): Json {
    return getAt(this.object, path);
  }

  /** Writes a value and records the path if it differs from what was there. */
  public set(path: readonly Segment[], value: Json): void {
    if (jsonEqual(getAt(this.object, path), value)) return;
    const written = this.owned ? undefined : withAt(this.current, path, value);
    if (written !== undefined) {
      this.current = written as JsonMap;
    } else {
      // The tree the copy-first editor would hold here, to edit in place from now on.
      if (!this.owned) this.current = copyTree(this.current) as JsonMap;
      this.owned = true;
      setAt(this.current, path, value);
    }
    this.changed.add(formatPath(path));
  }

  /** Rewrites the string at a path through `change`; non-strings are left alone. */
  public mapString(path: readonly Segment[], change: (value: string) => string): void {
    const value = this.get(path);
    if (typeof value === 'string') this.set(path, change(value));
  }

  /** Records a problem with this object, optionally at a field. */
  public fail(message: string, path?: readonly Segment[]): void {
    this.problems.push({
      object: this.identity,
      ...(path ? { path: formatPath(path) } : {}),
      message: `${this.identity}${path ? ` at ${formatPath(path)}` : ''}: ${message}`,
    });
  }

  public get errors(): readonly TwinError[] {
    return this.problems;
  }

  /** The changed paths, sorted so the output is deterministic. */
  public get changedPaths(): string[] {
    return [...this.changed].sort();
  }
}
