import type { Emulator } from '../../../fleet/driver.js';
import type { Hsm } from '../../../fleet/types.js';
import { findHsm } from '../../../fleet/resolve.js';
import { ArgError, parseOptions, type OptionSpec, type ParsedArgs } from '../args.js';
import { argErrorText, syntaxError } from './errors.js';
import { ShellRefusal } from '../output.js';

/**
 * One lunash session on one appliance: the SSH connection a person opens to run a few commands.
 * An `hsm login` holds for the rest of the session, like the real shell's HSM Admin login.
 */
export interface LunaSession {
  emulator: Emulator;
  /** ARN of the appliance this session is connected to. */
  hsmArn: string;
  /** The SO password of a successful `hsm login` in this session; null when not logged in. */
  soPassword: string | null;
  /** Prints output that comes before the command's result (cautions, progress). */
  print(text: string): void;
}

/** A lunash command such as `partition create`. */
export interface LunaCommand {
  /** The two words that name it, canonical spelling (`client`, `assignPartition`). */
  words: readonly [string, string];
  /** The syntax line lunash prints after a usage error. */
  syntax: string;
  options: OptionSpec[];
  /** Runs it and returns its success text (without the result line); throws to refuse. */
  run(session: LunaSession, args: ParsedArgs): Promise<string>;
}

/** The full name of a command as lunash quotes it in messages: `'client assignPartition'`. */
export function commandName(command: LunaCommand): string {
  return command.words.join(' ');
}

/** Reads a command's options the lunash way, turning unreadable ones into lunash's words. */
export function readOptions(command: LunaCommand, words: string[]): ParsedArgs {
  try {
    const args = parseOptions(words, command.options, 'single');
    if (args.positionals.length > 0) syntaxError('Too many parameters.', command.syntax);
    return args;
  } catch (err) {
    if (err instanceof ArgError) throw new ShellRefusal(argErrorText(err, command.syntax));
    throw err;
  }
}

/** The value of an option the command cannot do without. */
export function required(command: LunaCommand, args: ParsedArgs, name: string): string {
  const value = args.values.get(name);
  if (value === undefined || value === '') syntaxError(`Missing required parameter: -${name}`, command.syntax);
  return value;
}

/** The appliance as it is now (a fresh read: an earlier command of the session may have changed it). */
export async function currentHsm(session: LunaSession): Promise<Hsm> {
  const fleet = await session.emulator.describe();
  const hsm = findHsm(fleet, session.hsmArn);
  if (!hsm) throw new ShellRefusal('Connection to the appliance was closed: the HSM no longer exists.');
  return hsm;
}

/**
 * Refuses a command that cannot run without `-force` in a session that cannot ask for
 * `proceed`, after showing the caution lunash would show before its prompt.
 */
export function requireForce(args: ParsedArgs, caution: string, action: string): void {
  if (args.flags.has('force')) return;
  throw new ShellRefusal(`${caution}\n\nType 'proceed' to ${action}, or 'quit' to quit now.\nError: no terminal to answer on; add -force to proceed without the prompt.`);
}
