/**
 * The one command-line parser of every `twinops` command (over node:util parseArgs): each
 * command declares its options and its usage; `--help` and `--verbose` come with every command;
 * a mistake is a one-line UsageError (exit 2) that points at `--help`, never a stack trace.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** One-line meaning, shown by `--help`. */
  readonly description: string;
  /** Placeholder of a string option's value in the usage (`DIR`). Default: `VALUE`. */
  readonly placeholder?: string;
  /** Value of a string option that is not given. Default: undefined. */
  readonly default?: string;
  /** One-letter alias (`h` for `-h`). Default: none. */
  readonly short?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface CommandSpec<O extends OptionSpecs> {
  /** As typed after `twinops`: `synth`, `dr`. */
  readonly name: string;
  /** The first usage line after `usage: twinops <name>`: `[options]`, `<command> <environment> [options]`. */
  readonly synopsis: string;
  /** What the command does, and anything the options list does not say (positionals, variables). */
  readonly description: string;
  readonly options: O;
  /** Positional arguments accepted, at most. Default: 0. */
  readonly maxPositionals?: number;
}

/** The value of each option: a boolean, or a string (undefined when not given and without default). */
export type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O]: O[K] extends { readonly type: 'boolean' } ? boolean : O[K] extends { readonly default: string } ? string : string | undefined;
};

export interface CommandLine<O extends OptionSpecs> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
  /** `--help` or `-h` was given: print the usage and do nothing else. */
  readonly help: boolean;
  /** `--verbose`: stack traces on errors. */
  readonly verbose: boolean;
}

/** A command line that means nothing: reported in one line with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  public constructor(
    /** The command as typed (`dr`), to point at `twinops dr --help`. */
    public readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

const COMMON: OptionSpecs = {
  verbose: { type: 'boolean', description: 'stack traces on errors' },
  help: { type: 'boolean', short: 'h', description: 'this help' },
};

/** `--help` text: synopsis, description, then one line per option with its default. */
export function usageOf<O extends OptionSpecs>(spec: CommandSpec<O>): string {
  const all = Object.entries({ ...spec.options, ...COMMON });
  const left = all.map(([name, option]) => `--${name}${option.type === 'string' ? ` ${option.placeholder ?? 'VALUE'}` : ''}`);
  const width = Math.max(...left.map((text) => text.length)) + 2;
  const lines = all.map(([, option], i) => {
    const fallback = option.default === undefined ? '' : ` (default: ${option.default})`;
    return `  ${(left[i] ?? '').padEnd(width)}${option.description}${fallback}`;
  });
  return `usage: twinops ${spec.name} ${spec.synopsis}\n\n${spec.description.trimEnd()}\n\noptions:\n${lines.join('\n')}\n`;
}

/** Parses `argv` (the arguments after the command name); throws a UsageError on any mistake. */
export function parseCommandLine<O extends OptionSpecs>(spec: CommandSpec<O>, argv: readonly string[]): CommandLine<O> {
  const specs: OptionSpecs = { ...spec.options, ...COMMON };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, option]) => [name, { type: option.type, ...(option.short ? { short: option.short } : {}) }]),
  );
  // Not strict: every mistake is worded here, in one line, rather than in parseArgs' own words.
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, option] of Object.entries(specs)) values[name] = option.type === 'boolean' ? false : option.default;
  const positionals: string[] = [];
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const option = specs[token.name];
    if (option === undefined) problems.push(`unknown option "${token.rawName}"`);
    else if (option.type === 'boolean' && token.value !== undefined) problems.push(`option "${token.rawName}" takes no value; given "${token.value}"`);
    else if (option.type === 'boolean') values[token.name] = true;
    // `--out --verbose`: a value that looks like an option is a forgotten value, not a folder.
    else if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) problems.push(`option "${token.rawName}" needs a value`);
    else values[token.name] = token.value;
  }
  const help = values['help'] === true;
  const extra = positionals.slice(spec.maxPositionals ?? 0);
  if (extra[0] !== undefined) problems.push(`unexpected argument "${extra[0]}"`);
  if (problems[0] !== undefined && !help) throw new UsageError(spec.name, problems[0]);
  return { values: values as OptionValues<O>, positionals, help, verbose: values['verbose'] === true };
}
