/**
 * Where every rendered object and document goes in `dist/`, and the exact text of each file: one
 * object per file named from kind and name, a `kustomization.yaml` listing them in every unit
 * folder, documents verbatim. Pure: paths in, text out; `./write` puts it on disk.
 */
import type { ApiObjectJson, RenderedEnvironment, RenderedUnit } from '../model';
import { byCodeUnit, fileFolderClashes, MAX_SEGMENT_BYTES, relativePathProblem } from './files';
import { toYaml, toYamlDocument } from './yaml';
import { flat } from '../flat';
import { MadeText, type Content } from './content';
import { objectsUnread } from './restored-unit';

/** The environment's tree cannot be laid out. Carries every problem found, in input order. */
export class LayoutError extends Error {
  override readonly name = 'LayoutError';
  readonly problems: readonly string[];

  constructor(environment: string, problems: readonly string[]) {
    super(`cannot lay out environment ${environment}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}

/** The file every unit folder holds, so that `kubectl kustomize`, Flux and Argo CD can build it. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * The file name of an object in its unit folder: `<kind>-<name>.yaml`, lower case, e.g.
 * `persistentvolumeclaim-wordpress-db.yaml`. Characters other than `a-z 0-9 . _ -` (the `:` of
 * `system:aggregate-to-view`, say) become `_`, so a name is always one safe file name; the
 * layout rejects the rare names that then coincide.
 */
export function unitFileName(obj: ApiObjectJson): string {
  const part = (text: string): string => text.toLowerCase().replace(/[^a-z0-9._-]/g, '_');
  return `${part(obj.kind)}-${part(obj.metadata.name)}.yaml`;
}

/** How problems name an object: `Service web/wordpress` (namespace/name) or `Namespace web`. */
function describe(obj: ApiObjectJson): string {
  const namespace = obj.metadata.namespace;
  return `${obj.kind} ${namespace ? `${namespace}/` : ''}${obj.metadata.name}`;
}

/**
 * A unit file's text: the YAML of its object, made each time it is asked (./content.ts): the
 * render keeps the object anyway, for the estate policies and the runbook.
 */
export class ObjectYaml extends MadeText {
  /**
   * The object at `index` of `unit`'s objects, read only when the text is made or compared: a
   * unit restored from the render cache file keeps its objects unparsed until then
   * (./restored-unit.ts).
   */
  public constructor(
    private readonly unit: RenderedUnit,
    public readonly index: number,
  ) {
    super();
  }

  public get object(): ApiObjectJson {
    return this.unit.objects[this.index] as ApiObjectJson;
  }

  public make(): string {
    return toYaml(this.object);
  }

  /** The YAML is made from the object alone. */
  public override get source(): object {
    return this.object;
  }

  public sameSource(other: MadeText): boolean {
    if (!(other instanceof ObjectYaml)) return false;
    if (other.unit === this.unit) return other.index === this.index;
    // Objects parsed from a restored unit's text are its own: no other unit holds them, so an
    // unread unit is not parsed to find that out.
    return !objectsUnread(other.unit) && !objectsUnread(this.unit) && other.object === this.object;
  }

  /** What made the file, for error messages. */
  public get what(): string {
    return describe(this.object);
  }
}

/** A unit folder's `kustomization.yaml`, made each time it is asked from the files it lists. */
export class KustomizationYaml extends MadeText {
  public constructor(public readonly resources: readonly string[]) {
    super();
  }

  public make(): string {
    return toYamlDocument({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: this.resources });
  }

  /** The YAML is made from the list alone (units with the same files share one, ./shared-subtrees.ts). */
  public override get source(): object {
    return this.resources;
  }

  public sameSource(other: MadeText): boolean {
    return other instanceof KustomizationYaml && other.resources.length === this.resources.length && other.resources.every((name, i) => name === this.resources[i]);
  }

  public get what(): string {
    return `its ${KUSTOMIZATION_FILE}`;
  }
}

/**
 * Gives back a list of file names equal to one given before as that one, so that units with the
 * same files (an app on many clusters) keep one list of names (./shared-subtrees.ts).
 */
type Share = (names: readonly string[]) => readonly string[];

/** A file of a unit, and why its path cannot be written (`relativePathProblem`), if it cannot. */
export interface UnitFile {
  readonly path: string;
  readonly content: ObjectYaml | KustomizationYaml;
  readonly pathProblem: string | undefined;
}

/**
 * File names up to this many UTF-16 code units hold at most MAX_SEGMENT_BYTES of UTF-8 (3 bytes
 * each at most), so the check of their length can be skipped (measured: ~20 ms of the 20k fleet).
 */
const SURELY_SHORT = Math.floor(MAX_SEGMENT_BYTES / 3);

/** The files of one unit: its objects, then its `kustomization.yaml`; problems are collected. */
function layoutUnit(unit: RenderedUnit, problems: string[], share: Share): UnitFile[] {
  const { path: unitPath, objects } = unit;
  const byName = new Map<string, number>();
  objects.forEach((obj, index) => {
    if (!obj.kind || !obj.metadata?.name) {
      problems.push(`unit ${unitPath}: an object has no kind or no metadata.name: ${JSON.stringify(obj).slice(0, 200)}`);
      return;
    }
    const name = unitFileName(obj);
    const first = byName.get(name);
    if (first !== undefined) {
      problems.push(`unit ${unitPath}: ${describe(objects[first] as ApiObjectJson)} and ${describe(obj)} both map to file ${name}`);
      return;
    }
    byName.set(name, index);
  });
  return placeFiles(unit, byName, share);
}

/** The unit's files from the file name of each object (at its index), then its `kustomization.yaml`. */
function placeFiles(unit: RenderedUnit, byName: ReadonlyMap<string, number>, share: Share = (list) => list): UnitFile[] {
  const unitPath = unit.path;
  const names = [...byName.keys()].sort(byCodeUnit);
  const placed = (name: string, content: UnitFile['content']): UnitFile => {
    // Kept by the render cache: flat, not as a rope of its pieces (../flat.ts).
    const path = flat(`${unitPath}/${name}`);
    return { path, content, pathProblem: path.length - unitPath.length > SURELY_SHORT ? relativePathProblem(path) : undefined };
  };
  const files = names.map((name) => placed(name, new ObjectYaml(unit, byName.get(name) as number)));
  // Entries owned by others (flux bootstrap's flux-system/) stay listed beside ours.
  files.push(placed(KUSTOMIZATION_FILE, new KustomizationYaml(share([...names, ...(unit.include ?? [])].sort(byCodeUnit)))));
  return files;
}

/**
 * The file name of each of a unit's objects, in their order: what `layoutOfNamedUnit` lays the
 * unit out from again. Undefined when the unit's layout has problems (the names then do not
 * give it back).
 */
export function fileNamesOf(layout: UnitLayout): string[] | undefined {
  if (layout.problems.length > 0) return undefined;
  const names: string[] = [];
  for (const file of layout.placed) {
    if (!(file.content instanceof ObjectYaml)) continue;
    names[file.content.index] = file.path.slice(layout.unit.length + 1);
  }
  // Every object has its file when the layout had no problems: a hole would be a lost object.
  for (let i = 0; i < names.length; i += 1) if (names[i] === undefined) return undefined;
  return names;
}

/**
 * Lays out a unit from the file name of each of its objects (`fileNamesOf` of its last layout),
 * without reading the objects: the render cache file's units keep them unparsed
 * (./restored-unit.ts). The same files as `layoutOfUnit` for the same unit.
 */
export function layoutOfNamedUnit(environment: string, unit: RenderedUnit, names: readonly string[]): UnitLayout {
  const problem = pathProblem(environment, unit.path);
  if (problem) return { unit: unit.path, problems: [`unit path ${JSON.stringify(unit.path)} ${problem}`], placed: [] };
  return { unit: unit.path, problems: [], placed: placeFiles(unit, new Map(names.map((name, index) => [name, index]))) };
}

/** Why `path` may not be used by this environment, if it may not. */
function pathProblem(environment: string, path: string): string | undefined {
  const problem = relativePathProblem(path);
  if (problem) return problem;
  return path.startsWith(`${environment}/`) ? undefined : `is outside the environment's folder ${environment}/`;
}

/** A unit's files and its layout problems: what the render cache keeps of a unit's layout. */
/** A unit's files and its layout problems: what the render cache keeps of a unit's layout. */
export interface UnitLayout {
  /** The unit's folder. */
  readonly unit: string;
  readonly problems: readonly string[];
  readonly placed: readonly UnitFile[];
}

/** Lays out one unit of `environment`; its problems are reported by `assembleLayout`. */
export function layoutOfUnit(environment: string, unit: RenderedUnit, share: Share = (list) => list): UnitLayout {
  const problems: string[] = [];
  const problem = pathProblem(environment, unit.path);
  if (problem) return { unit: unit.path, problems: [`unit path ${JSON.stringify(unit.path)} ${problem}`], placed: [] };
  // The unit path was checked above and file names have safe characters only; a long one can still be too long.
  const placed = layoutUnit(unit, problems, share);
  return { unit: unit.path, problems, placed };
}

/**
 * Every file of one environment's part of `dist/`: relative path (with `/`) → exact content,
 * sorted by path. Throws a `LayoutError` listing every problem: a bad path (a file name too long
 * for the file system included), two objects of a unit sharing a file name, two producers of one
 * path, a file where another path needs a folder.
 */
export function layoutEnvironment(rendered: RenderedEnvironment): Map<string, Content> {
  return assembleLayout(
    rendered.environment,
    rendered.units.map((unit) => layoutOfUnit(rendered.environment, unit)),
    rendered.documents,
  );
}

/** `layoutEnvironment` from units laid out already (`layoutOfUnit`), in unit order; with `memo` (the render cache), the last order is reused when the paths are the same. */
export function assembleLayout(environment: string, units: readonly UnitLayout[], documents: RenderedEnvironment['documents'], memo?: LayoutMemo): Map<string, Content> {
  if (memo?.order !== undefined && samePaths(memo, units, documents)) {
    memo.units = units;
    const files = new Map<string, Content>();
    const order = memo.order;
    for (let at = 0; at < order.length; at += 2) {
      const unit = order[at] as number;
      const file = order[at + 1] as number;
      const placed = (unit < 0 ? documents[file] : units[unit]?.placed[file]) as { readonly path: string; readonly content: Content };
      files.set(placed.path, placed.content);
    }
    return files;
  }
  const files = assembleChecked(environment, units, documents);
  if (memo !== undefined) remember(memo, units, documents, files);
  return files;
}

/**
 * The last layout that passed, by position: which unit's which file (or which document, as unit
 * -1) comes at each place of the sorted output. A render after a small change has the same
 * paths (the units it took from the cache have the same layouts; the ones it rendered again
 * are compared path by path), so every check's answer and the order stand, and only the
 * contents are taken anew: 10-15 ms instead of 70-90 on the bench fleet's 22,756 files.
 */
export class LayoutMemo {
  public units: readonly UnitLayout[] = [];
  public documents: readonly string[] = [];
  /**
   * Two numbers per file of the sorted output: the unit (its index in `units`, or -1 for a
   * document) and the file's index in it. Kept in the render cache file, so that a new process
   * skips the checks too (70-110 ms of a CLI synth on the bench fleet, measured).
   */
  public order: Int32Array | undefined;
}

/** Whether `units` and `documents` place exactly the paths the memo's did, without problems. */
function samePaths(memo: LayoutMemo, units: readonly UnitLayout[], documents: RenderedEnvironment['documents']): boolean {
  if (units.length !== memo.units.length || documents.length !== memo.documents.length) return false;
  if (documents.some((document, i) => document.path !== memo.documents[i])) return false;
  return units.every((unit, i) => {
    const before = memo.units[i] as UnitLayout;
    if (unit === before) return true;
    return unit.problems.length === 0 && unit.placed.length === before.placed.length && unit.placed.every((file, j) => file.path === before.placed[j]?.path && file.pathProblem === undefined);
  });
}

function remember(memo: LayoutMemo, units: readonly UnitLayout[], documents: RenderedEnvironment['documents'], files: ReadonlyMap<string, Content>): void {
  const at = new Map<string, readonly [number, number]>();
  units.forEach((unit, i) => unit.placed.forEach((file, j) => at.set(file.path, [i, j])));
  documents.forEach((document, j) => at.set(document.path, [-1, j]));
  const order = new Int32Array(files.size * 2);
  let next = 0;
  for (const path of files.keys()) {
    const [unit, file] = at.get(path) as readonly [number, number];
    order[next++] = unit;
    order[next++] = file;
  }
  memo.units = units;
  memo.documents = documents.map((document) => document.path);
  memo.order = order;
}

/** A file on its way into the tree: a unit's, or a document's. */
interface Laid {
  readonly path: string;
  readonly content: Content;
  readonly pathProblem: string | undefined;
}

/**
 * The files of `units` and `documents` by path, checked. Each unit file goes in as the object its
 * layout made, with no copy or closure naming its producer: who made a file is looked up only for
 * a problem (the copies, each with its own closure, took 70 ms of a fresh render of the bench
 * fleet's 22,756 files, --cpu-prof).
 */
function assembleChecked(environment: string, units: readonly UnitLayout[], documents: RenderedEnvironment['documents']): Map<string, Content> {
  const problems: string[] = [];
  const environmentProblem = relativePathProblem(environment);
  if (environmentProblem || environment.includes('/')) {
    problems.push(`environment name ${JSON.stringify(environment)} is not one folder name`);
  }
  for (const unit of units) problems.push(...unit.problems);
  const placedDocuments: Laid[] = [];
  for (const document of documents) {
    const problem = pathProblem(environment, document.path);
    if (problem) problems.push(`document path ${JSON.stringify(document.path)} ${problem}`);
    else placedDocuments.push({ path: document.path, content: document.content, pathProblem: relativePathProblem(document.path) });
  }
  const producer = (file: Laid): string => {
    if (placedDocuments.includes(file)) return `document ${file.path}`;
    const unit = units.find((candidate) => (candidate.placed as readonly Laid[]).includes(file)) as UnitLayout;
    return `unit ${unit.unit} (${(file as UnitFile).content.what})`;
  };

  const byPath = new Map<string, Laid>();
  const place = (file: Laid): void => {
    if (file.pathProblem) {
      problems.push(`file of ${producer(file)} ${file.pathProblem}`);
      return;
    }
    const first = byPath.get(file.path);
    if (first) problems.push(`${file.path} is produced twice: by ${producer(first)} and by ${producer(file)}`);
    else byPath.set(file.path, file);
  };
  for (const unit of units) for (const file of unit.placed) place(file);
  for (const document of placedDocuments) place(document);
  for (const [file, below] of fileFolderClashes(byPath.keys())) {
    problems.push(`${file} is a file (${producer(byPath.get(file) as Laid)}) but ${below} needs it as a folder`);
  }
  if (problems.length > 0) throw new LayoutError(environment, problems);

  const paths = [...byPath.keys()].sort(byCodeUnit);
  const files = new Map<string, Content>();
  for (const path of paths) files.set(path, (byPath.get(path) as Laid).content);
  return files;
}
