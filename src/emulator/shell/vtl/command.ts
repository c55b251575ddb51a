import { DeviceError } from '../../../errors.js';
import type { Emulator } from '../../../fleet/driver.js';
import type { ClientInstance, ObservedFleet } from '../../../fleet/types.js';
import { findClient } from '../../../fleet/resolve.js';
import { ArgError, parseOptions, type OptionSpec, type ParsedArgs } from '../args.js';
import { ShellRefusal } from '../output.js';

/** The client instance a vtl invocation runs on, and what every vtl command shares. */
export interface VtlContext {
  emulator: Emulator;
  /** The instance's name (its certificate name and its client id on the appliances). */
  clientName: string;
}

/** A vtl command such as `addServer`. */
export interface VtlCommand {
  /** Canonical spelling; vtl matches command names case-insensitively. */
  name: string;
  /** The usage line vtl prints after a syntax error. */
  syntax: string;
  options: OptionSpec[];
  /** When true the command reads its own words (it has actions with their own options). */
  raw?: boolean;
  /** Runs it and returns what it prints; throws to refuse. */
  run(context: VtlContext, args: ParsedArgs, words: string[]): Promise<string>;
}

/** Client certificate directory of the 5.3 client software. */
export const CLIENT_CERT_DIR = '/usr/safenet/lunaclient/cert/client';

/** Raises vtl's refusal: `Error: <text>`. */
export function vtlError(text: string): never {
  throw new ShellRefusal(`Error: ${text}`);
}

/** Raises a usage error with the command's syntax. */
export function usage(command: { syntax: string }, problem: string): never {
  throw new ShellRefusal(`Error: ${problem}\nUsage: vtl ${command.syntax}`);
}

/** Reads a command's options the vtl way (single dash, unique prefixes, any case). */
export function readVtlOptions(command: { syntax: string; options: OptionSpec[] }, words: string[]): ParsedArgs {
  try {
    const args = parseOptions(words, command.options, 'single');
    if (args.positionals.length > 0) usage(command, 'Too many parameters.');
    return args;
  } catch (err) {
    if (!(err instanceof ArgError)) throw err;
    const what = { unknown: 'Unknown option', ambiguous: 'Ambiguous option', 'missing-value': 'Missing value for option', duplicate: 'Option given more than once' }[err.kind];
    return usage(command, `${what}: ${err.option}`);
  }
}

/** The value of an option the command cannot do without. */
export function need(command: { syntax: string }, args: ParsedArgs, name: string): string {
  const value = args.values.get(name);
  if (value === undefined || value === '') usage(command, `Missing required option: -${name}`);
  return value;
}

/** The fleet now and this instance in it (absent before `vtl createCert`). */
export async function observe(context: VtlContext): Promise<{ fleet: ObservedFleet; client: ClientInstance | undefined }> {
  const fleet = await context.emulator.describe();
  return { fleet, client: findClient(fleet, context.clientName) };
}

/** This instance, or vtl's refusal when it has no client certificate yet. */
export async function certified(context: VtlContext): Promise<{ fleet: ObservedFleet; client: ClientInstance }> {
  const { fleet, client } = await observe(context);
  if (!client || client.certificateFingerprint === null) {
    vtlError(`No client certificate found in ${CLIENT_CERT_DIR}. Create one with 'vtl createCert -n ${context.clientName}'.`);
  }
  return { fleet, client };
}

/** vtl's text for anything a command threw (device errors in the device's words). */
export function vtlErrorText(err: unknown): string {
  if (err instanceof ShellRefusal) return err.text;
  if (err instanceof DeviceError) return err.message.startsWith('Error:') ? err.message : `Error: ${err.message}`;
  throw err;
}
