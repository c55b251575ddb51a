/**
 * Argument handling shared by the emulated tools. lunash and vtl take single-dash options that may
 * be abbreviated to any unique prefix, case-insensitively (`-c` for `-client`, `-pa` is ambiguous
 * between `-partition` and `-password`); the CloudHSM CLI takes `--long-options`. Option values are
 * never echoed in errors, because they may be passwords.
 */

/** One option a command accepts. */
export interface OptionSpec {
  /** Canonical name without dashes, e.g. `partition`, `hsm-arn`. */
  name: string;
  /** `value` takes the next token, `flag` takes none, `list` takes every token up to the next option. */
  kind: 'value' | 'flag' | 'list';
  /** Extra accepted spellings without dashes, e.g. `c` for `client` where a prefix would be ambiguous. */
  aliases?: string[];
}

/** Options and positional words of one command line. */
export interface ParsedArgs {
  /** Values by canonical option name (`list` options joined by the caller from `lists`). */
  values: Map<string, string>;
  /** Values of `list` options. */
  lists: Map<string, string[]>;
  /** Flags that were given. */
  flags: Set<string>;
  /** Words that are not options. */
  positionals: string[];
}

/** Why a command line could not be read; shells phrase it in their tool's words. */
export class ArgError extends Error {
  /** What went wrong. */
  readonly kind: 'unknown' | 'ambiguous' | 'missing-value' | 'duplicate';
  /** The option as typed (always an option name, never a value). */
  readonly option: string;
  constructor(kind: ArgError['kind'], option: string) {
    super(`${kind} option ${option}`);
    this.name = 'ArgError';
    this.kind = kind;
    this.option = option;
  }
}

const DASHES = /^[\u2012\u2013\u2014\u2212]/;

/** Turns typographic dashes (`–retry`, as in copied runbooks) into ASCII ones. */
export function normalizeDashes(token: string): string {
  return token.replace(DASHES, '-').replace(/^-[\u2012\u2013\u2014\u2212]/, '--');
}

/**
 * The words of a command line. Given as separate arguments they are taken as they are; a single
 * argument holding spaces (`"hsm login -password x ; hsm show"`) is split like a POSIX shell
 * would, honouring quotes, with `;` as a word of its own.
 */
export function commandWords(argv: string[]): string[] {
  const [only] = argv;
  const words = argv.length === 1 && only !== undefined && /[\s;]/.test(only) && only.trim() !== ';' ? splitLine(only) : argv;
  return words.map(normalizeDashes);
}

function splitLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | null = null;
  let started = false;
  const flush = () => {
    if (started) words.push(word);
    word = '';
    started = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quote !== null) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) word += line.charAt(++i);
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line.charAt(++i);
      started = true;
    } else if (/\s/.test(ch)) {
      flush();
    } else if (ch === ';') {
      flush();
      words.push(';');
    } else {
      word += ch;
      started = true;
    }
  }
  flush();
  return words;
}

/** Splits words into commands at each `;` word; empty commands are dropped. */
export function splitCommands(words: string[]): string[][] {
  const commands: string[][] = [[]];
  for (const word of words) {
    if (word === ';') commands.push([]);
    else commands[commands.length - 1]?.push(word);
  }
  return commands.filter((c) => c.length > 0);
}

/** Finds the spec an option names: exact name or alias first, then a unique prefix. */
function lookup(specs: OptionSpec[], typed: string, display: string): OptionSpec {
  const key = typed.toLowerCase();
  const exact = specs.find((s) => s.name.toLowerCase() === key || s.aliases?.some((a) => a.toLowerCase() === key));
  if (exact) return exact;
  const prefixed = specs.filter((s) => s.name.toLowerCase().startsWith(key));
  if (prefixed.length === 1 && prefixed[0]) return prefixed[0];
  throw new ArgError(prefixed.length > 1 ? 'ambiguous' : 'unknown', display);
}

/** A safe rendering of an unrecognised token: option-like words only, never a possible secret. */
function displayOption(token: string): string {
  return /^--?[A-Za-z][A-Za-z0-9-]{0,40}$/.test(token) ? token : '(unrecognised option)';
}

/**
 * Reads options and positional words. `style` is `single` for lunash/vtl (`-name`, abbreviations
 * allowed) and `double` for the CloudHSM CLI (`--name` or `--name=value`, exact names only).
 */
export function parseOptions(words: string[], specs: OptionSpec[], style: 'single' | 'double'): ParsedArgs {
  const parsed: ParsedArgs = { values: new Map(), lists: new Map(), flags: new Set(), positionals: [] };
  const isOption = (w: string) => (style === 'double' ? /^--[A-Za-z]/.test(w) : /^-[A-Za-z]/.test(w));
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!isOption(word)) {
      parsed.positionals.push(word);
      continue;
    }
    const body = word.slice(style === 'double' ? 2 : 1);
    const eq = style === 'double' ? body.indexOf('=') : -1;
    const typed = eq >= 0 ? body.slice(0, eq) : body;
    const display = displayOption(eq >= 0 ? word.slice(0, word.indexOf('=')) : word);
    const spec = style === 'double' ? exactOnly(specs, typed, display) : lookup(specs, typed, display);
    if (parsed.values.has(spec.name) || parsed.flags.has(spec.name) || parsed.lists.has(spec.name)) {
      throw new ArgError('duplicate', display);
    }
    if (spec.kind === 'flag') {
      parsed.flags.add(spec.name);
    } else if (spec.kind === 'value') {
      const value = eq >= 0 ? body.slice(eq + 1) : words[++i];
      if (value === undefined) throw new ArgError('missing-value', display);
      parsed.values.set(spec.name, value);
    } else {
      const items = eq >= 0 ? [body.slice(eq + 1)] : [];
      while (i + 1 < words.length && !isOption(words[i + 1] ?? '')) items.push(words[++i] ?? '');
      if (items.length === 0) throw new ArgError('missing-value', display);
      parsed.lists.set(spec.name, items);
    }
  }
  return parsed;
}

function exactOnly(specs: OptionSpec[], typed: string, display: string): OptionSpec {
  const spec = specs.find((s) => s.name === typed || s.aliases?.includes(typed));
  if (!spec) throw new ArgError('unknown', display);
  return spec;
}
