/**
 * Quoting for the runbook's `sh` blocks: every value from the environment or the render that is
 * pasted into a command goes through here, so an operator pasting a line runs exactly the
 * command the runbook shows, whatever the value holds (`poolname: "x$(touch pwned)"`).
 *
 * POSIX sh rules: inside single quotes nothing is special, and a single quote is written
 * `'\''`; so any text is safe once single-quoted, except line breaks and control characters,
 * which a terminal paste can turn into Enter or erase: those are refused, never quoted.
 */

/** Characters a shell word may hold unquoted (and that a remote shell reads back the same). */
const SAFE_WORD = /^[A-Za-z0-9_./:@%+=,-]+$/;
/** Line breaks, C0 and C1 control characters, DEL: no quoting makes them safe in a paste. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A value that cannot be pasted into a shell line safely; the runbook reports where it came from. */
export class UnquotableValueError extends Error {
  override readonly name = 'UnquotableValueError';
  constructor(readonly value: string) {
    super(`${JSON.stringify(value)} holds a line break or a control character, which no quoting makes safe to paste into a shell`);
  }
}

/** Whether `text` holds a character no quoting makes safe in a paste. */
export const hasControlCharacter = (text: string): boolean => CONTROL.test(text);

/** Throws an `UnquotableValueError` for a value no quoting makes safe to paste (heredocs, comments). */
export function refuseControl(value: string): void {
  if (CONTROL.test(value)) throw new UnquotableValueError(value);
}

/**
 * One literal value as one shell word: as it is when made of safe characters only (and not
 * starting with `-`, which a command would read as an option), else single-quoted.
 */
export function shellArg(value: string): string {
  refuseControl(value);
  if (SAFE_WORD.test(value) && !value.startsWith('-')) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * A word of a command that ssh hands to the node's shell, which parses it a second time: quoted
 * for both shells, so the node's shell receives the value as it is.
 */
export function remoteArg(value: string): string {
  return shellArg(shellArg(value));
}

/** Shell text expanded when the line runs, such as `${PROD_PV:?}` or `$(kubectl get …)`. */
export interface Expansion {
  readonly expansion: string;
}

export const expansion = (text: string): Expansion => ({ expansion: text });

/** A piece of a word: literal text (quoted as needed) or an expansion (kept as shell text). */
export type WordPart = string | Expansion;

export interface WordOptions {
  /** The word is an argument ssh passes on to a node's shell. Default: false (read by the local shell only). */
  readonly remote?: boolean;
  /**
   * Double-quote the word even when it has no expansion this time (a word that holds one in
   * other cases reads the same in both). Default: false.
   */
  readonly quoted?: boolean;
}

/**
 * Literal text that may sit inside double quotes as it is: for the local shell anything but
 * `$`, `` ` ``, `\`, `"` and `!` (bash's history expansion); for a remote shell, which reads it
 * unquoted after ssh, only safe characters.
 */
function plainInDoubleQuotes(text: string, remote: boolean): boolean {
  return remote ? text === '' || SAFE_WORD.test(text) : !/[$`\\"!]/.test(text);
}

/**
 * One shell word made of literal text and expansions, e.g. a dataset
 * `["tank/k8s", "/", expansion("${PROD_PV:?}")]`. Without expansions it is `shellArg` (or
 * `remoteArg`). With them, the usual form is one double-quoted word, `"tank/k8s/${PROD_PV:?}"`;
 * a literal that cannot sit in it is single-quoted beside it: `'x$(touch pwned)'/"${PROD_PV:?}"`.
 * Expansions are trusted to produce plain values (volume names, addresses).
 */
export function shellWord(parts: readonly WordPart[], options: WordOptions = {}): string {
  const remote = options.remote ?? false;
  const literal = (part: string) => (remote ? remoteArg(part) : shellArg(part));
  for (const part of parts) if (typeof part === 'string') refuseControl(part);
  if (parts.every((part) => typeof part === 'string') && !options.quoted) return literal(parts.join(''));
  const raw = parts.map((part) => (typeof part === 'string' ? part : part.expansion));
  if (parts.every((part) => typeof part !== 'string' || plainInDoubleQuotes(part, remote))) return `"${raw.join('')}"`;
  if (parts.every((part) => typeof part === 'string')) return literal(parts.join(''));
  return parts.map((part) => (typeof part === 'string' ? (part === '' ? '' : literal(part)) : `"${part.expansion}"`)).join('');
}

/** Text after a `#` in an `sh` block: a line break would end the comment and start a command. */
export function shellComment(text: string): string {
  refuseControl(text);
  return text;
}
