import { DeviceError } from '../../../errors.js';
import type { ArgError } from '../args.js';
import { ShellRefusal } from '../output.js';

/**
 * lunash's error texts. A refused command prints `Error: '<command>' failed. (<hex> : <name>)`,
 * sometimes a second explanatory line, and ends `Command Result : 65535 (Luna Shell execution)`.
 * The hex values are the appliance's (a PKCS#11 CKR code in the upper 16 bits, see Luna's
 * fwCKR.h); lunash's own list errors use the `C0000…` range.
 */

/** lunash's result line after a success. */
export const SUCCESS_LINE = 'Command Result : 0 (Success)';
/** lunash's result line after any failure. */
export const FAILURE_LINE = 'Command Result : 65535 (Luna Shell execution)';

/** Hex code of each return code lunash may print. */
const HEX: Record<string, string> = {
  LUNA_RET_UM_PIN_INCORRECT: 'A00000',
  LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD: '30000F',
  LUNA_RET_DEVICE_ERROR: '300000',
  LUNA_RET_SM_NOT_LOGGED_IN: '1010001',
  LUNA_RET_HSM_ZEROIZED: 'E10000',
  LUNA_RET_ARGUMENTS_BAD: '70000',
  LUNA_RET_TEMPLATE_INCONSISTENT: 'D10000',
  RC_OBJECT_NOT_IN_LIST: 'C000040A',
  RC_OBJECT_ALREADY_EXISTS: 'C0000409',
};

/** The `Error: 'cmd' failed. (hex : NAME)` line. */
export function failedLine(command: string, code: string): string {
  const hex = HEX[code];
  return hex === undefined ? `Error: '${command}' failed. (${code})` : `Error: '${command}' failed. (${hex} : ${code})`;
}

/** Raises lunash's refusal for a return code, with an optional explanation line. */
export function refuse(command: string, code: string, explanation?: string): never {
  throw new ShellRefusal(explanation === undefined ? failedLine(command, code) : `${failedLine(command, code)}\n\nError: ${explanation}`);
}

/** The refusal of a command that needs `hsm login` first. */
export function notLoggedIn(command: string): never {
  refuse(command, 'LUNA_RET_SM_NOT_LOGGED_IN', "You must be logged in as HSM Admin to do this. Use 'hsm login' first.");
}

/** Raises the refusal of a command line lunash could not read. */
export function syntaxError(problem: string, syntax: string): never {
  throw new ShellRefusal(`Error: ${problem}\nSyntax: ${syntax}`);
}

/** lunash's wording of an unreadable option. */
export function argErrorText(err: ArgError, syntax: string): string {
  const what: Record<ArgError['kind'], string> = {
    unknown: `Invalid option: ${err.option}`,
    ambiguous: `Ambiguous option: ${err.option}`,
    'missing-value': `Missing value for option: ${err.option}`,
    duplicate: `Option given more than once: ${err.option}`,
  };
  return `Error: ${what[err.kind]}\nSyntax: ${syntax}`;
}

/**
 * The text for anything a command threw: the shell's own refusals as they are, device refusals in
 * lunash's form. A device error's message is the device's explanation; it becomes the second
 * line unless it merely repeats the code. Anything else is not a device answer and is rethrown.
 */
export function errorText(command: string, err: unknown): string {
  if (err instanceof ShellRefusal) return err.text;
  if (err instanceof DeviceError) {
    const message = err.message.trim();
    if (message.startsWith('Error:')) return message;
    const first = failedLine(command, err.code);
    return message === '' || message === err.code || first.includes(message) ? first : `${first}\n\nError: ${message}`;
  }
  throw err;
}
