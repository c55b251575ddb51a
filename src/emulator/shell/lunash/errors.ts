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

/**
 * Hex codes of the return codes lunash may print, as far as public sources give them (fwCKR.h:
 * `BuildRC(ckr, value)` is `ckr << 16 | value`); codes without a known hex print their name only.
 */
const HEX: Record<string, string> = {
  LUNA_RET_UM_PIN_INCORRECT: 'A00000',
  LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD: '30000F',
  LUNA_RET_DEVICE_ERROR: '300000',
  LUNA_RET_SM_NOT_LOGGED_IN: '1010001',
  RC_OBJECT_NOT_IN_LIST: 'C000040A',
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

/** A device message of the form `A00000 : NAME (detail)`, `NAME (detail)` or `NAME`. */
const CODED = /^(?:[0-9A-F]+ : )?[A-Z][A-Z0-9_]+(?: \((.*)\))?$/s;

/**
 * The text for anything a command threw: the shell's own refusals as they are, device refusals in
 * lunash's form (`Error: 'cmd' failed. (hex : NAME)`, then the device's detail, if any, on its own
 * `Error:` line). Anything else is not a device answer and is rethrown.
 */
export function errorText(command: string, err: unknown): string {
  if (err instanceof ShellRefusal) return err.text;
  if (err instanceof DeviceError) {
    const message = err.message.trim();
    const coded = CODED.exec(message);
    const detail = coded === null ? message : coded[1];
    // Refusals that are not the appliance's own codes (a missing certificate file…) carry only their text.
    const first = /^(LUNA_RET_|RC_)/.test(err.code) ? failedLine(command, err.code) : `Error: '${command}' failed.`;
    return detail === undefined || detail === '' ? first : `${first}\n\nError: ${detail}`;
  }
  throw err;
}
