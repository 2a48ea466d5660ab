/**
 * Selector labels: the twin's pods must carry different values for the labels selectors use,
 * so that no Service, Deployment or budget of one variant selects a pod of the other. The
 * twin suffixes the values of instance labels (`app.kubernetes.io/instance`, cdk8s-plus's
 * `cdk8s.io/metadata.addr`); a selector with no instance label has all its keys suffixed,
 * because an unchanged selector would select both variants' pods.
 */
import type { TwinEditor } from './editor';
import { isMap, type Segment } from './paths';

export const DEFAULT_INSTANCE_LABELS: readonly string[] = ['app.kubernetes.io/instance', 'cdk8s.io/metadata.addr'];

/** A label value's longest allowed length (Kubernetes: 63 characters). */
const MAX_LABEL_VALUE = 63;

/**
 * The twin's value of a selector label: the prod value with the suffix, cut to stay a valid
 * label value (at most 63 characters, beginning and ending with a letter or digit).
 */
export function twinLabelValue(value: string, suffix: string): string {
  const room = MAX_LABEL_VALUE - suffix.length;
  const base = value.slice(0, Math.max(room, 0)).replace(/[^A-Za-z0-9]+$/, '');
  const twin = `${base}${suffix}`;
  return twin.replace(/^[^A-Za-z0-9]+/, '');
}

/** The label keys whose values the twin suffixes, from the selectors the app uses. */
export function selectorKeys(selectors: readonly Readonly<Record<string, unknown>>[], instanceLabels: readonly string[]): Set<string> {
  const keys = new Set(instanceLabels);
  for (const selector of selectors) {
    const own = Object.keys(selector);
    if (own.length > 0 && !own.some((key) => instanceLabels.includes(key))) {
      own.forEach((key) => keys.add(key));
    }
  }
  return keys;
}

/** Suffixes the values of `keys` in the label map at `path` of the twin. */
export function twinLabelMap(editor: TwinEditor, path: readonly Segment[], keys: ReadonlySet<string>, suffix: string): void {
  const labels = editor.get(path);
  if (!isMap(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    if (keys.has(key) && typeof value === 'string') editor.set([...path, key], twinLabelValue(value, suffix));
  }
}

/** Suffixes the values of `In`/`NotIn` expressions on `keys` in the expression list at `path`. */
export function twinMatchExpressions(editor: TwinEditor, path: readonly Segment[], keys: ReadonlySet<string>, suffix: string): void {
  const expressions = editor.get(path);
  if (!Array.isArray(expressions)) return;
  expressions.forEach((expression: unknown, index) => {
    if (!isMap(expression) || typeof expression.key !== 'string' || !keys.has(expression.key)) return;
    if (!Array.isArray(expression.values)) return;
    expression.values.forEach((value: unknown, valueIndex) => {
      if (typeof value === 'string') editor.set([...path, index, 'values', valueIndex], twinLabelValue(value, suffix));
    });
  });
}
