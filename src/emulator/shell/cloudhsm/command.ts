import { DeviceError } from '../../../errors.js';
import type { Emulator } from '../../../fleet/driver.js';
import type { ClientInstance, Hapg, Hsm, ObservedFleet } from '../../../fleet/types.js';
import { findClient, findHapg, findHsm } from '../../../fleet/resolve.js';
import type { OptionSpec, ParsedArgs } from '../args.js';
import { ShellRefusal } from '../output.js';

/**
 * The CloudHSM command line (the legacy `cloudhsm` CLI for CloudHSM Classic, whose answers are the
 * API's JSON): what its commands share. API refusals print as the AWS tools print them:
 * `An error occurred (InvalidRequestException) when calling the DeleteHsm operation: …`.
 */

/** What a command may use besides the emulated control plane. */
export interface CloudHsmContext {
  emulator: Emulator;
  /** Reads a local file named on the command line (`--ssh-public-key-file`); relative to the working directory. */
  readFile(path: string): Promise<string>;
}

/** A CloudHSM CLI option: an `OptionSpec` that may be required, with argparse's metavar. */
export interface CloudHsmOption extends OptionSpec {
  /** argparse refuses the command when a required option is missing. */
  required?: boolean;
}

/** One CloudHSM CLI command such as `create-hsm`. */
export interface CloudHsmCommand {
  /** The command word, e.g. `add-hsm-to-hapg`. */
  name: string;
  /** The API operation named in error messages, e.g. `CreateLunaClient`. */
  operation: string;
  options: CloudHsmOption[];
  /** Runs it; returns the JSON document to print, or plain text lines. */
  run(context: CloudHsmContext, args: ParsedArgs): Promise<Record<string, unknown> | string>;
}

/** Thrown inside a command: an API refusal with its exception name. */
export class ApiError extends Error {
  /** e.g. `InvalidRequestException`. */
  readonly exception: string;
  constructor(exception: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.exception = exception;
  }
}

/** The API's refusal of a request naming something that is not there. */
export function invalidRequest(message: string): never {
  throw new ApiError('InvalidRequestException', message);
}

/** `--hsm-arn` style value of a required option (argparse has already checked presence). */
export function value(args: ParsedArgs, name: string): string {
  return args.values.get(name) ?? args.lists.get(name)?.[0] ?? '';
}

export function hsmOf(fleet: ObservedFleet, ref: string): Hsm {
  return findHsm(fleet, ref) ?? invalidRequest(`HSM ${ref} not found`);
}

export function hapgOf(fleet: ObservedFleet, ref: string): Hapg {
  return findHapg(fleet, ref) ?? invalidRequest(`HA partition group ${ref} not found`);
}

/** A client known to the control plane (`create-client` ran). */
export function clientOf(fleet: ObservedFleet, ref: string): ClientInstance & { arn: string } {
  const client = findClient(fleet, ref);
  if (!client || client.arn === null) invalidRequest(`Client ${ref} not found`);
  return client as ClientInstance & { arn: string };
}

/** Exception names of the CloudHSM Classic API; other device codes come from the appliance behind it. */
const API_EXCEPTIONS = new Set(['InvalidRequestException', 'CloudHsmServiceException', 'CloudHsmInternalException']);

/** The AWS CLI's error line for anything a command threw; rethrows what is not a refusal. */
export function apiErrorText(operation: string, err: unknown): string {
  if (err instanceof ShellRefusal) return err.text;
  let exception: string;
  if (err instanceof ApiError) exception = err.exception;
  else if (err instanceof DeviceError) {
    // The Classic API has no not-found exception; appliance refusals surface as a service error.
    exception = API_EXCEPTIONS.has(err.code) ? err.code : err.code === 'ResourceNotFound' ? 'InvalidRequestException' : 'CloudHsmServiceException';
  } else throw err;
  return `An error occurred (${exception}) when calling the ${operation} operation: ${err.message}`;
}
