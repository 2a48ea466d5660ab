/**
 * The one way the transform changes a twin object: every write goes through `set`, which
 * records the field path when the value really changed. That record is what parity checks
 * the prod→twin difference against, so it must be complete and nothing more.
 */
import type { ApiObjectJson } from '../../model';
import { cloneJson, expand, formatPath, getAt, jsonEqual, setAt, type Json, type JsonMap, type Segment } from './paths';
import type { TwinError } from './types';

export class TwinEditor {
  /** The twin being built: a deep copy of the prod object. */
  public readonly object: JsonMap;
  /** `Kind/name` of the prod object, for errors. */
  public readonly identity: string;
  private readonly changed = new Set<string>();
  private readonly problems: TwinError[] = [];

  public constructor(prod: ApiObjectJson) {
    this.object = cloneJson(prod) as JsonMap;
    this.identity = `${prod.kind}/${prod.metadata.name}`;
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
    setAt(this.object, path, value);
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
